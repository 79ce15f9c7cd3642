"""No alert is lost when the broker is down as the handoff commits: the outbox relay
delivers it once Redis is back. A private redis-server, never the machine's shared one."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import mail
from rest_framework.test import APIClient

from handoff.models import Delivery, Handoff, Notification
from handoff.tasks import relay_alerts
from leadflow.celery import app as celery_app
from leads.stages import Stage
from tests.conftest import running_worker
from tests.factories import lead_in
from tests.faults.services import PrivateRedis
from tests.waiting import wait_until


def use_broker(url: str) -> None:
    """Point the Celery app at another broker, dropping pooled connections."""
    celery_app.conf.broker_url = url
    # New pools on next use; the old ones are left to close with their last user.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    original = celery_app.conf.broker_url
    use_broker(server.url)
    try:
        yield server
    finally:
        server.stop()
        use_broker(original)


@pytest.mark.needs_redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_alerts_written_while_the_broker_is_down_are_delivered_when_it_returns(
    private_redis, sales_floor, marketer
) -> None:
    private_redis.stop()
    client = APIClient()
    client.force_authenticate(marketer)
    lead = lead_in(Stage.MQL)

    started = time.monotonic()
    response = client.post("/api/send-to-sales/", {"leads": [lead.pk]}, format="json")

    assert response.status_code == 200  # the handoff commits although no task could be sent
    assert time.monotonic() - started < 15  # and the request fails fast, not hangs
    handoff = Handoff.objects.get(lead=lead)
    # The in-app alert is a local insert made at once; the email waits for the broker.
    assert dict(Delivery.objects.filter(handoff=handoff).values_list("channel", "status")) == {
        "in_app": "sent",
        "email": "pending",
    }

    private_redis.start()
    with running_worker():
        relay_alerts.delay()  # what beat does every few seconds
        wait_until(
            lambda: not Delivery.objects.filter(handoff=handoff).exclude(status="sent").exists(),
            timeout=30,
        )

    assert Notification.objects.filter(handoff=handoff, user=handoff.rep).count() == 1
    assert sum(handoff.rep.email in m.to for m in mail.outbox) == 1
