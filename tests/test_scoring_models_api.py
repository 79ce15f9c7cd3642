"""Admins edit the criteria as versioned drafts, preview them, then activate one."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from leads.stages import Stage
from scoring.live import rescore_leads
from scoring.models import Event, RescoreJob, ScoringModel
from tests.factories import CompanyFactory, LeadFactory, lead_in

pytestmark = pytest.mark.django_db

DRAFT = {
    "mql_fit": 50,
    "mql_intent": 30,
    "fit_rules": [
        {"attribute": "company.industry", "operator": "equals", "value": "Software",
         "points": 60, "label": "Software company"},
        {"attribute": "attributes.budget", "operator": "between", "value": [10000, 90000],
         "points": 30, "label": "Budget in range"},
    ],
    "intent_rules": [
        {"event_type": "demo_request", "points": 50, "cap": 50, "half_life_days": 20,
         "label": "Demo"},
    ],
}  # fmt: skip


@pytest.fixture
def admin_api(admin_user, active_model) -> APIClient:
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def test_an_admin_creates_and_edits_a_draft_as_a_new_version(admin_api, active_model) -> None:
    created = admin_api.post("/api/scoring-models/", DRAFT, format="json")

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["version"], body["status"]) == (active_model.version + 1, "draft")
    assert [r["label"] for r in body["fit_rules"]] == ["Software company", "Budget in range"]
    edited = admin_api.patch(
        f"/api/scoring-models/{body['id']}/", {"mql_fit": 55, "fit_rules": []}, format="json"
    )
    assert (edited.json()["mql_fit"], edited.json()["fit_rules"]) == (55, [])


def test_the_active_version_cannot_be_edited_only_copied(admin_api, active_model) -> None:
    refused = admin_api.patch(
        f"/api/scoring-models/{active_model.pk}/", {"mql_fit": 1}, format="json"
    )
    copied = admin_api.post(f"/api/scoring-models/{active_model.pk}/copy/")

    assert refused.status_code == 409  # the request is fine; the version's state refuses it
    assert ScoringModel.objects.get(pk=active_model.pk).mql_fit == 60
    assert copied.status_code == 201
    assert len(copied.json()["intent_rules"]) == active_model.intent_rules.count()


def test_bad_rules_are_400_with_the_field_at_fault(admin_api) -> None:
    bad = {**DRAFT, "fit_rules": [{"attribute": "company.employees", "operator": "between",
                                   "value": "lots", "points": 5}]}  # fmt: skip
    response = admin_api.post("/api/scoring-models/", bad, format="json")

    assert response.status_code == 400
    assert "fit_rules" in response.json()


def test_activating_starts_a_rescoring_job_and_only_drafts_can_be_activated(
    admin_api, active_model
) -> None:
    draft = admin_api.post("/api/scoring-models/", DRAFT, format="json").json()

    started = admin_api.post(f"/api/scoring-models/{draft['id']}/activate/")
    again = admin_api.post(f"/api/scoring-models/{draft['id']}/activate/")

    assert started.status_code == 202
    assert started.json()["model_version"] == draft["version"]
    assert RescoreJob.objects.filter(model_version=draft["version"]).exists()
    assert again.status_code == 409
    assert ScoringModel.objects.filter(status="active").get().version == draft["version"]


def test_a_preview_compares_the_draft_with_the_active_model(admin_api) -> None:
    software = CompanyFactory(industry="Software")
    waiting = LeadFactory(company=software, attributes={"budget": 20000})
    Event.objects.create(lead=waiting, type="demo_request", source="web",
                         occurred_at=waiting.created_at)  # fmt: skip
    for index in range(6):  # outcomes known: customers at software firms, others lost
        lead_in(Stage.CUSTOMER, company=software, email=f"won{index}@x.example")
        lead_in(Stage.DISQUALIFIED, email=f"lost{index}@y.example")
    draft = admin_api.post("/api/scoring-models/", DRAFT, format="json").json()

    body = admin_api.get(f"/api/scoring-models/{draft['id']}/preview/").json()

    assert body["would_become_mql"] == 1
    assert body["mql_after"] - body["mql_now"] == 1
    # The lead that changes stage comes first, then those whose scores change.
    assert body["sample"][0]["id"] == waiting.pk
    assert body["sample"][0]["stage"] == {"active": "lead", "draft": "mql"}
    assert all(lead["stage"]["active"] == lead["stage"]["draft"] for lead in body["sample"][1:])
    assert body["leads_with_outcome"] == 12
    assert body["draft"]["auc"] == 1.0
    assert body["draft"]["bands"]
    assert {"mql", "hot", "auc", "bands"} <= set(body["active"])


def test_marketers_read_models_but_only_admins_change_them(marketer, active_model) -> None:
    client = APIClient()
    client.force_authenticate(marketer)

    assert client.get("/api/scoring-models/").status_code == 200
    assert client.post("/api/scoring-models/", DRAFT, format="json").status_code == 403
    assert client.post(f"/api/scoring-models/{active_model.pk}/copy/").status_code == 403
    assert client.get("/api/source-keys/").status_code == 403


def test_a_lead_score_explains_every_rule_that_fired(rep, active_model) -> None:
    company = CompanyFactory(industry="Software", employees=120, country="ES")
    lead = lead_in(Stage.SAL, owner=rep, company=company, attributes={"seniority": "vp"})
    Event.objects.create(lead=lead, type="pricing_page_visit", source="web",
                         occurred_at=lead.created_at)  # fmt: skip
    rescore_leads([lead.pk], at=timezone.now())  # as scoring stores it: the API explains that
    client = APIClient()
    client.force_authenticate(rep)

    body = client.get(f"/api/leads/{lead.pk}/score/").json()

    labels = {c["label"]: c["points"] for c in body["contributions"]}
    assert labels["Decision-maker seniority"] == 25
    assert labels["Target industry"] == 20
    assert "Pricing page visits" in labels
    assert body["fit"] == round((25 + 20 + 20 + 10) * 100 / 90)


def test_a_lead_score_is_404_for_a_lead_you_cannot_see(other_rep, rep, active_model) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client = APIClient()
    client.force_authenticate(other_rep)

    assert client.get(f"/api/leads/{lead.pk}/score/").status_code == 404


def test_source_keys_are_shown_once_and_can_be_revoked(admin_api) -> None:
    created = admin_api.post(
        "/api/source-keys/", {"name": "Intent provider", "source": "bombora",
                              "source_kind": "third_party"}, format="json",
    )  # fmt: skip
    key = created.json()["key"]
    sender = APIClient()
    sender.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    event = {"type": "competitor_research", "email": "buyer@corp.example"}

    assert sender.post("/api/events/", event, format="json").status_code == 200
    assert Event.objects.get().source_kind == "third_party"
    admin_api.post(f"/api/source-keys/{created.json()['api_key']['id']}/revoke/")
    assert sender.post("/api/events/", event, format="json").status_code == 401
    assert "key" not in admin_api.get("/api/source-keys/").json()["results"][0]


def test_a_version_needing_a_likelihood_is_not_activated_without_a_learned_model(
    admin_api, active_model
) -> None:
    """Without a learned model no lead has a likelihood, so no lead could become MQL."""
    draft = admin_api.post(f"/api/scoring-models/{active_model.pk}/copy/").json()
    admin_api.patch(f"/api/scoring-models/{draft['id']}/", {"use_likelihood": True})

    refused = admin_api.post(f"/api/scoring-models/{draft['id']}/activate/")

    assert refused.status_code == 409
    assert "learned model" in refused.json()["detail"]
    assert ScoringModel.objects.get(pk=active_model.pk).status == ScoringModel.Status.ACTIVE
