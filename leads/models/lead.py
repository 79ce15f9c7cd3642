from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Concat, Left, Lower, StrIndex, Substr
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leads.stages import Stage

_AT = StrIndex("email", models.Value("@"))
_PLUS = StrIndex(Left("email", _AT - 1), models.Value("+"))


class Lead(models.Model):
    """A person who showed interest. ``stage`` is written only by ``leads.lifecycle``."""

    # Blank for leads known only by an external id or a phone (imported lists keyed by a
    # CRM id or a phone number); unique when present.
    email = models.EmailField(_("email"), max_length=254, blank=True, default="")
    # The email without "+tag" in its local part (ana+news@x.com → ana@x.com), computed by
    # the database on every write, bulk ones included. Entry points match on it when the
    # admin lets plus-addressed emails count as the same person.
    email_key = models.GeneratedField(
        expression=models.Case(
            models.When(
                GreaterThan(_PLUS, 0),
                then=Concat(
                    Left("email", _PLUS - 1),
                    Substr("email", _AT),
                    output_field=models.CharField(max_length=254),
                ),
            ),
            default=models.F("email"),
            output_field=models.CharField(max_length=254),
        ),
        output_field=models.CharField(max_length=254),
        db_persist=True,
    )
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("The id a source system uses for this lead."),
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The phone in E.164 (+34612345678), so that "612 34 56 78" and "+34 612345678" are
    # one person. Kept in step with ``phone`` by ``save`` and by the import (bulk writes).
    phone_key = models.CharField(_("phone (normalised)"), max_length=20, blank=True, default="")
    title = models.CharField(_("job title"), max_length=150, blank=True)
    company = models.ForeignKey(
        "leads.Company",
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    campaign = models.ForeignKey(
        "leads.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_leads",
    )
    team = models.ForeignKey(
        "leads.Team",
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    email_ok = models.BooleanField(_("may be emailed"), default=False)
    phone_ok = models.BooleanField(_("may be called"), default=False)
    attributes = models.JSONField(_("imported attributes"), default=dict, blank=True)
    # Where the lead came from: UTM source, medium, campaign, content, term, referrer and
    # landing page of the first visit we know of and of the latest.
    first_touch = models.JSONField(_("first touch"), default=dict, blank=True)
    last_touch = models.JSONField(_("latest touch"), default=dict, blank=True)

    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.LEAD)
    stage_changed_at = models.DateTimeField(_("stage changed at"), default=timezone.now)

    # Filled by the scoring app; NULL until the lead has been scored.
    fit = models.PositiveSmallIntegerField(_("fit score"), null=True, blank=True)
    intent = models.PositiveSmallIntegerField(_("intent score"), null=True, blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood to convert"), null=True, blank=True)

    # Set when the lead is won.
    deal_value = models.DecimalField(
        _("deal value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    closed_at = models.DateField(_("close date"), null=True, blank=True)

    # A duplicate merged into another lead stays (its history with it) but leaves the lists;
    # undoing the merge brings it back.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_leads",
    )

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Lists sort by a score through the lead's score row (its indexes: scoring LeadScore),
    # so that a score change leaves this table's indexes alone (plumbing/keyset.py).
    keyset_paths = {
        "fit": "score__fit",
        "intent": "score__intent",
        "likelihood": "score__likelihood",
    }

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        constraints = [
            # Emails are stored lower-cased, so a plain unique index is case-insensitive.
            models.UniqueConstraint(
                fields=["email"], condition=~models.Q(email=""), name="lead_email_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="lead_email_lowercase"
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="lead_external_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="lead_stage_known"
            ),
        ]
        # fit / intent / likelihood are deliberately not indexed here: scoring rewrites them
        # with every event, and an update that touches no indexed column is a HOT update (no
        # entry in any of this table's indexes; 6x cheaper measured on the scoring drain).
        # Lists sorted by a score use the indexed copies on the lead's score row instead
        # (keyset_paths). The table keeps half of each page free for such updates: a
        # re-score rewrites every lead of a page at once (fillfactor, migration leads 0025).
        indexes = [
            # Keyset pages of the lead list: (value, id).
            models.Index(fields=["created_at", "id"], name="lead_created_keyset"),
            models.Index(fields=["stage_changed_at", "id"], name="lead_stage_changed_keyset"),
            # Work queues: leads in one stage, newest first (MQL queue, inbox).
            models.Index(fields=["stage", "created_at", "id"], name="lead_stage_created"),
            # Matching plus-addressed emails to the same person.
            models.Index(fields=["email_key"], name="lead_email_key"),
            # Matching a lead by its phone (imports keyed by phone).
            models.Index(
                fields=["phone_key"], condition=~models.Q(phone_key=""), name="lead_phone_key"
            ),
            # Filter by source (reports and the list's source filter).
            models.Index(fields=["source"], name="lead_source"),
        ]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        contact = self.email or self.phone or self.external_id
        if name and contact:
            return f"{name} <{contact}>"
        return name or contact or f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from leads.phones import phone_key

        # The company's country reads a number written without its prefix, when the
        # company is at hand (no query just for this).
        company = self._state.fields_cache.get("company")
        self.phone_key = phone_key(self.phone, getattr(company, "country", "") or None)
        fields = kwargs.get("update_fields")
        if fields is not None and "phone" in fields and "phone_key" not in fields:
            kwargs["update_fields"] = [*fields, "phone_key"]
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
