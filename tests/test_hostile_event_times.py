"""Event times and ids that once stopped scoring for everybody: refused per item, and an
ancient event already stored never breaks a drain or a re-score."""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from leads.stages import Stage
from scoring import pending
from scoring.criteria import active_spec
from scoring.live import rescore_leads
from scoring.models import Event, LeadScore, PendingEvent
from scoring.sql import scores
from tests.factories import lead_in

pytestmark = pytest.mark.django_db

BAD_ITEMS = {
    "the year 1900": ({"occurred_at": "1900-01-01T00:00:00Z"}, "occurred_at"),
    "the epoch": ({"occurred_at": "1970-01-01T00:00:00Z"}, "occurred_at"),
    "year 1 with an offset": ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at"),
    "the 30th of February": ({"occurred_at": "2026-02-30T10:00:00Z"}, "occurred_at"),
    "the 25th hour": ({"occurred_at": "2026-11-02T25:00:00Z"}, "occurred_at"),
    "an offset of 99 hours": ({"occurred_at": "2026-11-02T10:00:00+99:00"}, "occurred_at"),
    "a lead id past bigint": ({"lead_id": 2**63, "email": None}, "lead_id"),
    "a negative lead id": ({"lead_id": -1, "email": None}, "lead_id"),
    "an email over 254 characters": ({"email": "a" * 250 + "@b.example"}, "email"),
}


def post(client: Client, key: str, body: bytes | str):  # type: ignore[no-untyped-def]
    return client.post("/api/events/", data=body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Api-Key {key}")  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_ITEMS))
def test_a_bad_time_or_id_is_refused_for_its_item_and_the_rest_of_the_batch_is_kept(
    case: str, client: Client, source_key: str
) -> None:
    change, field = BAD_ITEMS[case]
    bad = {"id": "bad", "type": "page_view", "email": "bad@b.example", **change}
    bad = {key: value for key, value in bad.items() if value is not None}
    good = {"id": "good", "type": "page_view", "email": "good@b.example"}

    response = post(client, source_key, json.dumps([bad, good]))

    assert response.status_code == 200, response.content[:300]
    first, second = response.json()["results"]
    assert first["status"] == "error"
    assert field in first["errors"]
    assert second["status"] == "created"
    assert list(Event.objects.values_list("external_id", flat=True)) == ["good"]


def test_json_nested_ten_thousand_deep_is_a_400_not_a_500(client: Client, source_key: str):
    response = post(client, source_key, "[" * 10_000 + "]" * 10_000)
    assert response.status_code == 400
    deep_properties = '{"a": ' * 5_000 + "1" + "}" * 5_000
    response = post(
        client, source_key, f'[{{"type": "page_view", "properties": {deep_properties}}}]'
    )
    assert response.status_code == 400


def test_brackets_inside_strings_do_not_count_as_nesting(client: Client, source_key: str):
    item = {"type": "page_view", "email": "a@b.example", "properties": {"q": "[" * 500}}
    response = post(client, source_key, json.dumps([item]))
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "created"


def test_the_tracking_collector_refuses_deep_json_with_a_400(client: Client) -> None:
    response = client.post("/t/collect/", data="{" * 3_000, content_type="text/plain")
    assert response.status_code == 400


@pytest.mark.needs_postgres
def test_an_ancient_stored_event_does_not_stop_the_drain_for_everybody(
    source_key: str, active_model
) -> None:
    """As if stored before the times were bounded: the decay of its points is bounded in
    SQL, so the drain still scores it and every other lead."""
    old_lead, other = lead_in(Stage.LEAD), lead_in(Stage.LEAD)
    now = timezone.now()
    rescore_leads([old_lead.pk, other.pk], at=now)  # a current state: the drain folds in SQL
    ancient = Event.objects.create(lead=old_lead, type="demo_request", source="website",
                                   occurred_at=now.replace(year=1900))  # fmt: skip
    fresh = Event.objects.create(lead=other, type="demo_request", source="website",
                                 occurred_at=now - timedelta(minutes=1))  # fmt: skip
    PendingEvent.objects.bulk_create(
        [PendingEvent(event_id=ancient.pk), PendingEvent(event_id=fresh.pk)]
    )

    assert pending.drain() == 2

    assert LeadScore.objects.get(lead=other).intent_points > 0
    assert LeadScore.objects.get(lead=old_lead).intent_points == pytest.approx(0, abs=1e-6)


@pytest.mark.needs_postgres
def test_a_re_score_of_a_lead_with_an_event_from_1970_succeeds(active_model) -> None:
    lead = lead_in(Stage.LEAD)
    # Page views halve every 7 days: 1970 is ~2,900 half-lives ago.
    Event.objects.create(lead=lead, type="page_view", source="website",
                         occurred_at=timezone.now().replace(year=1970))  # fmt: skip

    with transaction.atomic():
        scores.set_up_transaction()
        scores.rescore_range(active_spec(), first_id=lead.pk, last_id=lead.pk,
                                at=timezone.now())  # fmt: skip

    assert LeadScore.objects.get(lead=lead).intent_points == pytest.approx(0, abs=1e-6)


@pytest.mark.usefixtures("fresh_cache")
def test_a_source_key_cannot_map_which_lead_ids_exist(client: Client, source_key: str) -> None:
    """After a minute's share of events for ids that name no lead, the key waits (429):
    enough for honest mistakes, too few to map the ids."""
    from scoring.api.views import UNKNOWN_LEAD_IDS_PER_MINUTE

    probe = [
        {"type": "page_view", "lead_id": 10_000_000 + i} for i in range(UNKNOWN_LEAD_IDS_PER_MINUTE)
    ]
    first = post(client, source_key, json.dumps(probe))
    assert first.status_code == 400  # no item stored: each says "No lead has this id"

    again = post(client, source_key, json.dumps([{"type": "page_view", "lead_id": 1}]))

    assert again.status_code == 429
    assert again.json()["code"] == "unknown_leads"
    assert "Retry-After" in again


@pytest.mark.usefixtures("fresh_cache")
def test_one_big_batch_cannot_map_more_ids_than_the_minute_allows(
    client: Client, source_key: str
) -> None:
    """A single batch of 1,000 ids is told "no such lead" for the minute's share only; the
    items after it are left unchecked whether their lead exists or not (a real lead among
    them is not revealed), and the sender is told to send them again."""
    from scoring.api.views import UNKNOWN_LEAD_IDS_PER_MINUTE

    real = lead_in(Stage.LEAD)
    probe = [{"type": "page_view", "lead_id": 10_000_000 + i} for i in range(900)]
    probe.insert(UNKNOWN_LEAD_IDS_PER_MINUTE + 50, {"type": "page_view", "lead_id": real.pk})
    probe.insert(0, {"type": "page_view", "lead_id": real.pk, "event_id": "first-known"})

    results = post(client, source_key, json.dumps(probe)).json()["results"]

    told_unknown = [r for r in results if "No lead has this id." in str(r.get("errors"))]
    unchecked = [r for r in results if "Not checked" in str(r.get("errors"))]
    assert len(told_unknown) == UNKNOWN_LEAD_IDS_PER_MINUTE
    assert results[0]["status"] == "created"  # before the budget ran out: stored
    assert results[UNKNOWN_LEAD_IDS_PER_MINUTE + 51] in unchecked  # the real lead: not told
    assert len(unchecked) == len(probe) - 1 - UNKNOWN_LEAD_IDS_PER_MINUTE
