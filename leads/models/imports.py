from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """A CSV of leads being imported in the background, with progress and row errors."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Waiting for its column mapping")
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        LEADS = "leads", _("Leads")
        EVENTS = "events", _("Behaviour events")

    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices, default=Kind.LEADS)
    source = models.CharField(_("source of the events"), max_length=100, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    # The file itself, in the database: web and worker may run on different machines.
    content = models.BinaryField(editable=False)
    mapping = models.JSONField(_("column mapping"), default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lead import")
        verbose_name_plural = _("lead imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status} {self.done}/{self.total})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
