"""The dashboard: who may open it, what it shows for a period, and a bounded number of
queries whatever the data size."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leads.lifecycle import transition
from leads.models import SpendEntry
from leads.stages import Stage
from tests.factories import CampaignFactory, LeadFactory, lead_in

pytestmark = pytest.mark.django_db


def build(n: int, campaign) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        lead_in(Stage.SQL, campaign=campaign)
        lead_in(Stage.NURTURE, campaign=campaign)
        LeadFactory(campaign=campaign)


@pytest.fixture
def spend(handoff_defaults):  # type: ignore[no-untyped-def]
    campaign = CampaignFactory(name="Webinar Q4", channel="webinars")
    today = timezone.localdate()
    SpendEntry.objects.create(
        campaign=campaign,
        amount=Decimal("900.00"),
        currency="EUR",
        starts_on=today - timedelta(days=10),
        ends_on=today - timedelta(days=1),
    )
    return campaign


@pytest.mark.parametrize("who", ["marketer", "manager", "admin_user"])
def test_numbers_people_see_as_charts_and_tables(who, spend, request, client) -> None:
    build(3, spend)
    client.force_login(request.getfixturevalue(who))

    response = client.get("/dashboard/?days=30")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<svg class="chart"') == 5  # funnel, conversion, velocity, cost, reasons
    assert "Webinar Q4" in page
    counts = {stage.value: n for stage, n in response.context["counts"]}
    assert (counts["sql"], counts["nurture"]) == (3, 3)
    sql_row = response.context["campaign_costs"][0]
    assert sql_row["sqls"] == 3
    assert sql_row["cost_per_sql"] == Decimal("300.00")


def test_reps_may_not_open_it(rep, client) -> None:
    client.force_login(rep)
    assert client.get("/dashboard/").status_code == 403


def test_a_custom_period_and_zero_data_say_n_a(marketer, client) -> None:
    client.force_login(marketer)
    response = client.get("/dashboard/?start=2020-01-01&end=2020-01-31")
    assert response.status_code == 200
    assert response.context["chosen"] == "custom"
    assert "n/a" in response.content.decode()


def test_query_budget_does_not_grow_with_data(marketer, spend, client) -> None:
    client.force_login(marketer)
    build(1, spend)
    with CaptureQueriesContext(connection) as small:
        client.get("/dashboard/")
    build(6, spend)
    other = CampaignFactory(name="Ads")
    build(2, other)
    transition(lead_in(Stage.MQL, campaign=other), Stage.NURTURE, actor=marketer, reason="Later")
    with CaptureQueriesContext(connection) as large:
        client.get("/dashboard/")
    assert len(large) == len(small) <= 30
