"""One explanation of a score (scoring.explain): read from the stored score, it agrees with
it, and its readers (the lead page, the webhooks) pay the same queries however many events
the lead has."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from handoff.channels import webhook_body
from handoff.handoffs import send_to_sales
from handoff.models import Delivery, Handoff, WebhookEndpoint
from leads.models import Lead
from leads.stages import Stage
from scoring.defaults import INTENT_RULES
from scoring.explain import explain
from scoring.ingest import ingest
from scoring.models import LeadScore
from tests.factories import CompanyFactory, LeadFactory, lead_in

pytestmark = pytest.mark.django_db

EVENT_TYPES = [event_type for event_type, *_rest in INTENT_RULES]


def send_events(lead: Lead, count: int, rng: random.Random) -> None:
    """``count`` events of random types over the last 60 days, in batches of up to 7 (so
    the stored state is folded into, not only built), through ingest as any source."""
    now = timezone.now()
    items = [
        {
            "type": rng.choice(EVENT_TYPES),
            "lead_id": lead.pk,
            "occurred_at": (now - timedelta(hours=rng.uniform(0, 24 * 60))).isoformat(),
        }
        for _ in range(count)
    ]
    for start in range(0, count, 7):
        results = ingest(items[start : start + 7], source="web", source_kind="first_party")
        assert {r["status"] for r in results} <= {"created", "duplicate"}


def random_lead(rng: random.Random) -> Lead:
    company = CompanyFactory(
        industry=rng.choice(["Software", "Retail", "Finance", ""]),
        employees=rng.choice([None, 8, 120, 3000, 90000]),
        country=rng.choice(["ES", "US", "JP", ""]),
    )
    return LeadFactory(
        company=company,
        email=f"lead{rng.randrange(10**9)}@{rng.choice(['gmail.com', 'acme.example'])}",
        attributes={
            "seniority": rng.choice(["vp", "c-level", "intern", "manager"]),
            "department": rng.choice(["sales", "marketing", "engineering"]),
        },
    )


def test_the_explanation_agrees_with_the_stored_score_for_random_leads(active_model) -> None:
    rng = random.Random(22)
    leads = [random_lead(rng) for _ in range(8)]
    for lead in leads:
        send_events(lead, rng.randrange(1, 30), rng)

    for lead in leads:
        lead = Lead.objects.select_related("company").get(pk=lead.pk)
        stored = LeadScore.objects.get(lead=lead)

        explained = explain(lead)

        assert (explained["fit"], explained["intent"], explained["grade"], explained["hot"]) == (
            stored.fit, stored.intent, stored.grade, stored.hot,
        ), lead.pk  # fmt: skip
        assert (explained["fit"], explained["intent"]) == (lead.fit, lead.intent)
        fit = [c["points"] for c in explained["contributions"] if c["kind"] == "fit"]
        intent = [c["points"] for c in explained["contributions"] if c["kind"] == "intent"]
        assert sum(fit) == pytest.approx(stored.fit_points)
        # Each intent contribution is rounded to hundredths.
        assert sum(intent) == pytest.approx(stored.intent_points, abs=0.01 * (len(intent) + 1))
        assert explained["version"] == stored.model_version == active_model.version
        assert explained["computed_at"] == stored.computed_at
        assert explained["qualifies"] == (
            stored.fit >= active_model.mql_fit and stored.intent >= active_model.mql_intent
        )


def test_the_biggest_contribution_comes_first_either_way(active_model) -> None:
    lead = LeadFactory(email="x@gmail.com", company=CompanyFactory(industry="Software"))
    ingest(
        [{"type": "unsubscribe", "lead_id": lead.pk}, {"type": "page_view", "lead_id": lead.pk}],
        source="web",
        source_kind="first_party",
    )

    points = [c["points"] for c in explain(lead)["contributions"]]

    assert [abs(p) for p in points] == sorted((abs(p) for p in points), reverse=True)
    assert -30 in points


def test_a_lead_never_scored_is_explained_by_its_fit_alone(active_model) -> None:
    lead = LeadFactory(company=CompanyFactory(industry="Software"))
    LeadScore.objects.filter(lead=lead).delete()

    explained = explain(lead)

    assert explained["computed_at"] is None
    assert explained["intent"] == 0
    assert {c["kind"] for c in explained["contributions"]} == {"fit"}


def test_the_score_api_gives_the_explanation_with_the_likelihood_reasons(rep, active_model) -> None:
    from rest_framework.test import APIClient

    lead = lead_in(Stage.SAL, owner=rep, company=CompanyFactory(industry="Software"))
    send_events(lead, 5, random.Random(1))
    client = APIClient()
    client.force_authenticate(rep)

    body = client.get(f"/api/leads/{lead.pk}/score/").json()

    stored = LeadScore.objects.get(lead=lead)
    assert (body["fit"], body["intent"], body["grade"]) == (stored.fit, stored.intent, stored.grade)
    assert body["likelihood_reasons"] == []  # no learned model is active
    assert body["thresholds"]["mql_fit"] == active_model.mql_fit


# --- Its readers do not re-read the lead's events -----------------------------------------


def lead_with_events(count: int) -> Lead:
    lead = lead_in(Stage.MQL, company=CompanyFactory(industry="Software"),
                   attributes={"seniority": "vp"})  # fmt: skip
    send_events(lead, count, random.Random(count))
    return lead


def queries_of_the_lead_page(client: Client, lead: Lead) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/leads/{lead.pk}/")
    assert page.status_code == 200
    return len(queries.captured_queries)


def test_the_lead_page_costs_the_same_queries_for_2_events_and_for_40(
    client: Client, marketer, handoff_defaults
) -> None:
    few, many = lead_with_events(2), lead_with_events(40)
    client.force_login(marketer)
    queries_of_the_lead_page(client, few)  # warm the process caches (spec, preferences)

    assert queries_of_the_lead_page(client, few) == queries_of_the_lead_page(client, many)


def queries_of_the_webhook_body(lead: Lead, endpoint: WebhookEndpoint) -> int:
    handoff = Handoff.objects.get(lead=lead)
    delivery = Delivery(handoff=handoff, channel=Delivery.Channel.WEBHOOK, endpoint=endpoint,
                        kind="handoff", user=handoff.rep)  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        body = webhook_body(delivery)
    assert body["score"]["fit"] == LeadScore.objects.get(lead=lead).fit
    return len(queries.captured_queries)


def test_the_webhook_body_costs_the_same_queries_for_2_events_and_for_40(
    sales_floor, marketer
) -> None:
    few, many = lead_with_events(2), lead_with_events(40)
    for lead in (few, many):
        send_to_sales(lead, actor=marketer)
    endpoint = WebhookEndpoint.objects.create(name="chat", url="https://hooks.example.com/x",
                                              secret="s")  # fmt: skip
    queries_of_the_webhook_body(few, endpoint)  # warm the process caches

    assert queries_of_the_webhook_body(few, endpoint) == queries_of_the_webhook_body(many, endpoint)
