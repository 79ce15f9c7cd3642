"""Behaviour events come in through the API: stored once, scored at once, errors per item."""

import json

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from leads.models import Lead, StageChange
from leads.stages import Stage
from scoring.models import Event, LeadScore, ScoreHistory, SourceApiKey
from tests.factories import CompanyFactory, LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(source_key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {source_key}")
    return client


def post(client: APIClient, body: object):  # type: ignore[no-untyped-def]
    return client.post("/api/events/", body, format="json")


def test_the_same_event_id_twice_is_stored_once_and_scored_once(sender) -> None:
    lead = LeadFactory()
    event = {"id": "evt-1", "type": "demo_request", "lead_id": lead.pk}

    first = post(sender, event)
    intent_after_first = Lead.objects.get(pk=lead.pk).intent
    second = post(sender, [event])

    assert first.json()["results"][0]["status"] == "created"
    assert second.json()["results"][0]["status"] == "duplicate"
    assert Event.objects.filter(lead=lead).count() == 1
    assert Lead.objects.get(pk=lead.pk).intent == intent_after_first > 0
    assert ScoreHistory.objects.filter(lead=lead).count() == 1


def test_a_mixed_batch_keeps_the_good_items_and_reports_each_bad_one(sender) -> None:
    lead = LeadFactory(external_id="crm-42")
    batch = {
        "events": [
            {"id": "a", "type": "pricing_page_visit", "lead_external_id": "crm-42"},
            {"id": "b", "type": "no_such_type", "lead_id": lead.pk},
            {"id": "c", "type": "email_click", "lead_id": 10**9},
            {"id": "d", "type": "email_click", "email": "not an email"},
            {"id": "e", "type": "email_click", "lead_id": lead.pk, "occurred_at": "yesterday"},
            {"id": "f", "type": "email_click", "lead_id": lead.pk, "properties": [1, 2]},
            "not an object",
            {"id": "g", "type": "email_reply", "lead_id": lead.pk},
        ]
    }

    response = post(sender, batch)

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == [
        "created", "error", "error", "error", "error", "error", "error", "created",
    ]  # fmt: skip
    assert list(results[1]["errors"]) == ["type"]
    assert list(results[2]["errors"]) == ["lead_id"]
    assert list(results[3]["errors"]) == ["email"]
    assert list(results[4]["errors"]) == ["occurred_at"]
    assert list(results[5]["errors"]) == ["properties"]
    assert sorted(Event.objects.values_list("external_id", flat=True)) == ["a", "g"]


def test_an_unknown_email_creates_a_lead_with_history_and_company(sender) -> None:
    company = CompanyFactory(domain="acme.example", industry="Software")

    response = post(
        sender,
        {"type": "content_download", "email": "New.Person@ACME.example",
         "lead": {"first_name": "Nia", "title": "VP Marketing"}},
    )  # fmt: skip

    lead = Lead.objects.get(email="new.person@acme.example")
    assert response.json()["results"][0]["lead"] == lead.pk
    assert (lead.first_name, lead.title, lead.company, lead.source) == (
        "Nia", "VP Marketing", company, "website",
    )  # fmt: skip
    assert list(lead.history.values_list("from_stage", "to_stage")) == [("", Stage.LEAD)]
    assert LeadScore.objects.filter(lead=lead).exists()


def test_crossing_the_thresholds_makes_exactly_one_mql_move_with_the_reasons(sender) -> None:
    company = CompanyFactory(industry="Software", employees=400, country="ES")
    lead = LeadFactory(company=company, attributes={"seniority": "vp", "department": "sales"})
    events = [{"id": f"d{i}", "type": "demo_request", "lead_id": lead.pk} for i in range(3)]

    post(sender, events[:1])
    post(sender, events[1:])

    lead.refresh_from_db()
    assert lead.stage == Stage.MQL
    (move,) = StageChange.objects.filter(lead=lead, to_stage=Stage.MQL)
    assert move.actor is None
    assert "intent" in move.reason
    assert "Demo requests" in move.reason
    assert "Decision-maker seniority" in move.reason


def test_a_revoked_key_is_401(source_key) -> None:
    SourceApiKey.objects.update(revoked=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {source_key}")

    response = post(client, {"type": "page_view", "email": "a@b.example"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert not Event.objects.exists()


def test_no_key_is_401_and_a_key_cannot_read_leads(sender, source_key) -> None:
    assert post(APIClient(), {"type": "page_view", "email": "a@b.example"}).status_code == 401
    assert sender.get("/api/leads/").status_code == 401


def test_over_the_keys_rate_limit_is_429(sender) -> None:
    SourceApiKey.objects.update(requests_per_minute=2)
    lead = LeadFactory()

    statuses = [post(sender, {"type": "page_view", "lead_id": lead.pk}).status_code
                for _ in range(3)]  # fmt: skip

    assert statuses == [200, 200, 429]


def test_malformed_json_is_400(sender) -> None:
    response = sender.post("/api/events/", "{not json", content_type="application/json")

    assert response.status_code == 400


def test_more_than_a_thousand_events_is_413(sender) -> None:
    lead = LeadFactory()
    batch = [{"type": "page_view", "lead_id": lead.pk}] * 1001

    response = post(sender, batch)

    assert response.status_code == 413
    assert not Event.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_an_empty_or_wrong_shape_body_is_400(sender) -> None:
    assert post(sender, []).status_code == 400
    assert post(sender, "just a string").status_code == 400
    assert post(sender, {"events": {}}).status_code == 400


def test_a_batch_whose_every_item_fails_is_400_with_the_reasons(sender) -> None:
    response = post(sender, [{"type": "page_view"}])

    assert response.status_code == 400
    assert response.json()["results"][0]["errors"] == {
        "lead": ["Say whose event this is: lead_id, lead_external_id or email."]
    }


def test_huge_and_deep_properties_are_refused_per_item(sender) -> None:
    lead = LeadFactory()
    deep: dict = {}
    cursor = deep
    for _ in range(10):
        cursor["x"] = {}
        cursor = cursor["x"]

    response = post(
        sender,
        [{"type": "page_view", "lead_id": lead.pk, "properties": {"blob": "x" * 20_000}},
         {"type": "page_view", "lead_id": lead.pk, "properties": deep}],
    )  # fmt: skip

    assert [list(r["errors"]) for r in response.json()["results"]] == [
        ["properties"],
        ["properties"],
    ]


def test_a_signed_in_marketer_may_post_events_naming_the_source(marketer, active_model) -> None:
    client = APIClient()
    client.force_authenticate(marketer)
    lead = LeadFactory()

    response = client.post(
        "/api/events/",
        json.dumps({"source": "crm", "events": [{"type": "email_reply", "lead_id": lead.pk}]}),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert Event.objects.get().source == "crm"
