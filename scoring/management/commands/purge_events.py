"""Delete behaviour events older than the retention period (EVENT_RETENTION_DAYS, or
--days). Scores are re-computed by the next decay run; old events had faded anyway.

    python manage.py purge_events [--days 730] [--dry-run]
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from scoring.models import Event

BATCH = 10_000


class Command(BaseCommand):
    help = "Delete behaviour events older than the retention period."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=settings.EVENT_RETENTION_DAYS)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, days: int, dry_run: bool, **options: Any) -> None:
        old = Event.objects.filter(occurred_at__lt=timezone.now() - timedelta(days=days))
        if dry_run:
            self.stdout.write(f"{old.count()} events are older than {days} days.")
            return
        deleted = 0
        # In batches: one huge DELETE would hold its locks and bloat the WAL at once.
        while ids := list(old.values_list("pk", flat=True)[:BATCH]):
            deleted += Event.objects.filter(pk__in=ids).delete()[0]
        self.stdout.write(f"Deleted {deleted} events older than {days} days.")
