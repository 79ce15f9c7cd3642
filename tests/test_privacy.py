"""A person's data on request: exported whole as JSON, or erased — reports still count the
lead, nothing identifies the person, and both are in the audit log."""

import pytest
from auditlog.models import LogEntry
from django.utils import timezone
from rest_framework.test import APIClient

from handoff.models import ContactAttempt
from leads.records import add_note
from leads.reports.metrics import stage_counts
from leads.stages import Stage
from scoring.models import Event
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(active_model, rep, admin_user):  # type: ignore[no-untyped-def]
    lead = lead_in(Stage.SAL, email="marta.ruiz@acme.example", first_name="Marta",
                   last_name="Ruiz", phone="+34 600 000 000", owner=rep,
                   attributes={"seniority": "vp", "converted": "yes"})  # fmt: skip
    Event.objects.create(
        lead=lead, type="page_view", source="web", occurred_at=timezone.now(),
        properties={"url": "/pricing?email=marta", "utm_campaign": "spring"},
    )  # fmt: skip
    add_note(lead, author=rep, text="Marta's mobile is 600 000 000")
    ContactAttempt.objects.create(lead=lead, rep=rep, kind="call", outcome="connected",
                                  note="Spoke with Marta")  # fmt: skip
    return lead


def test_an_admin_exports_everything_about_a_person(person, admin_user) -> None:
    api = APIClient()
    api.force_authenticate(admin_user)

    data = api.get(f"/api/leads/{person.pk}/personal-data/").json()

    assert data["lead"]["email"] == "marta.ruiz@acme.example"
    assert data["notes"][0]["text"] == "Marta's mobile is 600 000 000"
    assert data["events"][0]["properties"]["url"] == "/pricing?email=marta"
    assert data["contact_attempts"][0]["note"] == "Spoke with Marta"
    assert [h["to_stage"] for h in data["lead"]["history"]][-1] == "sal"
    assert (
        LogEntry.objects.get_for_object(person)
        .filter(changes__icontains="exported", actor=admin_user)
        .exists()
    )


def test_erasing_keeps_the_numbers_and_removes_the_person(person, admin_user) -> None:
    counts_before = stage_counts(timezone.now())
    api = APIClient()
    api.force_authenticate(admin_user)

    erased = api.post(f"/api/leads/{person.pk}/erase/").json()
    again = api.post(f"/api/leads/{person.pk}/erase/")

    assert erased["email"] == f"erased-{person.pk}@erased.invalid"
    assert (erased["first_name"], erased["last_name"], erased["phone"]) == ("", "", "")
    person.refresh_from_db()
    assert person.attributes == {"converted": "yes"}  # the outcome, for learned scoring
    assert person.stage == Stage.SAL
    assert stage_counts(timezone.now()) == counts_before
    event = Event.objects.get(lead=person)
    assert (event.type, event.properties) == ("page_view", {"utm_campaign": "spring"})
    assert "600" not in person.notes.get().text
    assert ContactAttempt.objects.get(lead=person).note == ""
    assert again.status_code == 409
    assert (
        LogEntry.objects.get_for_object(person)
        .filter(changes__icontains="erased", actor=admin_user)
        .exists()
    )


@pytest.mark.parametrize("who", ["marketer", "rep", "manager"])
def test_only_admins_export_or_erase(person, request, who) -> None:
    api = APIClient()
    api.force_authenticate(request.getfixturevalue(who))
    assert api.get(f"/api/leads/{person.pk}/personal-data/").status_code == 403
    assert api.post(f"/api/leads/{person.pk}/erase/").status_code == 403
    person.refresh_from_db()
    assert person.first_name == "Marta"


def test_the_lead_page_offers_export_and_erase_to_admins_only(person, admin_user, rep, client):  # type: ignore[no-untyped-def]
    client.force_login(rep)
    assert "Erase personal data" not in client.get(f"/leads/{person.pk}/").content.decode()
    client.force_login(admin_user)
    assert "Erase personal data" in client.get(f"/leads/{person.pk}/").content.decode()

    unconfirmed = client.post(f"/leads/{person.pk}/erase/", follow=True)
    assert "Tick the box to confirm the erasure." in unconfirmed.content.decode()
    client.post(f"/leads/{person.pk}/erase/", {"confirm": "yes"})
    person.refresh_from_db()
    assert person.first_name == ""
