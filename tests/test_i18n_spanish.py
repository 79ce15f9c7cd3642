"""Leadflow in Spanish: a complete catalogue, compiled as committed; pages, errors and API
labels follow the user's choice, else the browser's Accept-Language; codes stay English."""

from pathlib import Path

import polib
import pytest
from django.test import Client
from rest_framework.test import APIClient

from leads.models import Preferences
from leads.stages import Stage
from tests.factories import lead_in

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")

pytestmark = pytest.mark.django_db


def test_the_spanish_catalogue_has_no_missing_or_fuzzy_entries() -> None:
    po = polib.pofile(str(CATALOGUE))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert len(po.translated_entries()) > 800


def test_the_committed_mo_is_compiled_from_the_committed_po() -> None:
    """Run `make messages` after editing the .po: this fails until the .mo matches."""
    po = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(CATALOGUE))}
    mo = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(COMPILED))}
    mo.pop((None, ""), None)  # the header
    assert mo == po


def test_the_browser_language_is_used_when_the_user_chose_none(client: Client) -> None:
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert "Inicia sesión para ver tus leads." in page.content.decode()
    assert page["Content-Language"] == "es"


def test_the_users_choice_wins_over_the_browser(client: Client, marketer) -> None:
    client.force_login(marketer)
    client.post("/i18n/setlang/", {"language": "es", "next": "/queue/"})
    assert Preferences.objects.get(user=marketer).language == "es"

    page = client.get("/queue/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Cola de MQL" in page.content.decode()
    client.post("/preferences/", {"language": "en", "time_zone": "Europe/Madrid"})
    assert "MQL queue" in client.get("/queue/", HTTP_ACCEPT_LANGUAGE="es").content.decode()


def test_dates_follow_the_users_time_zone(client: Client, marketer, active_model) -> None:
    from datetime import UTC, datetime

    from leads.models import Lead

    lead = lead_in(Stage.LEAD)
    Lead.objects.filter(pk=lead.pk).update(created_at=datetime(2026, 11, 24, 23, 30, tzinfo=UTC))
    Preferences.objects.create(user=marketer, time_zone="Asia/Tokyo")
    client.force_login(marketer)
    page = client.get(f"/leads/{lead.pk}/")
    assert page.context["TIME_ZONE"] == "Asia/Tokyo"


def test_the_api_keeps_english_codes_and_speaks_the_requested_language(marketer) -> None:
    api = APIClient()
    api.force_authenticate(marketer)
    lead = lead_in(Stage.MQL)

    body = api.get(f"/api/leads/{lead.pk}/", HTTP_ACCEPT_LANGUAGE="es").json()
    refused = api.post(f"/api/leads/{lead.pk}/transition/", {"to": "customer"},
                       HTTP_ACCEPT_LANGUAGE="es")  # fmt: skip

    assert (body["stage"], body["stage_label"]) == ("mql", "MQL")
    assert refused.status_code == 409  # an illegal move for the stage it is in
    assert "Un lead no puede pasar de MQL a Cliente." in str(refused.json())
    nurtured = lead_in(Stage.NURTURE)
    label = api.get(f"/api/leads/{nurtured.pk}/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert (label["stage"], label["stage_label"]) == ("nurture", "Nutrición")
