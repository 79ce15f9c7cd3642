from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a background process proved it was alive: one row per (kind, name).

    The worker writes a ``ping`` row when asked; beat refreshes its ``beat`` row on a
    schedule. Upserts keep the table at a handful of rows however long the system runs.
    """

    class Kind(models.TextChoices):
        PING = "ping", _("Worker ping")
        BEAT = "beat", _("Beat schedule")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="heartbeat_kind_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}@{self.recorded_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def record(cls, *, kind: str, name: str) -> "Heartbeat":
        heartbeat, _created = cls.objects.update_or_create(
            kind=kind, name=name, defaults={"recorded_at": timezone.now()}
        )
        return heartbeat
