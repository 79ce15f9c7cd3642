"""Re-score every lead with the active model now (the same job activation starts).

python manage.py rescore_all          # here, with progress
python manage.py rescore_all --queue  # hand it to the workers
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from scoring import rescoring
from scoring.models import RescoreJob


class Command(BaseCommand):
    help = "Re-score every lead with the active scoring model."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queue", action="store_true", help="let the workers run it")

    def handle(self, *args: Any, queue: bool, **options: Any) -> None:
        job = rescoring.start_job(reason=RescoreJob.Reason.MANUAL)
        if job is None:
            raise CommandError("No active model, or a re-scoring job is already running.")
        if queue:
            from scoring.tasks import run_rescore_job

            run_rescore_job.delay(job.pk)
            self.stdout.write(f"Job {job.pk} queued.")
            return
        job = rescoring.run_job(job.pk)
        if job.status != RescoreJob.Status.DONE:
            raise CommandError(f"Job {job.pk} failed: {job.error}")
        self.stdout.write(f"Re-scored {job.done} leads; {job.promoted} became MQL.")
