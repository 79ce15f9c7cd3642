from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    ORGANIC_SEARCH = "organic_search", _("Organic search")
    PAID_SEARCH = "paid_search", _("Paid search")
    SOCIAL = "social", _("Social")
    EMAIL = "email", _("Email")
    EVENTS = "events", _("Events")
    WEBINARS = "webinars", _("Webinars")
    REFERRAL = "referral", _("Referral")
    PARTNER = "partner", _("Partner")
    OUTBOUND = "outbound", _("Outbound")
    OTHER = "other", _("Other")


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=200)
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    utm_campaign = models.CharField(_("UTM campaign code"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["utm_campaign"],
                condition=~models.Q(utm_campaign=""),
                name="campaign_utm_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name
