from celery import shared_task

from leads.models import Heartbeat


@shared_task
def ping(name: str) -> None:
    """Write a row to prove a worker took a task from the broker and reached the database."""
    Heartbeat.record(kind=Heartbeat.Kind.PING, name=name)


@shared_task
def record_beat() -> None:
    """Scheduled by beat: the row's age tells whether beat is running."""
    Heartbeat.record(kind=Heartbeat.Kind.BEAT, name="beat")


@shared_task(acks_late=True, soft_time_limit=25 * 60, time_limit=30 * 60)
def run_import(job_id: int) -> None:
    from leads.capture.imports import run_job

    run_job(job_id)


@shared_task
def resume_pending_imports() -> None:
    """Beat: an import whose task the broker never carried is started here."""
    from leads.capture.imports import run_job
    from leads.models import ImportJob

    for job_id in ImportJob.objects.filter(status=ImportJob.Status.PENDING).values_list(
        "pk", flat=True
    ):
        run_job(job_id)


@shared_task
def compact_rollups() -> int:
    """Beat: fold the rollups' past days into one row per key; returns the rows folded."""
    from django.utils import timezone

    from leads.reports import rollups

    return rollups.compact(before=rollups.day_of(timezone.now()))
