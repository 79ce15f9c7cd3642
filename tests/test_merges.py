"""Duplicates: found by name and company, merged keeping everything, undone exactly."""

import pytest
from django.forms.models import model_to_dict
from rest_framework.test import APIClient

from handoff.models import Answer, ContactAttempt, Handoff, QualifyingQuestion
from leads.models import Lead, StageChange
from leads.stages import Stage
from scoring.models import Event
from tests.factories import CompanyFactory, LeadFactory, lead_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(marketer) -> APIClient:
    client = APIClient()
    client.force_authenticate(marketer)
    return client


def snapshot() -> dict:
    """Everything a merge touches, to compare before and after an undo."""
    return {
        "leads": sorted(
            (model_to_dict(lead, exclude=["updated_at"]) for lead in Lead.objects.all()),
            key=lambda row: row["id"],
        ),
        "events": sorted(Event.objects.values_list("pk", "lead_id")),
        "history": sorted(StageChange.objects.values_list("pk", "lead_id", "to_stage")),
        "handoffs": sorted(Handoff.objects.values_list("pk", "lead_id")),
        "attempts": sorted(ContactAttempt.objects.values_list("pk", "lead_id")),
        "answers": sorted(Answer.objects.values_list("pk", "lead_id", "question_id")),
    }


def test_possible_duplicates_share_a_name_and_company(api) -> None:
    acme = CompanyFactory()
    first = LeadFactory(
        first_name="Ana", last_name="García", company=acme, email="ana@acme.example"
    )
    second = LeadFactory(
        first_name="ana", last_name="garcía", company=acme, email="ana.g@gmail.com"
    )
    LeadFactory(first_name="Ana", last_name="García", company=CompanyFactory())

    groups = api.get("/api/duplicates/").json()["groups"]

    assert groups == [[first.pk, second.pk]]


def test_a_merge_keeps_everything_and_undo_restores_the_exact_prior_state(
    api, handoff_defaults, rep
) -> None:
    acme = CompanyFactory()
    primary = lead_in(
        Stage.SAL,
        owner=rep,
        company=acme,
        first_name="Ana",
        last_name="García",
        email="ana@acme.example",
        phone="",
    )
    duplicate = lead_in(
        Stage.LEAD,
        company=acme,
        first_name="Ana",
        last_name="García",
        email="ana.g@gmail.com",
        phone="+34 600 000 000",
        external_id="crm-9",
        attributes={"seniority": "vp"},
    )
    Event.objects.create(
        lead=duplicate, type="demo_request", source="web", occurred_at=duplicate.created_at
    )
    Event.objects.create(
        lead=primary, type="page_view", source="web", occurred_at=primary.created_at
    )
    Handoff.objects.create(lead=duplicate, rep=rep, status="rejected")
    ContactAttempt.objects.create(lead=duplicate, rep=rep, kind="call", outcome="voicemail")
    budget = QualifyingQuestion.objects.get(category="budget")
    Answer.objects.create(lead=primary, question=budget, value=True)
    Answer.objects.create(lead=duplicate, question=budget, value=False)  # conflicts: stays
    before = snapshot()

    merged = api.post(
        "/api/merges/", {"primary": primary.pk, "duplicate": duplicate.pk}, format="json"
    )

    assert merged.status_code == 201, merged.json()
    primary.refresh_from_db()
    assert (primary.phone, primary.external_id, primary.attributes) == (
        "+34 600 000 000",
        "crm-9",
        {"seniority": "vp"},
    )
    assert Event.objects.filter(lead=primary).count() == 2
    assert Handoff.objects.filter(lead=primary).count() == 1
    assert ContactAttempt.objects.filter(lead=primary).count() == 1
    assert Answer.objects.get(lead=duplicate).value is False  # kept, not lost
    assert StageChange.objects.filter(lead=duplicate).exists()  # its history stays with it
    assert api.get(f"/api/leads/{duplicate.pk}/").status_code == 404  # out of the lists
    assert Lead.objects.get(pk=duplicate.pk).merged_into == primary

    undone = api.post(f"/api/merges/{merged.json()['id']}/undo/")

    assert undone.status_code == 200
    assert snapshot() == before
    assert api.post(f"/api/merges/{merged.json()['id']}/undo/").status_code == 409


def test_two_leads_both_waiting_for_a_rep_are_not_merged(api, handoff_defaults, rep) -> None:
    first, second = lead_in(Stage.MQL), lead_in(Stage.MQL)
    Handoff.objects.create(lead=first, rep=rep)
    Handoff.objects.create(lead=second, rep=rep)

    response = api.post(
        "/api/merges/", {"primary": first.pk, "duplicate": second.pk}, format="json"
    )

    assert response.status_code == 409
    assert Lead.objects.get(pk=second.pk).merged_into is None


def test_reps_cannot_merge(rep) -> None:
    client = APIClient()
    client.force_authenticate(rep)
    first, second = lead_in(Stage.SAL, owner=rep), lead_in(Stage.SAL, owner=rep)

    response = client.post(
        "/api/merges/", {"primary": first.pk, "duplicate": second.pk}, format="json"
    )

    assert response.status_code == 403


def test_plus_addressed_emails_match_the_same_lead_when_the_admin_allows_it(
    admin_user, source_key
) -> None:
    from leads.models import MatchingSettings

    ana = LeadFactory(email="ana@acme.example")
    sender = APIClient()
    sender.credentials(HTTP_AUTHORIZATION=f"Api-Key {source_key}")
    event = {"type": "email_click", "email": "Ana+Newsletter@acme.example"}

    separate = sender.post("/api/events/", event, format="json").json()["results"][0]["lead"]
    admin = APIClient()
    admin.force_authenticate(admin_user)
    admin.put("/api/matching-settings/", {"ignore_plus_addressing": True}, format="json")
    event["email"] = "ana+webinar@acme.example"
    same = sender.post("/api/events/", event, format="json").json()["results"][0]["lead"]

    assert separate != ana.pk  # by default a +tag is another address
    assert MatchingSettings.current().ignore_plus_addressing
    assert same == ana.pk  # now a +tag variant finds the oldest lead with that address
    assert Lead.objects.count() == 2
