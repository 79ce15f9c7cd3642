"""The leads API as an integration would use it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from leads.models import Lead
from leads.stages import Stage
from tests.factories import CampaignFactory, CompanyFactory, LeadFactory, lead_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(marketer) -> APIClient:
    client = APIClient()
    client.force_authenticate(marketer)
    return client


def all_pages(api: APIClient, url: str) -> list[dict]:
    rows: list[dict] = []
    while url:
        body = api.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


def test_creating_a_lead_stores_a_lowercased_email_and_its_first_history_row(api) -> None:
    company = CompanyFactory()

    response = api.post(
        "/api/leads/",
        {
            "email": " Ana.Garcia@Example.COM ",
            "first_name": "Ana",
            "company": company.pk,
            "attributes": {"seniority": "vp", "budget": 50000},
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["email"], body["stage"], body["company_name"]) == (
        "ana.garcia@example.com",
        "lead",
        company.name,
    )
    history = api.get(f"/api/leads/{body['id']}/history/").json()
    assert [(h["from_stage"], h["to_stage"]) for h in history] == [("", "lead")]


def test_bad_input_is_400_with_the_fields_at_fault(api) -> None:
    LeadFactory(email="taken@example.com")

    response = api.post(
        "/api/leads/",
        {"email": "not-an-email", "attributes": [1, 2], "campaign": 999999},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"email", "attributes", "campaign"}


def test_a_duplicate_email_in_another_case_is_refused(api) -> None:
    LeadFactory(email="taken@example.com")

    response = api.post("/api/leads/", {"email": "TAKEN@example.com"}, format="json")

    assert response.status_code == 400
    assert "already exists" in response.json()["email"][0]
    assert Lead.objects.filter(email="taken@example.com").count() == 1


def test_stage_cannot_be_written_by_update(api) -> None:
    lead = LeadFactory()

    response = api.patch(f"/api/leads/{lead.pk}/", {"stage": "customer"}, format="json")

    assert response.status_code == 200
    lead.refresh_from_db()
    assert lead.stage == Stage.LEAD


def test_filters_narrow_the_list(api, rep) -> None:
    campaign = CampaignFactory()
    match = lead_in(Stage.MQL, owner=rep, campaign=campaign, source="webinar", fit=80, intent=50)
    lead_in(Stage.MQL, owner=rep, source="webinar", fit=30, intent=50)
    lead_in(Stage.LEAD, campaign=campaign, source="webinar", fit=90, intent=50)
    old = LeadFactory(source="webinar")
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))

    query = (
        f"?stage=mql&owner={rep.pk}&campaign={campaign.pk}&source=webinar&fit_min=60"
        f"&created_after={(timezone.now() - timedelta(days=30)).isoformat().replace('+', '%2B')}"
    )
    rows = all_pages(api, f"/api/leads/{query}")

    assert [row["id"] for row in rows] == [match.pk]


def test_search_finds_by_name_email_or_company(api) -> None:
    company = CompanyFactory(name="Telefonía Ibérica")
    by_name = LeadFactory(first_name="Lucía", last_name="Pérez")
    by_email = LeadFactory(email="cto@rare-domain.example")
    by_company = LeadFactory(company=company)
    LeadFactory(first_name="Other", last_name="Person")

    def found(q: str) -> set[int]:
        return {row["id"] for row in all_pages(api, f"/api/leads/?q={q}")}

    assert found("Lucía Pérez") == {by_name.pk}
    assert found("rare-domain") == {by_email.pk}
    assert found("telefonía") == {by_company.pk}


def test_an_unknown_filter_value_is_400(api) -> None:
    assert api.get("/api/leads/?owner=abc").status_code == 400
    assert api.get("/api/leads/?stage=won").status_code == 400


@pytest.mark.parametrize("ordering", ["-fit", "fit", "-intent", "created_at", "-created_at"])
def test_keyset_pages_neither_skip_nor_repeat_rows_while_scores_tie(api, ordering: str) -> None:
    # 23 leads on three tied scores plus 7 not scored yet: pages of 4 cut through ties.
    leads = [
        LeadFactory(fit=[40, 70, 70, 90][i % 4], intent=[10, 10, 55][i % 3]) for i in range(23)
    ]
    leads += [LeadFactory() for _ in range(7)]

    rows = all_pages(api, f"/api/leads/?ordering={ordering}&page_size=4")

    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == 30
    field = ordering.removeprefix("-")
    descending = ordering.startswith("-")
    scored = [row for row in rows if row[field] is not None]
    unscored = [row for row in rows if row[field] is None]
    # Unscored leads come last in both directions; ties break on id in the same direction.
    assert rows == scored + unscored
    keys = [(row[field], row["id"]) for row in scored]
    assert keys == sorted(keys, reverse=descending)
    assert [r["id"] for r in unscored] == sorted((r["id"] for r in unscored), reverse=descending)


def test_synthetic_leads_sort_by_the_scores_they_show(api) -> None:
    from demo.leads import add_synthetic_leads

    add_synthetic_leads(15)

    rows = all_pages(api, "/api/leads/?ordering=-intent&page_size=4")
    intents = [row["intent"] for row in rows]
    assert len(rows) == 15
    assert None not in intents
    assert intents == sorted(intents, reverse=True)


def test_a_bad_cursor_or_ordering_is_400(api) -> None:
    assert api.get("/api/leads/?cursor=not-base64!").status_code == 400
    assert api.get("/api/leads/?ordering=email").status_code == 400
    assert api.get("/api/leads/?page_size=0").status_code == 400


def test_the_list_makes_a_bounded_number_of_queries(api, django_assert_max_num_queries) -> None:
    company = CompanyFactory()
    for _ in range(60):
        LeadFactory(company=company, fit=50)

    with django_assert_max_num_queries(6):
        response = api.get("/api/leads/?ordering=-fit")

    assert len(response.json()["results"]) == 50


def test_moving_a_lead_through_the_api(api, marketer) -> None:
    lead = LeadFactory()

    response = api.post(
        f"/api/leads/{lead.pk}/transition/",
        {"to": "mql", "from": "lead", "reason": "Requested a demo"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["stage"] == "mql"
    history = api.get(f"/api/leads/{lead.pk}/history/").json()
    assert [(h["to_stage"], h["reason"], h["actor_name"]) for h in history][-1] == (
        "mql",
        "Requested a demo",
        marketer.get_full_name(),
    )


def test_moving_without_a_required_reason_is_400(api) -> None:
    lead = LeadFactory()

    response = api.post(f"/api/leads/{lead.pk}/transition/", {"to": "nurture"}, format="json")

    assert response.status_code == 409  # lead → nurture is not in the table at all
    response = api.post(f"/api/leads/{lead.pk}/transition/", {"to": "disqualified"}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()


def test_an_illegal_or_stale_move_is_409(api) -> None:
    lead = LeadFactory()

    illegal = api.post(f"/api/leads/{lead.pk}/transition/", {"to": "customer"}, format="json")
    stale = api.post(
        f"/api/leads/{lead.pk}/transition/",
        {"to": "disqualified", "from": "mql", "reason": "Spam"},
        format="json",
    )

    assert (illegal.status_code, illegal.json()["code"]) == (409, "illegal_transition")
    assert (stale.status_code, stale.json()["code"]) == (409, "stage_conflict")
    assert Lead.objects.get(pk=lead.pk).stage == Stage.LEAD


def test_the_schema_and_docs_render(api) -> None:
    schema = api.get("/api/schema/?format=json")
    docs = api.get("/api/docs/")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "409" in paths["/api/leads/{id}/transition/"]["post"]["responses"]
    assert docs.status_code == 200


def test_companies_are_matched_by_domain_case_insensitively(api) -> None:
    CompanyFactory(domain="acme.example")

    response = api.post(
        "/api/companies/", {"domain": "ACME.example", "name": "Acme again"}, format="json"
    )

    assert response.status_code == 400
    assert "domain" in response.json()


def test_a_campaign_cannot_end_before_it_starts(api) -> None:
    response = api.post(
        "/api/campaigns/",
        {
            "name": "Backwards",
            "channel": "email",
            "starts_on": "2026-05-01",
            "ends_on": "2026-04-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "ends_on" in response.json()


def test_only_admins_edit_teams(api, admin_user) -> None:
    assert api.post("/api/teams/", {"name": "EMEA"}, format="json").status_code == 403
    admin = APIClient()
    admin.force_authenticate(admin_user)
    assert admin.post("/api/teams/", {"name": "EMEA"}, format="json").status_code == 201
