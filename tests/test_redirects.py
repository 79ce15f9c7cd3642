"""Every `next` stays on this site: odd spellings of another host are refused."""

import pytest
from django.test import Client

from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "http:/\\evil.example",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_saving_preferences_never_sends_the_browser_off_site(client: Client, rep, target) -> None:
    client.force_login(rep)
    response = client.post(
        "/preferences/", {"language": "en", "time_zone": "Europe/Madrid", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/preferences/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_bulk_action_never_sends_the_browser_off_site(client: Client, marketer, target) -> None:
    lead = lead_in(Stage.MQL)
    client.force_login(marketer)
    response = client.post(
        "/queue/send/",
        {"action": "nurture", "lead": [lead.pk], "reason": "Later", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == "/queue/"


def test_a_next_on_this_site_is_followed(client: Client, rep) -> None:
    client.force_login(rep)
    response = client.post(
        "/preferences/", {"language": "en", "time_zone": "Europe/Madrid", "next": "/inbox/?x=1"}
    )
    assert response["Location"] == "/inbox/?x=1"
