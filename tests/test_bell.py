"""The notification bell asks once per interval from an element that is never replaced, so
a swap cannot set off another request (the old bell re-fired "load" on every swap), and the
page brings the count with it, so opening a page costs no bell request."""

import re

import pytest
from django.conf import settings
from django.test import Client

from handoff.models import Notification

pytestmark = pytest.mark.django_db

BELL_JS = settings.BASE_DIR / "static" / "js" / "bell.js"


def wrapper_of(html: str) -> str:
    match = re.search(r'<span id="bell"[^>]*>', html)
    assert match, "every page has the bell's wrapper"
    return match.group(0)


def test_the_page_brings_the_count_and_the_wrapper_swaps_only_its_inside(
    client: Client, rep
) -> None:
    Notification.objects.create(user=rep, kind="handoff", title="New lead for you")
    client.force_login(rep)

    html = client.get("/inbox/").content.decode()
    wrapper = wrapper_of(html)

    assert 'hx-get="/notifications/bell/"' in wrapper
    assert 'hx-trigger="bell:refresh"' in wrapper  # no "load": the count comes with the page
    assert 'hx-swap="innerHTML"' in wrapper
    assert "every" not in wrapper  # the timer lives in bell.js, which pauses when hidden
    assert '<span class="count" aria-live="polite">1</span>' in html


def test_the_bell_answer_has_nothing_that_polls(client: Client, rep) -> None:
    Notification.objects.create(user=rep, kind="handoff", title="New lead for you")
    client.force_login(rep)

    answer = client.get("/notifications/bell/", HTTP_HX_REQUEST="true").content.decode()

    assert '<span class="count" aria-live="polite">1</span>' in answer
    assert "hx-" not in answer
    assert 'id="bell"' not in answer


def test_the_timer_refreshes_every_10_seconds_only_while_the_page_is_visible() -> None:
    script = BELL_JS.read_text()

    assert "PERIOD_MS = 10000" in script
    assert 'document.visibilityState !== "visible"' in script  # no timer while hidden
    assert '"visibilitychange"' in script  # and one refresh when shown again
    assert "bell:refresh" in script
