"""Every page each role reaches from its navigation, on a phone, a wide screen and in Spanish.

Each role logs in, follows every link of its own navigation and opens the pages one level
down (a lead's page, a campaign, a scoring version, a form, the preferences and the
notifications). The journey harness holds each page to its variant: nothing wider than a
390 px screen, no English left on a Spanish page, no console error, no unexpected 4xx/5xx.
"""

from typing import Any

import pytest
from playwright.sync_api import expect

from leads.stages import Stage
from tests.factories import CampaignFactory, CompanyFactory, lead_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def working_day(marketer, admin_user, sales_floor, active_model) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A few leads in every state a page lists: MQLs in the queue, one waiting in the
    rep's inbox, one the rep rejected (in nurture, with the rejection in its story), one
    accepted (SAL), a campaign and a web form."""
    from handoff.handoffs import accept, reject, send_to_sales
    from scoring.models import WebForm

    company = CompanyFactory(name="Acme Analytics", domain="acme.example")
    campaign = CampaignFactory(name="Spring webinar")
    queued = [
        lead_in(Stage.MQL, first_name="Lucía", last_name="Serrano", company=company, fit=80),
        lead_in(Stage.MQL, first_name="Jonathan", last_name="Abernathy-Whitfield", fit=55),
    ]

    def handed_over(first_name: str, last_name: str) -> Any:
        lead = lead_in(Stage.MQL, first_name=first_name, last_name=last_name)
        return send_to_sales(lead, actor=marketer)

    waiting = handed_over("Grace", "González")
    rejected = handed_over("Hugo", "Wilson")
    rejected = reject(rejected, actor=rejected.rep, reason="bad_timing", note="Next quarter.")
    accepted = handed_over("Ana", "Müller")
    accept(accepted, actor=accepted.rep)
    form = WebForm.objects.create(
        name="Demo request",
        fields=[{"name": "email", "label": "Email", "type": "email", "required": True}],
        campaign=campaign,
    )
    return {
        "queued": queued,
        "waiting": waiting,
        "rejected": rejected,
        "accepted": accepted,
        "campaign": campaign,
        "form": form,
        "model": active_model,
    }


def navigation_links(journey: Any) -> list[str]:
    nav = journey.page.get_by_role("navigation", name=journey.t("Main", "Principal"))
    nav.wait_for()
    hrefs = [link.get_attribute("href") for link in nav.get_by_role("link").all()]
    assert hrefs, "the role has no navigation"
    return [href for href in hrefs if href]


def walk(journey: Any, username: str, extra: list[str]) -> None:
    """Log in, then open each navigation item and each extra page, checking every one."""
    journey.log_in(username)
    journey.check()  # the landing page
    pages = navigation_links(journey) + extra + ["/preferences/", "/notifications/"]
    for path in pages:
        journey.visit(path)
        expect(journey.page.locator("main h1").first).to_be_visible()
        if journey.variant.phone:
            # The user menu is on the screen, readable on the top bar's dark background.
            log_out = journey.page.get_by_role("button", name="Log out")
            expect(log_out).to_be_in_viewport()
            assert log_out.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
            assert log_out.evaluate(TOPBAR_BACKGROUND) == "rgb(16, 24, 40)"
        journey.check()


# The background the element is painted on: the nearest ancestor with a colour of its own.
TOPBAR_BACKGROUND = """e => { for (let el = e; el; el = el.parentElement) {
  const bg = getComputedStyle(el).backgroundColor;
  if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg; } return ''; }"""


def test_a_marketer_can_use_every_page_of_theirs(journey, working_day) -> None:
    lead = working_day["queued"][0]
    walk(
        journey,
        "marketer",
        [
            f"/leads/{lead.pk}/",
            f"/leads/{working_day['rejected'].lead_id}/",
            f"/campaigns/{working_day['campaign'].pk}/",
            "/capture/duplicates/",
            "/capture/forms/",
            "/capture/tracking/",
        ],
    )


def test_a_rep_can_use_every_page_of_theirs(journey, working_day) -> None:
    waiting = working_day["waiting"]
    walk(journey, waiting.rep.username, [f"/leads/{waiting.lead_id}/"])
    journey.visit("/inbox/")
    row = journey.page.get_by_role("row", name="Grace González")
    expect(row.get_by_role("button", name=journey.t("Reject", "Rechazar"))).to_be_in_viewport()
    expect(row.get_by_role("combobox")).to_be_in_viewport()


def test_a_manager_can_use_every_page_of_theirs(journey, working_day) -> None:
    walk(journey, "manager", [f"/leads/{working_day['accepted'].lead_id}/"])


def test_an_admin_can_use_every_page_of_theirs(journey, working_day) -> None:
    walk(
        journey,
        "admin",
        [
            f"/settings/scoring/{working_day['model'].pk}/",
            f"/leads/{working_day['rejected'].lead_id}/",
            f"/campaigns/{working_day['campaign'].pk}/",
            f"/capture/forms/{working_day['form'].pk}/",
            "/capture/forms/new/",
            "/capture/duplicates/",
            "/capture/tracking/",
        ],
    )
