"""Redis stops while events arrive and leads qualify: ingestion keeps answering and stores
every event once; the alerts wait in the outbox and go out once Redis is back — in-app
exactly once, email and webhook with their delivery ids. A private redis-server."""

import http.client
import json

import pytest

from handoff import notify
from handoff.models import Delivery, Handoff, Notification
from leads.models import Lead
from scoring.models import Event, ScoringModel, SourceApiKey
from tests.conftest import test_database_url
from tests.faults.services import PrivateRedis, app_server

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.needs_postgres]  # fmt: skip


def post(port: int, key: str, body: list) -> tuple[int, dict]:  # type: ignore[type-arg]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/api/events/", body=json.dumps(body),
                 headers={"Authorization": f"Api-Key {key}",
                          "Content-Type": "application/json"})  # fmt: skip
    response = conn.getresponse()
    return response.status, json.loads(response.read())


def test_with_redis_down_events_are_stored_once_and_alerts_follow_when_it_returns(
    sales_floor, tmp_path
) -> None:
    # A demo request alone qualifies here, so every lead is routed and alerted.
    ScoringModel.objects.filter(status="active").update(mql_fit=0, mql_intent=10)
    _row, key = SourceApiKey.objects.create_key(name="down", source="website")
    redis = PrivateRedis(tmp_path)
    redis.start()
    demo = [{"id": f"hot-{i}", "type": "demo_request", "email": f"hot{i}@redis.example",
             "lead": {"first_name": f"Hot{i}"}} for i in range(3)]  # fmt: skip
    try:
        with app_server(test_database_url(), REDIS_URL=redis.url) as port:
            redis.stop()
            status, body = post(port, key, demo)
            again, repeat = post(port, key, demo)  # the sender was not sure: it sends again
    finally:
        redis.stop()

    assert (status, body["created"]) == (200, 3)
    assert (again, repeat["duplicates"]) == (200, 3)
    assert Event.objects.filter(external_id__startswith="hot-").count() == 3
    assert Lead.objects.filter(email__endswith="@redis.example").count() == 3
    waiting = Delivery.objects.exclude(channel=Delivery.Channel.IN_APP)
    # Each lead qualified and was routed; the email alerts could not reach the broker.
    handoffs = Handoff.objects.filter(lead__email__endswith="@redis.example")
    assert handoffs.count() == 3
    assert waiting.filter(status=Delivery.Status.PENDING).count() == 3
    notify.relay_due()  # what beat's relay does once Redis is back
    assert not waiting.exclude(status=Delivery.Status.SENT).exists()
    for handoff in handoffs:
        assert Notification.objects.filter(handoff=handoff, kind="handoff").count() == 1
