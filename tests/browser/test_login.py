"""A person logs in and lands on their work, in a real browser."""

import pytest
from playwright.sync_api import expect

from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_rep_logs_in_and_sees_only_their_leads(
    live_server, page, console_errors, screenshot, rep, other_rep, active_model, handoff_defaults
) -> None:
    lead_in(Stage.SAL, owner=rep, first_name="Marta", last_name="Ruiz", email="marta@acme.example")
    lead_in(Stage.SAL, owner=other_rep, first_name="Someone", last_name="Else")

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    screenshot("login")
    page.get_by_label("Username").fill("rep")
    page.get_by_label("Password").fill("secret-pass-123")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("heading", name="Inbox").wait_for()  # a rep lands on their inbox
    screenshot("inbox")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Leads").click()
    page.get_by_role("heading", name="Leads").wait_for()
    expect(page.get_by_text("marta@acme.example")).to_be_visible()
    expect(page.get_by_text("Someone Else")).to_have_count(0)
    screenshot("leads")

    page.get_by_role("link", name="Marta Ruiz").click()
    page.get_by_role("heading", name="The story").wait_for()
    expect(page.get_by_role("heading", name="Scores")).to_be_visible()
    screenshot("lead-page")


def test_a_wrong_password_says_so(live_server, page, console_errors) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_be_visible()
