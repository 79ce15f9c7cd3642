"""Texts the system stores (stage-change reasons) read in the reader's language.

The same row, read by an English reader and by a Spanish one, says the same thing in each
one's language, whoever wrote it and in whatever language they worked; a person's own words
stay as typed.
"""

import importlib

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from handoff.handoffs import reject, send_to_sales
from leads import system_texts
from leads.lifecycle import create_lead, transition
from leads.models import StageChange
from leads.stages import Stage
from scoring.engine import ModelSpec, Score
from scoring.store import promotion_reason
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


def read(change: StageChange, language: str) -> str:
    with translation.override(language):
        return change.reason_text


@pytest.fixture
def rejected(marketer, sales_floor):  # type: ignore[no-untyped-def]
    """A lead a rep rejected with a shipped reason and a note, the rep working in Spanish."""
    handoff = send_to_sales(lead_in(Stage.MQL), actor=marketer)
    with translation.override("es"):
        reject(handoff, actor=handoff.rep, reason="bad_timing", note="Llamar en enero.")
    return StageChange.objects.get(lead=handoff.lead, to_stage=Stage.NURTURE)


def test_a_rejection_reads_in_each_readers_language_with_the_note_as_typed(rejected) -> None:
    assert read(rejected, "en") == "Rejected by sales: Bad timing. Llamar en enero."
    assert read(rejected, "es") == "Rechazado por ventas: No es el momento. Llamar en enero."


def test_a_spanish_writer_stores_the_code_and_english_not_spanish(rejected) -> None:
    assert rejected.reason_code == "handoff.rejected_with_note"
    assert rejected.reason_params == {"reason": "Bad timing", "note": "Llamar en enero."}
    assert rejected.reason == "Rejected by sales: Bad timing. Llamar en enero."


def test_a_persons_reason_is_shown_as_typed_to_every_reader(marketer) -> None:
    lead = lead_in(Stage.MQL)
    change = transition(lead, Stage.NURTURE, actor=marketer, reason="  Student, no budget ")

    assert change.reason_code == ""
    assert read(change, "en") == read(change, "es") == "Student, no budget"


def test_a_new_lead_created_by_a_spanish_user_reads_created_in_english(marketer) -> None:
    with translation.override("es"):
        lead = create_lead(actor=marketer, email="nuevo@example.com")
    change = lead.history.get()

    assert (change.reason, change.reason_code) == ("Created", "lead.created")
    assert read(change, "es") == "Creado"


def test_the_promotion_reason_reads_with_translated_rule_labels_and_local_numbers() -> None:
    spec = ModelSpec(version=3, mql_fit=60, mql_intent=30, fit_rules=(), intent_rules=())
    score = Score(
        fit=80,
        intent=42,
        likelihood=None,
        fit_points=80,
        intent_points=42,
        grade="A2",
        hot=False,
        qualifies=True,
        contributions=[
            {"label": "Decision-maker seniority", "points": 25.0},
            {"label": "Our own label", "points": -7.5},
        ],
    )
    stored = promotion_reason(score, spec)
    change = StageChange(
        reason=stored.english, reason_code=stored.code, reason_params=stored.params
    )

    assert read(change, "en") == (
        "Fit 80 ≥ 60 and intent 42 ≥ 30 (scoring model v3): "
        "Decision-maker seniority +25; Our own label −7.5"
    )
    assert read(change, "es") == (
        "Encaje 80 ≥ 60 e intención 42 ≥ 30 (modelo de puntuación v3): "
        "Nivel con poder de decisión +25; Our own label −7,5"
    )


def test_an_unknown_code_or_broken_parameters_fall_back_to_the_stored_text() -> None:
    assert system_texts.render("no.such.code", {}, fallback="as stored") == "as stored"
    assert system_texts.render("handoff.rejected", {}, fallback="as stored") == "as stored"
    with pytest.raises(KeyError):
        system_texts.text("no.such.code")


def test_every_code_renders_in_both_languages() -> None:
    params = {
        "form": "Demo", "mql_fit": 60, "mql_intent": 30, "fit": 70, "intent": 40,
        "version": 2, "rules": [["Student", -40]], "reason": "Other", "note": "n", "text": "Spam",
    }  # fmt: skip
    for code, kind in system_texts.TEXTS.items():
        for language in ("en", "es"):
            with translation.override(language):
                rendered = kind.render(params)
            assert rendered, (code, language)
            assert "%(" not in rendered, (code, language)


def test_the_history_api_gives_the_code_and_the_text_in_the_requested_language(
    rejected, manager
) -> None:
    api = APIClient()
    api.force_authenticate(manager)

    english = api.get(f"/api/leads/{rejected.lead_id}/history/", HTTP_ACCEPT_LANGUAGE="en")
    spanish = api.get(f"/api/leads/{rejected.lead_id}/history/", HTTP_ACCEPT_LANGUAGE="es")

    assert english.status_code == spanish.status_code == 200
    row_en, row_es = english.json()[-1], spanish.json()[-1]
    assert row_en["reason_code"] == row_es["reason_code"] == "handoff.rejected_with_note"
    assert row_en["reason"] == "Rejected by sales: Bad timing. Llamar en enero."
    assert row_es["reason"] == "Rechazado por ventas: No es el momento. Llamar en enero."


def test_the_lead_page_and_nurture_page_tell_the_story_in_the_readers_language(
    rejected, marketer
) -> None:
    client = Client()
    client.force_login(marketer)

    page_es = client.get(f"/leads/{rejected.lead_id}/", HTTP_ACCEPT_LANGUAGE="es").content
    nurture_es = client.get("/nurture/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    page_en = client.get(f"/leads/{rejected.lead_id}/", HTTP_ACCEPT_LANGUAGE="en").content

    assert "Rechazado por ventas: No es el momento. Llamar en enero." in page_es.decode()
    assert "Rechazado por ventas: No es el momento. Llamar en enero." in nurture_es
    assert "Rejected by sales" not in nurture_es
    assert "Rejected by sales: Bad timing. Llamar en enero." in page_en.decode()


@pytest.mark.parametrize(
    ("stored", "code", "params"),
    [
        ("Created", "lead.created", {}),
        ("Importado", "lead.imported", {}),
        ("Envió el formulario «Demo»", "scoring.form_submitted", {"form": "Demo"}),
        ("Rechazado por ventas: No es el momento", "handoff.rejected", {"reason": "Bad timing"}),
        (
            "Rejected by sales: Other. Wrong country",
            "handoff.rejected_with_note",
            {"reason": "Other", "note": "Wrong country"},
        ),
        (
            "Fit 80 ≥ 60 and intent 42 ≥ 30 (scoring model v3): Student -40; Target industry +20",
            "scoring.promoted_by",
            {
                "fit": 80,
                "mql_fit": 60,
                "intent": 42,
                "mql_intent": 30,
                "version": 3,
                "rules": [["Student", -40], ["Target industry", 20]],
            },
        ),
        (
            "Bad timing: budget frozen until next quarter",
            "shipped",
            {"text": "Bad timing: budget frozen until next quarter"},
        ),
    ],
)
def test_existing_rows_get_the_code_of_the_text_they_hold(stored, code, params) -> None:
    migration = importlib.import_module(
        "leads.migrations.0027_stage_change_reason_codes_from_texts"
    )

    assert migration.recognise(stored) == (code, params)
    assert system_texts.render(code, params)  # the recognised parameters render
    assert migration.recognise("Called twice, no answer") is None
    assert migration.recognise("Fit looks great") is None


def test_an_erased_leads_notes_say_so_in_the_readers_language(admin_user, marketer) -> None:
    from leads.privacy import erase
    from leads.records import add_note

    lead = lead_in(Stage.MQL)
    add_note(lead, author=marketer, text="Llamó su asistente.")
    with translation.override("es"):
        erase(lead, actor=admin_user)
    note = lead.notes.get()

    assert note.text == "[erased on request]"  # stored as the system's English marker
    with translation.override("es"):
        assert note.shown == "[borrado a petición]"
    with translation.override("en"):
        assert note.shown == "[erased on request]"
