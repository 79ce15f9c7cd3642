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
