"""Every `next` stays on this site: odd spellings of another host are refused."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent

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


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_move_on_the_lead_page_never_sends_the_browser_off_site(
    client: Client, marketer, target
) -> None:
    lead = lead_in(Stage.MQL)
    client.force_login(marketer)
    response = client.post(
        f"/leads/{lead.pk}/move/",
        {"to": "nurture", "from": "mql", "reason": "Later", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/leads/{lead.pk}/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_logging_an_attempt_never_sends_the_browser_off_site(
    client: Client, rep, handoff_defaults, target
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)
    response = client.post(
        f"/leads/{lead.pk}/attempts/", {"kind": "call", "outcome": "voicemail", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/leads/{lead.pk}/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_switching_language_never_sends_the_browser_off_site(client: Client, rep, target) -> None:
    client.force_login(rep)
    response = client.post("/i18n/setlang/", {"language": "es", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_in_never_sends_the_browser_off_site(client: Client, rep, target) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": rep.username, "password": "secret-pass-123", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)


def test_only_the_redirects_helper_reads_next_from_a_request() -> None:
    """A page that reads ``next`` itself would need its own check, and hand-made checks
    are how ``/\\evil.example`` got through: every page asks plumbing.redirects."""
    readers = []
    for package in ("leadflow", "leads", "scoring", "handoff", "plumbing", "demo"):
        for module in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(module.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"get", "getlist", "__getitem__"}
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value == "next"
                ) or (
                    isinstance(node, ast.Subscript)
                    and isinstance(node.slice, ast.Constant)
                    and node.slice.value == "next"
                ):
                    readers.append(f"{module.relative_to(ROOT)}:{node.lineno}")
    assert readers, "the scan finds the helper's own reads"
    assert all(reader.startswith("plumbing/redirects.py:") for reader in readers), readers
