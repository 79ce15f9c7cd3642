"""Every path to MQL reaches handoff's one entry point (handoff.entry.leads_became_mql)
and ends with a handoff and the rep's alert: behaviour events through the API, a
marketer's hand move, an events import."""

import io
import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from handoff import entry
from handoff.models import Delivery, Handoff, Notification
from leads.models import Lead
from leads.stages import Stage
from tests.factories import CompanyFactory, LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The lead ids of each call to the entry point (which still does its work)."""
    calls: list[list[int]] = []
    real = entry.leads_became_mql

    def recording(lead_ids: Any, **kwargs: Any) -> None:
        calls.append(list(lead_ids))
        real(lead_ids, **kwargs)

    monkeypatch.setattr(entry, "leads_became_mql", recording)
    return calls


def a_fitting_lead() -> Lead:
    company = CompanyFactory(industry="Software", employees=300, country="ES")
    return LeadFactory(
        email="ana@acme.example",
        company=company,
        attributes={"seniority": "vp", "department": "sales"},
    )


def assert_handed_to_a_rep_and_alerted(lead: Lead) -> None:
    assert Lead.objects.get(pk=lead.pk).stage == Stage.MQL
    handoff = Handoff.objects.get(lead=lead)
    assert handoff.rep is not None
    assert Notification.objects.filter(user=handoff.rep, handoff=handoff, kind="handoff").exists()
    assert Delivery.objects.filter(handoff=handoff, channel="email", user=handoff.rep).exists()


def test_behaviour_events_through_the_api_reach_the_entry_point(
    sales_floor, source_key, entered, django_capture_on_commit_callbacks
) -> None:
    lead = a_fitting_lead()
    sender = APIClient()
    sender.credentials(HTTP_AUTHORIZATION=f"Api-Key {source_key}")

    with django_capture_on_commit_callbacks(execute=True):
        response = sender.post(
            "/api/events/",
            [{"id": f"d{i}", "type": "demo_request", "lead_id": lead.pk} for i in range(2)],
            format="json",
        )

    assert response.status_code == 200
    assert entered == [[lead.pk]]
    assert_handed_to_a_rep_and_alerted(lead)


def test_a_marketers_hand_move_reaches_the_entry_point(
    sales_floor, marketer, entered, django_capture_on_commit_callbacks
) -> None:
    lead = LeadFactory()
    client = APIClient()
    client.force_authenticate(marketer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/leads/{lead.pk}/transition/",
            {"to": Stage.MQL, "reason": "Asked for a call at the fair", "from": Stage.LEAD},
            format="json",
        )

    assert response.status_code == 200, response.json()
    assert entered == [[lead.pk]]
    assert_handed_to_a_rep_and_alerted(lead)


def test_an_events_import_reaches_the_entry_point(
    sales_floor, marketer, eager_tasks, entered, django_capture_on_commit_callbacks
) -> None:
    lead = a_fitting_lead()
    csv = "Event id,What,Email\n" + "".join(
        f"i{i},demo_request,ana@acme.example\n" for i in range(2)
    )
    file = io.BytesIO(csv.encode())
    file.name = "events.csv"
    client = APIClient()
    client.force_authenticate(marketer)

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/imports/",
            {
                "file": file,
                "mapping": json.dumps({"Event id": "id", "What": "type", "Email": "email"}),
                "kind": "events",
                "source": "old-crm",
            },
            format="multipart",
        )

    assert started.status_code == 202, started.json()
    assert entered == [[lead.pk]]
    assert_handed_to_a_rep_and_alerted(lead)


def test_a_mass_change_leaves_routing_to_a_worker(
    sales_floor, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """The one enqueue policy: a background job's promotions go to the routing task."""
    from handoff import tasks
    from leads import hooks
    from leads.lifecycle import bulk_transition

    sent: list[dict] = []
    monkeypatch.setattr(tasks.route_new_mqls, "delay", sent.append)
    lead = LeadFactory()

    with django_capture_on_commit_callbacks(execute=True), hooks.mass_change():
        bulk_transition([lead.pk], Stage.MQL, source=Stage.LEAD, actor=None, reason="job")

    assert [list(payload) for payload in sent] == [[lead.pk]]
    assert not Handoff.objects.filter(lead=lead).exists()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.route_new_mqls(sent[0])
    assert_handed_to_a_rep_and_alerted(lead)
