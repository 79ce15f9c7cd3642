import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def site_key() -> str:
    return secrets.token_urlsafe(12)


class TrackingSite(models.Model):
    """A website that embeds the tracking snippet with this public key."""

    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(_("public site key"), max_length=32, unique=True, default=site_key)
    allowed_origins = models.JSONField(_("allowed origins"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tracked website")
        verbose_name_plural = _("tracked websites")

    def __str__(self) -> str:
        return self.name


class PageView(models.Model):
    """An anonymous visitor's page view; once the visitor is known it is stitched to the
    lead (and becomes a page-view event that counts in intent)."""

    site = models.ForeignKey(TrackingSite, on_delete=models.CASCADE, related_name="views")
    visitor = models.CharField(max_length=64)
    url = models.CharField(max_length=1000)
    title = models.CharField(max_length=300, blank=True)
    referrer = models.CharField(max_length=1000, blank=True)
    utm = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)
    lead = models.ForeignKey(
        "leads.Lead", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("page view")
        verbose_name_plural = _("page views")
        indexes = [
            # Stitching: a visitor's views not yet tied to a lead.
            models.Index(fields=["visitor", "lead"], name="pageview_visitor"),
        ]

    def __str__(self) -> str:
        return f"{self.visitor}: {self.url}"
