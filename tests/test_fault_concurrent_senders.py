"""50 senders at once, posting overlapping batches that repeat event ids for the same
leads: every distinct event is stored once, and the final scores equal a serial replay of
the distinct events (gunicorn with several processes and threads, real PostgreSQL)."""

import http.client
import json
import random
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from leads.models import Lead
from scoring.live import rescore_leads
from scoring.models import Event, SourceApiKey
from tests.conftest import test_database_url
from tests.faults.services import app_server

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.needs_postgres]  # fmt: skip
SENDERS, BATCHES, BATCH = 50, 3, 20
EMAILS = [f"buyer{i}@concurrent.example" for i in range(8)]
TYPES = ["pricing_page_visit", "demo_request", "email_click", "content_download"]
NOW = datetime.now(UTC)


def event(number: int) -> dict:  # type: ignore[type-arg]
    """The same id always carries the same event, as a real sender's retries do."""
    rng = random.Random(number)
    return {"id": f"evt-{number}", "type": rng.choice(TYPES), "email": rng.choice(EMAILS),
            "occurred_at": (NOW - timedelta(hours=rng.uniform(1, 500))).isoformat()}  # fmt: skip


def send(port: int, key: str, seed: int) -> list[int]:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    statuses = []
    for _ in range(BATCHES):
        body = json.dumps([event(rng.randrange(150)) for _ in range(BATCH)])
        conn.request("POST", "/api/events/", body=body,
                     headers={"Authorization": f"Api-Key {key}",
                              "Content-Type": "application/json"})  # fmt: skip
        response = conn.getresponse()
        response.read()
        statuses.append(response.status)
    return statuses


def test_fifty_senders_with_repeated_ids_equal_one_serial_replay(active_model) -> None:
    _row, key = SourceApiKey.objects.create_key(name="many", source="website",
                                               requests_per_minute=1_000_000)  # fmt: skip
    with (
        app_server(test_database_url(), workers=3, threads=8) as port,
        ThreadPoolExecutor(SENDERS) as pool,
    ):
        statuses = [s for batch in pool.map(lambda i: send(port, key, i), range(SENDERS))
                    for s in batch]  # fmt: skip

    assert set(statuses) == {200}
    sent = {event(n)["id"] for i in range(SENDERS) for n in _numbers(i)}
    assert Event.objects.count() == len(sent)
    assert set(Event.objects.values_list("external_id", flat=True)) == sent

    leads = list(Lead.objects.filter(email__in=EMAILS).order_by("pk"))
    assert len(leads) == len(EMAILS)  # each unknown email became one lead, not several
    live = {lead.pk: lead.intent for lead in leads}
    with transaction.atomic():
        rescore_leads([lead.pk for lead in leads], at=timezone.now())
    replayed = dict(Lead.objects.filter(pk__in=live).values_list("pk", "intent"))
    assert replayed == live


def _numbers(seed: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.randrange(150) for _ in range(BATCHES * BATCH)]
