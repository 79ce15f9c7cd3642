from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey


class SourceKind(models.TextChoices):
    FIRST_PARTY = "first_party", _("First party")
    THIRD_PARTY = "third_party", _("Third party")


class EventType(models.Model):
    """A kind of behaviour. The built-in ones come from a migration; admins add more."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("label"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    builtin = models.BooleanField(_("built in"), default=False, editable=False)

    class Meta:
        verbose_name = _("event type")
        verbose_name_plural = _("event types")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Event(models.Model):
    """One thing a lead did. Append-only; ``external_id`` is the sender's id for it."""

    lead = models.ForeignKey(
        "leads.Lead",
        verbose_name=_("lead"),
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,  # event_lead_time (lead, occurred_at) serves lookups by lead
    )
    type = models.CharField(_("type"), max_length=50)
    source = models.CharField(
        _("source"), max_length=100, help_text=_("website, email, crm, or a provider's name")
    )
    source_kind = models.CharField(
        _("source kind"), max_length=16, choices=SourceKind.choices, default=SourceKind.FIRST_PARTY
    )
    external_id = models.CharField(_("sender's id"), max_length=200, blank=True, default="")
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    properties = models.JSONField(_("properties"), default=dict, blank=True)

    class Meta:
        verbose_name = _("behaviour event")
        verbose_name_plural = _("behaviour events")
        constraints = [
            # The same event sent twice is stored once (idempotent ingestion).
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="event_source_external_id_unique",
            )
        ]
        indexes = [
            # A lead's timeline and its re-scoring read its events by time. (Nothing reads
            # events by type alone: an index on it only cost every ingested event a write.)
            models.Index(fields=["lead", "occurred_at"], name="event_lead_time"),
        ]

    def __str__(self) -> str:
        return f"{self.type} by lead {self.lead_id} at {self.occurred_at:%Y-%m-%d %H:%M}"


class PendingEvent(models.Model):
    """An event stored but not yet in its lead's score: big batches are scored by the
    worker, within a second (scoring/pending.py). Lead states are built from the events
    that are *not* pending, so whoever claims a pending event folds it in exactly once."""

    # No foreign key in the database: its check ran a query per pending row (2 ms per
    # 500-event batch, twice the insert itself). The row is written in its event's transaction and
    # a deleted event takes its pending row with it (Django's cascade); a drain that
    # claims a pending row whose event is gone just drops it (scoring.sql.scores.claim's join).
    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, primary_key=True, related_name="+", db_constraint=False
    )

    class Meta:
        verbose_name = _("event waiting to be scored")
        verbose_name_plural = _("events waiting to be scored")

    def __str__(self) -> str:
        return f"event {self.event_id} waiting to be scored"


class SourceApiKey(AbstractAPIKey):
    """A key a sender (website, email tool, intent provider) uses to post events.

    Stored hashed by djangorestframework-api-key; it may only ingest events.
    """

    source = models.CharField(_("source"), max_length=100)
    source_kind = models.CharField(
        _("source kind"), max_length=16, choices=SourceKind.choices, default=SourceKind.FIRST_PARTY
    )
    requests_per_minute = models.PositiveIntegerField(_("requests per minute"), default=6000)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("source API key")
        verbose_name_plural = _("source API keys")
