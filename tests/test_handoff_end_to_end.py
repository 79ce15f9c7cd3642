"""From a behaviour event to the rep's alerts, through a real Celery worker on Redis."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from rest_framework.test import APIClient

from handoff.models import Delivery, Handoff, Notification, WebhookEndpoint
from leads.models import Lead
from leads.stages import Stage
from tests.factories import CompanyFactory, LeadFactory
from tests.waiting import wait_until


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook_server(settings):  # type: ignore[no-untyped-def]
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]  # the receiver is on this machine
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", Receiver.received
    server.shutdown()


@pytest.mark.needs_redis
def test_a_threshold_crossing_alerts_the_rep_in_app_by_email_and_by_webhook(
    celery_worker, sales_floor, source_key, webhook_server
) -> None:
    url, received = webhook_server
    WebhookEndpoint.objects.create(name="Sales chat", url=url, secret="s3cret")
    company = CompanyFactory(industry="Software", employees=300, country="ES")
    lead = LeadFactory(company=company, attributes={"seniority": "vp", "department": "sales"})
    sender = APIClient()
    sender.credentials(HTTP_AUTHORIZATION=f"Api-Key {source_key}")

    response = sender.post(
        "/api/events/",
        [{"id": f"d{i}", "type": "demo_request", "lead_id": lead.pk} for i in range(2)],
        format="json",
    )

    assert response.status_code == 200
    assert Lead.objects.get(pk=lead.pk).stage == Stage.MQL
    handoff = wait_until(lambda: Handoff.objects.filter(lead=lead).first(), timeout=20)
    notification = wait_until(
        lambda: Notification.objects.filter(user=handoff.rep, handoff=handoff).first(), timeout=20
    )
    assert "New lead for you" in notification.title
    wait_until(lambda: any(handoff.rep.email in m.to for m in mail.outbox), timeout=20)
    headers, body = wait_until(lambda: received and received[0], timeout=20)
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Leadflow-Signature"] == expected
    payload = json.loads(body)
    webhook = Delivery.objects.get(handoff=handoff, channel="webhook")
    assert headers["X-Leadflow-Delivery"] == payload["delivery_id"] == str(webhook.delivery_id)
    assert payload["lead"]["id"] == lead.pk
    assert "New lead for you" in payload["text"]
    assert {c["label"] for c in payload["score"]["contributions"]} >= {"Demo requests"}
    assert Handoff.objects.get(pk=handoff.pk).alerted_at is not None
