"""The handoff as people do it, in a real browser: marketer → rep → lead page / nurture."""

from typing import Any

import pytest
from playwright.sync_api import expect

from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "secret-pass-123"


def log_in(page: Any, base: str, username: str) -> None:
    page.goto("about:blank")  # stop the previous page's polling before switching user
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_marketer_sends_an_mql_and_the_rep_accepts_it(
    live_server, page, console_errors, screenshot, marketer, sales_floor, active_model
) -> None:
    lead = lead_in(Stage.MQL, first_name="Paula", last_name="Vidal", email="paula@acme.example")
    log_in(page, live_server.url, "marketer")
    page.get_by_role("heading", name="MQL queue").wait_for()
    page.get_by_role("row", name="Paula Vidal").get_by_role("button", name="Send to sales").click()
    page.get_by_role("status").filter(has_text="Sent to").wait_for()
    screenshot("queue-sent")

    rep = sales_floor["reps"][0]  # round robin starts with the first rep
    log_in(page, live_server.url, rep.username)
    page.get_by_role("heading", name="Inbox").wait_for()
    row = page.get_by_role("row", name="Paula Vidal")
    expect(row.locator(".sla-chip")).to_be_visible()
    screenshot("inbox")
    row.get_by_role("button", name="Accept").click()
    page.get_by_role("status").filter(has_text="Accepted").wait_for()

    page.goto(f"{live_server.url}/leads/{lead.pk}/")
    expect(page.get_by_text("MQL → SAL")).to_be_visible()
    screenshot("lead-page")


def test_a_rep_rejects_with_a_reason_and_marketing_finds_it_in_nurture(
    live_server, page, console_errors, screenshot, marketer, sales_floor, active_model
) -> None:
    from handoff.handoffs import send_to_sales

    handoff = send_to_sales(lead_in(Stage.MQL, first_name="Tomás", last_name="Gil"), actor=marketer)
    log_in(page, live_server.url, handoff.rep.username)
    row = page.get_by_role("row", name="Tomás Gil")
    row.get_by_label("Reason").select_option("bad_timing")
    row.get_by_label("Note").fill("Budget frozen until March")
    row.get_by_role("button", name="Reject").click()
    page.get_by_role("status").filter(has_text="Rejected").wait_for()

    log_in(page, live_server.url, "marketer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Nurture").click()
    nurtured = page.get_by_role("row", name="Tomás Gil")
    expect(nurtured.get_by_text("Bad timing").first).to_be_visible()
    expect(nurtured).to_contain_text("Budget frozen until March")
    screenshot("nurture")
