"""/metrics for Prometheus: refused without the token, and our counters move as events are
ingested and alerts sent."""

import re

import pytest
from django.test import Client

from handoff import notify
from handoff.handoffs import send_to_sales
from handoff.models import Delivery
from leads.stages import Stage
from scoring.ingest import ingest
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


def value(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} ([0-9.e+-]+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


def scrape(client: Client) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-me")
    assert response.status_code == 200
    return response.content.decode()


def test_metrics_need_the_token_or_an_admin(client: Client, settings, marketer, admin_user) -> None:
    settings.METRICS_TOKEN = "scrape-me"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    client.force_login(marketer)
    assert client.get("/metrics").status_code == 403
    client.force_login(admin_user)
    assert client.get("/metrics").status_code == 200


def test_counters_move_with_events_and_alerts(
    client: Client, settings, sales_floor, marketer
) -> None:
    settings.METRICS_TOKEN = "scrape-me"
    before = scrape(client)

    ingest([{"id": "m-1", "type": "page_view", "email": "m@metrics.example"},
            {"id": "m-1", "type": "page_view", "email": "m@metrics.example"}],
           source="website", source_kind="first_party")  # fmt: skip
    handoff = send_to_sales(lead_in(Stage.MQL), actor=marketer)
    email = Delivery.objects.get(handoff=handoff, channel="email")
    notify.deliver(email.pk)
    after = scrape(client)

    created = 'leadflow_events_ingested_total{status="created"}'
    duplicate = 'leadflow_events_ingested_total{status="duplicate"}'
    assert value(after, created) == value(before, created) + 1
    assert value(after, duplicate) == value(before, duplicate) + 1
    assert value(after, "leadflow_handoffs_created_total") >= value(
        before, "leadflow_handoffs_created_total") + 1  # fmt: skip
    sent = 'leadflow_alert_delivery_seconds_count{channel="email"}'
    assert value(after, sent) == value(before, sent) + 1
    assert "leadflow_outbox_pending" in after


def test_events_waiting_to_be_scored_show_until_the_drain(client: Client, settings) -> None:
    from scoring import pending

    settings.METRICS_TOKEN = "scrape-me"
    batch = [{"id": f"w-{i}", "type": "page_view", "email": "w@metrics.example"}
             for i in range(pending.INLINE_MAX + 1)]  # fmt: skip
    ingest(batch, source="website", source_kind="first_party")

    assert value(scrape(client), "leadflow_scoring_pending") == pending.INLINE_MAX + 1
    pending.drain()
    assert value(scrape(client), "leadflow_scoring_pending") == 0
