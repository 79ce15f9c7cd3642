"""Send the alerts waiting in the outbox now (what beat's relay does every 15 seconds),
and with --failed also retry the ones that gave up.

    python manage.py replay_outbox [--failed]
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from handoff import notify
from handoff.models import Delivery


class Command(BaseCommand):
    help = "Send the alerts waiting in the outbox (and, with --failed, those that gave up)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--failed", action="store_true", help="retry failed alerts too")

    def handle(self, *args: Any, failed: bool, **options: Any) -> None:
        if failed:
            revived = Delivery.objects.filter(status=Delivery.Status.FAILED).update(
                status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
            )
            self.stdout.write(f"{revived} failed alerts back in the outbox.")
        sent = notify.relay_due(limit=100_000)
        left = Delivery.objects.exclude(status=Delivery.Status.SENT).count()
        self.stdout.write(f"Sent {sent} alerts; {left} not sent.")
