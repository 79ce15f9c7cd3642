from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MergeRecord(models.Model):
    """Who merged which duplicate into which lead, and everything needed to undo it."""

    primary = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="+")
    duplicate = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    # The primary's fields before the duplicate's filled its gaps, the duplicate's external
    # id, and per model ("app_label.model") the ids of the rows moved to the primary.
    primary_before = models.JSONField(default=dict)
    duplicate_before = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"lead {self.duplicate_id} into {self.primary_id}"
