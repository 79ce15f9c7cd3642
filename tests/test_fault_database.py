"""The database goes away in the middle of ingestion: the API answers 503 (never 500), the
sender retries with the same event ids once it is back, and nothing is lost or counted
twice. The app runs in gunicorn and reaches PostgreSQL through a proxy the test cuts; the
machine's shared PostgreSQL is never stopped."""

import http.client
import json
from pathlib import Path

import pytest
from django.db import connection

from leads.models import Lead
from scoring.models import Event, SourceApiKey
from tests.conftest import test_database_url
from tests.faults.services import app_server, wait_until
from tests.faults.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.needs_postgres]  # fmt: skip
ROOT = Path(__file__).resolve().parent.parent


def post(port: int, key: str, events: list[dict]) -> tuple[int, dict, dict]:  # type: ignore[type-arg]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
    conn.request("POST", "/api/events/", body=json.dumps(events), headers=headers)
    response = conn.getresponse()
    body = response.read()
    return response.status, dict(response.getheaders()), json.loads(body or b"{}")


def events(prefix: str, lead_email: str) -> list[dict]:  # type: ignore[type-arg]
    return [{"id": f"{prefix}-{i}", "type": "pricing_page_visit", "email": lead_email}
            for i in range(5)]  # fmt: skip


def test_a_database_outage_answers_503_and_the_retry_counts_once(active_model) -> None:
    _key_row, key = SourceApiKey.objects.create_key(name="fault", source="website")
    settings = connection.settings_dict
    proxy = TcpProxy(settings.get("HOST") or "127.0.0.1", int(settings.get("PORT") or 5432))
    url = test_database_url().replace(f":{settings.get('PORT') or 5432}/", f":{proxy.port}/")
    try:
        with app_server(url) as port:
            status, _headers, body = post(port, key, events("a", "ana@fault.example"))
            assert status == 200
            assert body["created"] == 5

            proxy.cut()
            status, headers, body = post(port, key, events("b", "ana@fault.example"))
            assert status == 503, body
            assert headers.get("Retry-After") == "5"

            proxy.restore()
            # The sender retries the failed batch, and (being careful) the first one too.
            wait_until(lambda: post(port, key, events("b", "ana@fault.example"))[0] == 200)
            status, _headers, body = post(port, key, events("a", "ana@fault.example"))
            assert (body["created"], body["duplicates"]) == (0, 5)
    finally:
        proxy.stop()

    lead = Lead.objects.get(email="ana@fault.example")
    assert Event.objects.filter(lead=lead).count() == 10  # every event once
    assert sorted(Event.objects.filter(lead=lead).values_list("external_id", flat=True)) == sorted(
        [f"a-{i}" for i in range(5)] + [f"b-{i}" for i in range(5)])  # fmt: skip
    # Scores counted each event once: re-scoring from the stored events changes nothing.
    from django.db import transaction
    from django.utils import timezone

    from scoring.live import rescore_leads

    intent = lead.intent
    with transaction.atomic():
        rescore_leads([lead.pk], at=timezone.now())
    lead.refresh_from_db()
    assert lead.intent == intent > 0
