"""The sales rep's day (JOURNEYS.md, Rosa), through the pages only: answer the inbox
(accept one handoff, reject another with a reason), qualify the accepted lead on its page
and move it to SQL, call an unresponsive SAL until the admin's rule opens the
"unresponsive" move, and win the SQL with a value typed as the rep types numbers."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def reps_morning(marketer, rep, handoff_defaults) -> dict[str, Any]:
    """Two MQLs handed to the rep (through the handoff, as the marketer does), and a SAL
    called once a week ago; the admin's rule: 3 attempts over 7 days."""
    from handoff.handoffs import send_to_sales
    from handoff.models import ContactAttempt, HandoffSettings, RoutingRule

    HandoffSettings.objects.filter(pk=1).update(attempts_required=3, attempts_span_days=7)
    RoutingRule.objects.create(name="Rep", sla_minutes=30).pool.add(rep)
    accepted = lead_in(Stage.MQL, first_name="Paula", last_name="Vidal", fit=80, intent=70)
    rejected = lead_in(Stage.MQL, first_name="Tomás", last_name="Gil", fit=60, intent=40)
    for lead in (accepted, rejected):
        send_to_sales(lead, actor=marketer)
    silent = lead_in(Stage.SAL, owner=rep, first_name="Nora", last_name="Vela")
    ContactAttempt.objects.create(
        lead=silent, rep=rep, kind="call", outcome="no_answer",
        at=timezone.now() - timedelta(days=8),
    )  # fmt: skip
    return {"accepted": accepted, "rejected": rejected, "silent": silent}


def test_a_rep_answers_the_inbox_qualifies_calls_and_wins_a_deal(journey, reps_morning) -> None:
    page, t = journey.page, journey.t
    spanish = journey.variant.spanish

    # The inbox: accept one handoff, reject the other with a reason.
    journey.log_in("rep")
    page.get_by_role("heading", name=t("Inbox", "Bandeja"), exact=True).wait_for()
    journey.check()
    paula = page.get_by_role("row", name="Paula Vidal")
    paula.get_by_role("button", name=t("Accept", "Aceptar")).click()
    expect(page.get_by_role("status").filter(has_text=t("Accepted", "Aceptado"))).to_be_visible()
    tomas = page.get_by_role("row", name="Tomás Gil")
    tomas.get_by_label(t("Reason", "Motivo")).select_option("bad_timing")
    tomas.get_by_label(t("Note", "Nota")).fill("Budget frozen until March")
    tomas.get_by_role("button", name=t("Reject", "Rechazar")).click()
    expect(page.get_by_role("status").filter(has_text=t("Rejected", "Rechazado"))).to_be_visible()
    journey.check()

    # A SAL's questions open in place in its card: one answer, and one fewer thing missing.
    nora = page.locator(".sal-card", has_text="Nora Vela")
    budget = t("Is there a budget for this purchase?", "¿Hay presupuesto para esta compra?")
    expect(nora.locator(".missing li")).to_have_count(4)
    nora.get_by_role("link", name=t("Answer the questions", "Responder a las preguntas")).click()
    nora.get_by_label(budget).select_option("yes")
    nora.get_by_role("button", name=t("Save answers", "Guardar respuestas")).click()
    expect(nora.locator(".missing li")).to_have_count(3)
    journey.check()

    # A silent SAL: two more calls reach the rule (3 over 7 days) and open "unresponsive".
    expect(nora).to_contain_text(t("1 of 3 attempts over 7 days", "1 de 3 intentos en 7 días"))
    unresponsive = nora.get_by_role(
        "button", name=t("Mark unresponsive", "Marcar como «sin respuesta»")
    )
    expect(unresponsive).to_have_count(0)
    for count, outcome in ((2, "voicemail"), (3, "no_answer")):
        nora.get_by_label(t("Attempt", "Intento")).select_option("call")
        nora.get_by_label(t("Outcome", "Resultado")).select_option(outcome)
        nora.get_by_label(t("Note", "Nota")).fill(f"Call {count}")
        nora.get_by_role("button", name=t("Log attempt", "Registrar intento")).click()
        expect(nora).to_contain_text(
            t(f"{count} of 3 attempts over 7 days", f"{count} de 3 intentos en 7 días")
        )
    expect(unresponsive).to_be_visible()
    journey.check()
    nora.get_by_label(t("Unresponsive:", "Sin respuesta:")).select_option("nurture")
    unresponsive.click()
    expect(page.get_by_role("status")).to_contain_text(t("Moved to Nurture", "Movido a Nutrición"))
    expect(page.locator(".sal-card", has_text="Nora Vela")).to_have_count(0)
    journey.check()

    # The accepted lead: too early for SQL (the typed reason is kept), then the questions.
    page.get_by_role("link", name="Paula Vidal").click()
    page.get_by_role("heading", name="Paula Vidal").wait_for()
    journey.check()
    page.get_by_label(t("Move to", "Mover a"), exact=True).select_option("sql")
    page.get_by_label(t("Reason", "Motivo"), exact=True).fill("Good first call")
    with journey.expect_status(400, "/move/"):
        page.get_by_role("button", name=t("Move", "Mover"), exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text(t("Not yet an SQL", "Todavía no es SQL"))
    expect(page.get_by_label(t("Reason", "Motivo"), exact=True)).to_have_value("Good first call")
    journey.check()

    qualify = page.locator(".qualify")
    missing = qualify.locator(".missing li")
    expect(missing).to_have_count(4)
    qualify.get_by_label(
        t("Is there a budget for this purchase?", "¿Hay presupuesto para esta compra?")
    ).select_option("yes")
    qualify.get_by_role("button", name=t("Save answers", "Guardar respuestas")).click()
    expect(missing).to_have_count(3)  # what is missing shrinks in place
    qualify.get_by_label(re.compile(t("decision-maker", "decide"))).select_option("yes")
    qualify.get_by_label(re.compile(t("How many seats", "licencias"))).fill("12")
    qualify.get_by_label(re.compile(t("What problem", "problema"))).fill(
        "Leads wait days for a call"
    )
    qualify.get_by_label(re.compile(t("When do they want", "empezar"))).select_option(
        "This quarter"
    )
    qualify.get_by_role("button", name=t("Save answers", "Guardar respuestas")).click()
    expect(missing).to_have_count(0)
    journey.check()
    qualify.get_by_role("button", name=t("Move → SQL", "Pasar a SQL")).click()
    expect(page.locator(".record-head .badge")).to_have_text("SQL")
    journey.check()

    # Won: the value as the rep types numbers, and a close date; the page shows the deal.
    page.get_by_label(t("Deal value", "Importe de la venta")).fill(
        "12.500,50" if spanish else "12,500.50"
    )
    page.get_by_label(t("Close date", "Fecha de cierre")).fill("2026-11-30")
    page.get_by_role("button", name=t("Won", "Ganado"), exact=True).click()
    expect(page.locator(".record-head .badge")).to_have_text(t("Customer", "Cliente"))
    expect(page.locator(".deal-value")).to_have_text(
        re.compile(r"12\s500,50") if spanish else "12,500.50"
    )
    expect(page.locator(".deal-closed")).to_have_text(t("Nov. 30, 2026", "30 de noviembre de 2026"))
    journey.check()
