"""Exit 0 while a heartbeat is fresh, 1 when it is stale or missing: the compose file's
healthcheck for beat (beat's task, run by a worker, refreshes the "beat" heartbeat).

    python manage.py check_heartbeat --kind beat --max-age 300
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from leads.models import Heartbeat


class Command(BaseCommand):
    help = "Fail when the newest heartbeat of a kind is older than --max-age seconds."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", choices=Heartbeat.Kind.values, default=Heartbeat.Kind.BEAT)
        parser.add_argument("--max-age", type=int, default=300)

    def handle(self, *args: Any, kind: str, max_age: int, **options: Any) -> None:
        newest = Heartbeat.objects.filter(kind=kind).order_by("-recorded_at").first()
        if newest is None:
            raise CommandError(f"no {kind} heartbeat yet")
        age = timezone.now() - newest.recorded_at
        if age > timedelta(seconds=max_age):
            raise CommandError(f"the {kind} heartbeat is {age.total_seconds():.0f}s old")
        self.stdout.write(f"{kind} heartbeat {age.total_seconds():.0f}s old")
