from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leads.stages import Stage


class StageChange(models.Model):
    """One move of one lead: append-only, written only by ``leads.lifecycle``.

    ``from_stage`` is empty for the row that records the lead's creation. ``actor`` is
    empty for moves the system made (scoring, SLA sweeps). ``loaded`` marks history that
    happened elsewhere and was brought in (imports, demo data) rather than live moves.
    """

    lead = models.ForeignKey(
        "leads.Lead", verbose_name=_("lead"), on_delete=models.CASCADE, related_name="history"
    )
    from_stage = models.CharField(
        _("from"), max_length=16, choices=Stage.choices, blank=True, default=""
    )
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What a person typed, as typed; for a text the system wrote, its English rendering
    # (exports, search), with the code and parameters that render it in the reader's
    # language (leads.system_texts). Read it through ``reason_text``.
    reason = models.TextField(_("reason"), blank=True)
    reason_code = models.CharField(_("reason code"), max_length=40, blank=True, default="")
    reason_params = models.JSONField(_("reason parameters"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    loaded = models.BooleanField(_("loaded from elsewhere"), default=False)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [
            # A lead's history, in order.
            models.Index(fields=["lead", "at"], name="stagechange_lead_at"),
            # Funnel and velocity reports: moves into a stage within a period.
            models.Index(fields=["to_stage", "at"], name="stagechange_to_at"),
            # Reports over every move in a period, and "has anyone moved since?".
            models.Index(fields=["at"], name="stagechange_at"),
        ]

    def __str__(self) -> str:
        return f"{self.lead_id}: {self.from_stage or '∅'} → {self.to_stage}"

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language (a person's words as they typed them)."""
        from leads.system_texts import render

        return render(self.reason_code, self.reason_params, fallback=self.reason)


# Every rollup row belongs to a slice: "" counts every lead; "campaign:7", "source:webinar"
# or "owner:12" count only the leads with that value now, so a report filtered on one of
# them sums a few rows too (leads.reports.rollups keeps the slices right when a value changes).
# Each rollup's index covers its report's columns: a slice's days are read from the index
# alone (an index-only scan), not from rows scattered over the table by compaction.
SLICE_LENGTH = 120


class StageFlow(models.Model):
    """Rollup of the stage history for fast "stage counts at a date": per day, the net
    number of leads that entered (+) and left (−) each stage. Append-only (no row is ever
    locked for an increment), kept current by ``leads.reports.rollups`` inside the transaction of
    every move, and compacted to one row per day and stage by a periodic task."""

    day = models.DateField()
    stage = models.CharField(max_length=16, choices=Stage.choices)
    slice = models.CharField(max_length=SLICE_LENGTH, blank=True, default="")
    delta = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["slice", "day"], name="stageflow_slice_day", include=["stage", "delta"]
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.stage} {self.delta:+d}"


class MoveCount(models.Model):
    """Rollup of moves per day (UTC), transition and the lead's campaign at the time, for
    conversion by period and cost per stage without reading millions of moves. Appended in
    the transaction of every move by ``leads.reports.rollups`` and compacted like StageFlow."""

    day = models.DateField()
    from_stage = models.CharField(max_length=16, blank=True)
    to_stage = models.CharField(max_length=16)
    campaign_id = models.BigIntegerField(null=True)  # no constraint: a rollup, not a relation
    slice = models.CharField(max_length=SLICE_LENGTH, blank=True, default="")
    n = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["slice", "day"],
                name="movecount_slice_day",
                include=["from_stage", "to_stage", "campaign_id", "n"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.from_stage}→{self.to_stage} ({self.campaign_id}): {self.n}"


class CohortReach(models.Model):
    """Rollup for conversion by cohort: how many leads created on a day (UTC) ever reached
    each stage, by campaign. A lead counts once per stage, the first time it gets there."""

    cohort_day = models.DateField()
    stage = models.CharField(max_length=16)
    campaign_id = models.BigIntegerField(null=True)
    slice = models.CharField(max_length=SLICE_LENGTH, blank=True, default="")
    n = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["slice", "cohort_day"],
                name="cohortreach_slice_day",
                include=["stage", "campaign_id", "n"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort_day} → {self.stage} ({self.campaign_id}): {self.n}"


class StayHistogram(models.Model):
    """Rollup for time in stage at scale: stays that began on a day (UTC) in a stage, by
    length bucket (bucket b holds stays of 1.05^b to 1.05^(b+1) seconds). Written when a
    lead leaves a stage; read when a period holds too many stays to take the exact
    percentiles from the history."""

    day = models.DateField()
    stage = models.CharField(max_length=16)
    bucket = models.SmallIntegerField()
    slice = models.CharField(max_length=SLICE_LENGTH, blank=True, default="")
    n = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["slice", "day"],
                name="stayhistogram_slice_day",
                include=["stage", "bucket", "n"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.stage} #{self.bucket}: {self.n}"
