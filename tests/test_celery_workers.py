"""Background work runs on a real worker: on Redis (production, CI) and embedded (no Redis)."""

from datetime import timedelta

import pytest
from celery import Celery
from django.utils import timezone

from leadflow.embedded import filesystem_broker_options
from leads.models import Heartbeat
from leads.tasks import ping
from tests.waiting import wait_until


@pytest.mark.needs_redis
def test_a_ping_sent_through_redis_is_written_by_the_worker(celery_worker: None) -> None:
    ping.delay("through-redis")

    wait_until(lambda: Heartbeat.objects.filter(kind="ping", name="through-redis").exists())


def test_a_ping_sent_through_the_filesystem_broker_is_written_by_the_embedded_worker(
    embedded_worker,
) -> None:
    # The sender is what a web process on the embedded defaults is: same folders, no Redis.
    sender = Celery(
        broker="filesystem://",
        broker_transport_options=filesystem_broker_options(embedded_worker.var_dir),
    )
    sender.send_task("leads.tasks.ping", args=["through-files"], queue=embedded_worker.queue)

    wait_until(
        lambda: Heartbeat.objects.filter(kind="ping", name="through-files").exists(),
        timeout=40,
    )
    assert embedded_worker.process.poll() is None, embedded_worker.output()
    # kombu's exchange tables stay in the var folder, not in ./control of the checkout.
    assert list((embedded_worker.var_dir / "broker" / "control").glob("*.exchange"))


def test_beat_runs_the_periodic_schedule_in_embedded_mode(embedded_worker) -> None:
    started = timezone.now() - timedelta(seconds=1)

    wait_until(
        lambda: Heartbeat.objects.filter(kind="beat", recorded_at__gte=started).exists(),
        timeout=40,
    )
    first = Heartbeat.objects.get(kind="beat").recorded_at
    # The schedule keeps running: the row is refreshed, not written once.
    wait_until(
        lambda: Heartbeat.objects.get(kind="beat").recorded_at > first,
        timeout=20,
    )
