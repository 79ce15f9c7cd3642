from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LeadScore(models.Model):
    """The scoring state of one lead, and its scores. The scores are also copied onto the
    lead (fit, intent, likelihood) for showing and filtering; lists *sort* by the copies
    here, whose indexes keep the lead's own row free of them (see Lead.keyset_paths).

    ``intent_state`` holds, per intent rule, the decayed sum of its points at time ``ref``
    (uncapped), so a new event updates intent without re-reading the lead's history.
    """

    lead = models.OneToOneField(
        "leads.Lead", on_delete=models.CASCADE, primary_key=True, related_name="score"
    )
    model_version = models.PositiveIntegerField(_("scoring model version"))
    fit_points = models.FloatField(default=0)
    intent_points = models.FloatField(default=0)
    grade = models.CharField(_("grade"), max_length=2, blank=True)
    hot = models.BooleanField(_("hot"), default=False)
    intent_state = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    fit = models.PositiveSmallIntegerField(_("fit score"), null=True, blank=True)
    intent = models.PositiveSmallIntegerField(_("intent score"), null=True, blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood to convert"), null=True, blank=True)

    class Meta:
        verbose_name = _("lead score")
        verbose_name_plural = _("lead scores")
        indexes = [
            # Keyset pages of lists sorted by a score: (value, lead id).
            models.Index(fields=["fit", "lead"], name="score_fit_keyset"),
            models.Index(fields=["intent", "lead"], name="score_intent_keyset"),
            models.Index(fields=["likelihood", "lead"], name="score_likelihood_keyset"),
        ]

    def __str__(self) -> str:
        return f"lead {self.lead_id}: {self.grade} (v{self.model_version})"


class ScoreHistory(models.Model):
    """A row whenever a lead's whole-number scores or grade change: the trend line."""

    # No index of its own: (lead, at) below serves lookups by lead, one write less per row.
    lead = models.ForeignKey(
        "leads.Lead", on_delete=models.CASCADE, related_name="score_history", db_index=False
    )
    model_version = models.PositiveIntegerField()
    fit = models.PositiveSmallIntegerField()
    intent = models.PositiveSmallIntegerField()
    likelihood = models.PositiveSmallIntegerField(null=True)
    grade = models.CharField(max_length=2)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")
        indexes = [models.Index(fields=["lead", "at"], name="scorehistory_lead_at")]

    def __str__(self) -> str:
        return f"lead {self.lead_id}: fit {self.fit}, intent {self.intent} at {self.at}"


class RescoreJob(models.Model):
    """Re-scoring every lead in the background, with progress readable through the API."""

    class Reason(models.TextChoices):
        ACTIVATION = "activation", _("A new model version was activated")
        DECAY = "decay", _("Periodic decay")
        MANUAL = "manual", _("Started by an operator")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    model_version = models.PositiveIntegerField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    promoted = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("re-scoring job")
        verbose_name_plural = _("re-scoring jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"re-score v{self.model_version} ({self.status} {self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return (
            100
            if self.total == 0 and self.status == self.Status.DONE
            else (min(100, int(100 * self.done / self.total)) if self.total else 0)
        )


class RescorePart(models.Model):
    """One id range of a re-scoring job. Workers claim parts (SKIP LOCKED) so that several
    processes share a job; a claim older than the lease is taken over (its worker died)."""

    job = models.ForeignKey(RescoreJob, on_delete=models.CASCADE, related_name="parts")
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["first_id"]
        indexes = [models.Index(fields=["job", "finished_at"])]

    def __str__(self) -> str:
        return f"leads {self.first_id}–{self.last_id} of job {self.job_id}"


class LikelihoodModel(models.Model):
    """A learned model of conversion from past outcomes (scoring/learning/).

    A logistic model is stored as plain numbers in ``spec`` (its encoding of each feature,
    weights and intercept, calibrated) so it can be read and audited; a boosting model
    keeps its fitted trees in ``artifact`` (pickled: written and read only by this code)
    beside the same encoding. ``figures`` holds what the hold-out said (AUC with its
    bootstrap interval, reliability per decile, expected calibration error, the comparison
    with the model that was active)."""

    class Status(models.TextChoices):
        TRAINING = "training", _("Training")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        LOGISTIC = "logistic", _("Logistic regression")
        BOOSTING = "boosting", _("Gradient boosting")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TRAINING)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LOGISTIC)
    progress = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=False)
    activated_at = models.DateTimeField(null=True, blank=True)
    spec = models.JSONField(default=dict, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    artifact = models.BinaryField(null=True, blank=True)
    features = models.JSONField(default=list)
    coefficients = models.JSONField(default=dict)
    intercept = models.FloatField(default=0)
    scaling = models.JSONField(default=dict)
    samples = models.PositiveIntegerField(default=0)
    positives = models.PositiveIntegerField(default=0)
    holdout_auc = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("likelihood model")
        verbose_name_plural = _("likelihood models")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_active_likelihood"
            )
        ]

    def __str__(self) -> str:
        return f"likelihood model {self.pk} ({self.status}, AUC {self.holdout_auc})"


class LikelihoodSettings(models.Model):
    """One row: the features an admin chose (empty: the automatic choice) and by how much
    a newly trained model must beat the active one on the same hold-out to replace it."""

    features = models.JSONField(_("features"), default=list, blank=True)
    promote_margin = models.FloatField(_("AUC margin to promote a new model"), default=0.005)

    class Meta:
        verbose_name = _("likelihood settings")
        verbose_name_plural = _("likelihood settings")

    def __str__(self) -> str:
        return "likelihood settings"

    @classmethod
    def current(cls) -> "LikelihoodSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row
