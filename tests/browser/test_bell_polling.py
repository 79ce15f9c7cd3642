"""The bell in Chromium: a page left open asks for it once per 10 s (never in a loop), not
at all while the tab is hidden, once when the tab is shown again, and it still shows a new
alert when one arrives."""

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from handoff.models import Notification

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "secret-pass-123"
BELL = "/notifications/bell/"


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Inbox").wait_for()


def count_bell_requests(page: Any) -> list[str]:
    seen: list[str] = []
    page.on(
        "request",
        lambda request: seen.append(request.url) if urlsplit(request.url).path == BELL else None,
    )
    return seen


def set_visibility(page: Any, state: str) -> None:
    """What the browser does when the person switches tabs (headless tabs never hide)."""
    page.evaluate(
        """state => {
            Object.defineProperty(document, "visibilityState", {value: state, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        state,
    )


def test_a_page_left_open_15_seconds_asks_for_the_bell_at_most_3_times(
    live_server, page, console_errors, rep
) -> None:
    requests = count_bell_requests(page)
    log_in(page, live_server.url, "rep")
    bell = page.locator("#bell")
    expect(bell.get_by_role("link")).to_be_visible()

    # Left alone: the page is what is measured, so the test waits as the person would.
    page.wait_for_timeout(15_000)

    assert 1 <= len(requests) <= 3, requests  # every 10 s: one, or two with a slow start
    Notification.objects.create(user=rep, kind="handoff", title="New lead for you")
    expect(bell.locator(".count")).to_have_text("1", timeout=12_000)
    assert len(requests) <= 5


def test_the_bell_pauses_while_the_tab_is_hidden_and_catches_up_when_shown(
    live_server, page, console_errors, rep
) -> None:
    page.clock.install()
    requests = count_bell_requests(page)
    log_in(page, live_server.url, "rep")
    expect(page.locator("#bell").get_by_role("link")).to_be_visible()
    page.wait_for_load_state("networkidle")
    after_load = len(requests)

    set_visibility(page, "hidden")
    Notification.objects.create(user=rep, kind="handoff", title="New lead for you")
    page.clock.run_for(120_000)  # two minutes in the background
    page.wait_for_load_state("networkidle")
    assert len(requests) == after_load

    set_visibility(page, "visible")
    expect(page.locator("#bell .count")).to_have_text("1")
    assert len(requests) == after_load + 1

    with page.expect_request(lambda request: BELL in request.url):
        page.clock.run_for(10_000)  # and the 10 s rhythm goes on while visible
    assert len(requests) == after_load + 2


def test_signed_out_meanwhile_the_bell_stays_a_bell(live_server, page, console_errors, rep) -> None:
    page.clock.install()
    requests = count_bell_requests(page)
    log_in(page, live_server.url, "rep")
    expect(page.locator("#bell").get_by_role("link")).to_be_visible()
    page.context.clear_cookies()  # signed out in another tab, or the session expired

    with page.expect_response(lambda response: "/accounts/login/" in response.url):
        page.clock.run_for(10_000)
    page.clock.run_for(60_000)  # and it stops asking

    expect(page.locator("#bell").get_by_role("link")).to_be_visible()
    expect(page.locator("#bell input")).to_have_count(0)  # no login form in the top bar
    assert len(requests) == 1
