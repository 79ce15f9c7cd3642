import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def check_webhook_url(url: str) -> None:
    from handoff.outbound import check_url  # the rule lives with the sending

    check_url(url)


class WebhookEndpoint(models.Model):
    name = models.CharField(_("name"), max_length=100)
    # Checked for internal addresses when saved (and again when sent: handoff.outbound).
    url = models.URLField(_("URL"), max_length=500, validators=[check_webhook_url])
    secret = models.CharField(_("signing secret"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """What a user sees under the bell.

    The text is stored as a code (``kind``) and ``params`` and written out in the reader's
    language when shown (``handoff.alert_texts``); ``title`` and ``body`` keep the text as
    first written, for rows from before ``params`` and for readers of the raw row.
    """

    class Kind(models.TextChoices):
        HANDOFF = "handoff", _("New lead for you")
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("SLA breached")
        REJECTED = "rejected", _("Lead rejected by sales")
        NO_REP = "no_rep", _("No rep available")
        FOLLOW_UP = "follow_up", _("Follow-up due")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    handoff = models.ForeignKey(
        "handoff.Handoff", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    lead = models.ForeignKey(
        "leads.Lead", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Set when the handoff it is about was answered, reassigned or breached: the alert no
    # longer asks the reader for anything ("the lead moved on").
    stale_at = models.DateTimeField(_("no longer current since"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # At-least-once delivery, exactly one notification per handoff, person and kind.
            models.UniqueConstraint(
                fields=["handoff", "user", "kind"],
                condition=models.Q(handoff__isnull=False),
                name="one_notification_per_handoff",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One alert to send on one channel: the outbox row written with the handoff.

    A worker claims it with a conditional update and a lease; a killed worker's claim
    expires and the relay takes it again. ``delivery_id`` stays the same on every attempt,
    so receivers can drop repeats (webhook header, email Message-ID).
    """

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In-app")
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped: no longer current")

    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    handoff = models.ForeignKey(
        "handoff.Handoff",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Notification.Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        constraints = [
            # One alert per handoff, kind, channel and person or endpoint.
            models.UniqueConstraint(
                fields=["handoff", "kind", "channel", "user"],
                condition=models.Q(user__isnull=False),
                name="one_delivery_per_user",
            ),
            models.UniqueConstraint(
                fields=["handoff", "kind", "channel", "endpoint"],
                condition=models.Q(endpoint__isnull=False),
                name="one_delivery_per_endpoint",
            ),
        ]
        indexes = [
            # The relay: what is due to be (re)sent.
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel} for handoff {self.handoff_id}: {self.status}"
