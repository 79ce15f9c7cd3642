"""Django admin writes leads through the core's functions, like every other path."""

from typing import Any

import pytest
from django.test import Client

from leads import hooks
from leads.models import Lead, MoveCount, StageChange
from leads.stages import Stage
from scoring.models import LeadScore
from tests.factories import CampaignFactory, LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fired(monkeypatch: pytest.MonkeyPatch) -> list[hooks.Payload]:
    """Every hook payload the core fires, in order (the hooks still run)."""
    seen: list[hooks.Payload] = []
    fire = hooks.registry.fire

    def recording(payload: hooks.Payload) -> None:
        seen.append(payload)
        fire(payload)

    monkeypatch.setattr(hooks.registry, "fire", recording)
    return seen


def form_data(lead: Lead | None = None, **values: Any) -> dict[str, Any]:
    """What the admin's change form posts for ``lead`` (or an empty add form), changed by
    ``values``."""
    data: dict[str, Any] = {
        "email": "",
        "external_id": "",
        "first_name": "",
        "last_name": "",
        "phone": "",
        "title": "",
        "company": "",
        "source": "",
        "campaign": "",
        "owner": "",
        "team": "",
        "attributes": "{}",
        "first_touch": "{}",
        "last_touch": "{}",
        # The read-only history inline still posts its management form.
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
    }
    if lead is not None:
        for name in ("email", "first_name", "last_name", "source"):
            data[name] = getattr(lead, name)
        for name in ("company", "campaign", "owner", "team"):
            data[name] = getattr(lead, f"{name}_id") or ""
        count = lead.history.count()
        data["history-TOTAL_FORMS"] = data["history-INITIAL_FORMS"] = str(count)
        for i, change in enumerate(lead.history.order_by("-at")):
            data[f"history-{i}-id"] = change.pk
            data[f"history-{i}-lead"] = lead.pk
    return data | values


def test_a_lead_the_admin_creates_has_its_first_history_row_fires_the_hook_and_is_scored(
    client: Client, admin_user, active_model, eager_tasks, fired, django_capture_on_commit_callbacks
) -> None:
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            "/admin/leads/lead/add/", form_data(email="ana@acme.example", first_name="Ana")
        )

    assert page.status_code == 302, page.content.decode()[:3000]
    lead = Lead.objects.get()
    change = StageChange.objects.get(lead=lead)
    assert (change.from_stage, change.to_stage, change.actor) == ("", Stage.LEAD, admin_user)
    assert [
        [c.lead_id for c in payload.changes]
        for payload in fired
        if isinstance(payload, hooks.StageChanged)
        and any(c.from_stage == "" for c in payload.changes)
    ] == [[lead.pk]]
    assert LeadScore.objects.filter(lead=lead).exists()
    lead.refresh_from_db()
    assert lead.fit is not None


def test_an_admin_edit_of_owner_campaign_or_source_re_keys_the_reports_and_re_scores(
    client: Client,
    admin_user,
    rep,
    active_model,
    eager_tasks,
    fired,
    django_capture_on_commit_callbacks,
) -> None:
    lead = LeadFactory(source="web")
    campaign = CampaignFactory()
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            f"/admin/leads/lead/{lead.pk}/change/",
            form_data(lead, owner=rep.pk, campaign=campaign.pk, source="partner"),
        )

    assert page.status_code == 302, page.content.decode()[:3000]
    lead.refresh_from_db()
    assert (lead.owner, lead.campaign, lead.source) == (rep, campaign, "partner")
    # The lead's creation moved out of the old slices and into the new ones.
    slices = {
        name: sum(MoveCount.objects.filter(slice=name).values_list("n", flat=True))
        for name in ("source:web", "source:partner", f"owner:{rep.pk}")
    }
    assert slices == {"source:web": 0, "source:partner": 1, f"owner:{rep.pk}": 1}
    in_campaign = MoveCount.objects.filter(campaign_id=campaign.pk, slice="")
    assert sum(in_campaign.values_list("n", flat=True)) == 1
    assert hooks.LeadsEdited([lead.pk]) in fired
    assert LeadScore.objects.filter(lead=lead).exists()


def test_the_admin_cannot_give_a_lead_to_someone_outside_sales(
    client: Client, admin_user, marketer
) -> None:
    lead = LeadFactory()
    client.force_login(admin_user)

    page = client.post(f"/admin/leads/lead/{lead.pk}/change/", form_data(lead, owner=marketer.pk))

    assert page.status_code == 200  # the form again, with the error
    assert "Choose someone in sales" in page.content.decode()
    lead.refresh_from_db()
    assert lead.owner is None
