"""Campaigns with spend, in the pages and the API: what a marketer enters is what the cost
numbers divide; bad entries get clear errors and nothing is saved."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from leads.models import Campaign, SpendEntry
from leads.stages import Stage
from tests.factories import CampaignFactory, lead_in

pytestmark = pytest.mark.django_db


def test_a_marketer_adds_a_campaign_and_its_spend_and_sees_the_cost(client, marketer) -> None:
    client.force_login(marketer)
    response = client.post(
        reverse("campaigns"),
        {"name": "Spring webinar", "channel": "webinars", "utm_campaign": "spring"},
    )
    campaign = Campaign.objects.get(name="Spring webinar")
    assert response.url == reverse("campaign", args=[campaign.pk])

    today = timezone.localdate()
    client.post(response.url, {"amount": "1200", "currency": "eur",
                               "starts_on": str(today - timedelta(days=12)),
                               "ends_on": str(today - timedelta(days=1))})  # fmt: skip
    entry = SpendEntry.objects.get()
    assert (entry.amount, entry.currency) == (Decimal("1200.00"), "EUR")
    for _ in range(4):
        lead_in(Stage.SQL, campaign=campaign)

    page = client.get(reverse("campaigns"))
    _campaign, numbers = page.context["rows"][0]
    assert numbers["sqls"] == 4
    assert numbers["cost_per_sql"] == Decimal("300.00")
    assert "300" in page.content.decode()


def test_bad_spend_is_refused_with_the_reason(client, marketer) -> None:
    campaign = CampaignFactory()
    client.force_login(marketer)
    response = client.post(reverse("campaign", args=[campaign.pk]),
                           {"amount": "-5", "currency": "EUR", "starts_on": "2026-11-10",
                            "ends_on": "2026-11-01"})  # fmt: skip
    assert response.status_code == 400
    assert set(response.context["errors"]) == {"amount"}
    assert not SpendEntry.objects.exists()


def test_spend_through_the_api(marketer, rep) -> None:
    campaign = CampaignFactory()
    api = APIClient()
    api.force_authenticate(marketer)
    created = api.post(
        "/api/spend/",
        {"campaign": campaign.pk, "amount": "99.50", "currency": "USD",
         "starts_on": "2026-11-01", "ends_on": "2026-11-30"}, format="json",
    )  # fmt: skip
    assert created.status_code == 201
    bad = api.post("/api/spend/", {"campaign": campaign.pk, "amount": "10", "currency": "euro",
                                   "starts_on": "2026-11-30", "ends_on": "2026-11-01"},
                   format="json")  # fmt: skip
    assert bad.status_code == 400
    assert set(bad.json()) >= {"currency"}
    api.force_authenticate(rep)
    assert api.get("/api/spend/").status_code == 403


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_sales_roles_do_not_manage_campaigns(client, request, who) -> None:
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("campaigns")).status_code == 403
