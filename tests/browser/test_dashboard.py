"""The dashboard in a real browser: charts drawn (no console error), every section shown."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from leads.models import SpendEntry
from leads.stages import Stage
from tests.browser.test_handoff_flow import log_in
from tests.factories import CampaignFactory, lead_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_dashboard_draws_its_charts(
    live_server, page, console_errors, screenshot, marketer, handoff_defaults
) -> None:
    campaign = CampaignFactory(name="Madrid SaaS Summit", channel="events")
    today = timezone.localdate()
    SpendEntry.objects.create(campaign=campaign, amount=Decimal(3000), currency="EUR",
                              starts_on=today - timedelta(days=20), ends_on=today)  # fmt: skip
    for stage in (Stage.MQL, Stage.SAL, Stage.SQL, Stage.SQL, Stage.CUSTOMER, Stage.NURTURE):
        lead_in(stage, campaign=campaign)

    log_in(page, live_server.url, "marketer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()

    for name in (
        "Funnel",
        "Stage-to-stage conversion",
        "Median time in stage",
        "Speed to lead",
        "Cost per SQL by campaign",
        "Why sales rejected leads",
    ):
        expect(page.get_by_role("heading", name=name)).to_be_visible()  # fmt: skip
    expect(page.locator("svg.chart")).to_have_count(5)
    expect(page.get_by_role("img", name="Spend in the period divided by the leads that became SQL")
           ).to_be_visible()  # fmt: skip
    expect(page.get_by_role("cell", name="Madrid SaaS Summit").first).to_be_visible()
    screenshot("dashboard")
