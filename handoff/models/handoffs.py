from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RejectReason(models.Model):
    """Why a rep rejected a handoff: an admin-edited list, reported on by marketing."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=100)
    needs_text = models.BooleanField(_("needs an explanation"), default=False)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("reject reason")
        verbose_name_plural = _("reject reasons")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class Handoff(models.Model):
    """An MQL routed to a rep, who must accept or reject within the SLA."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the rep")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired (SLA breached)")
        REASSIGNED = "reassigned", _("Reassigned")

    OPEN = (Status.PENDING,)

    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="handoffs")
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handoffs",
        help_text=_("Empty while no rep is available."),
    )
    rule = models.ForeignKey(
        "handoff.RoutingRule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handoffs",
    )
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sla_minutes = models.PositiveIntegerField(_("SLA (minutes)"), default=5)
    qualified_at = models.DateTimeField(_("qualifying event at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    remind_at = models.DateTimeField(_("reminder due at"), null=True, blank=True)
    due_at = models.DateTimeField(_("SLA due at"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("rep alerted at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reject_reason = models.ForeignKey(
        RejectReason, on_delete=models.PROTECT, null=True, blank=True, related_name="handoffs"
    )
    reject_note = models.TextField(_("rejection note"), blank=True)

    class Meta:
        verbose_name = _("handoff")
        verbose_name_plural = _("handoffs")
        constraints = [
            # One open handoff per lead.
            models.UniqueConstraint(
                fields=["lead"], condition=models.Q(status="pending"), name="one_open_handoff"
            )
        ]
        indexes = [
            # A rep's inbox: their open handoffs, most urgent first.
            models.Index(fields=["rep", "status", "due_at"], name="handoff_inbox"),
            # The SLA sweep: open handoffs by due time.
            models.Index(fields=["status", "due_at"], name="handoff_sla"),
        ]

    def __str__(self) -> str:
        return f"lead {self.lead_id} → {self.rep or '—'} ({self.status})"

    @property
    def system_delay(self) -> float | None:
        """Seconds from the qualifying event to the rep's alert: our part of the wait."""
        if self.alerted_at is None:
            return None
        return (self.alerted_at - self.qualified_at).total_seconds()

    @property
    def human_delay(self) -> float | None:
        """Seconds from the alert to the rep's answer: the rep's part."""
        if self.alerted_at is None or self.answered_at is None:
            return None
        return (self.answered_at - self.alerted_at).total_seconds()
