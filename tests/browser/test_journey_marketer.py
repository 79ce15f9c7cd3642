"""María's day on the MQL queue, on the pages only: she filters by source and fit band,
searches, sees a search that matches nothing say so and clears it, mistypes a filter and
sees it marked, reads a lead's story and adds a note, sends one MQL to sales, selects
several and sees the count on the bulk bar, is asked before disqualifying, forgets the
reason for nurture (an error, her selection kept), gives it, sends two more to sales
together, and reads the Nurture page."""

from typing import Any

import pytest
from playwright.sync_api import expect

from leads.models import Lead
from leads.stages import Stage
from scoring.criteria import active_spec
from scoring.engine import grade
from scoring.models import LeadScore
from tests.factories import CompanyFactory, lead_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# (first name, last name, source, fit, intent)
MQLS = [
    ("Wendy", "Webb", "webinar", 92, 70),
    ("Walter", "Wade", "webinar", 35, 60),
    ("Adela", "Alba", "ads", 88, 75),
    ("Nora", "Navas", "ads", 55, 45),
    ("Nico", "Nieto", "ads", 54, 44),
    ("Noel", "Nuñez", "ads", 53, 43),
]


@pytest.fixture
def queue_of_mqls(marketer, sales_floor, active_model) -> dict[str, Lead]:
    """The morning's MQLs, with the grades scoring would give them (the fit band filter
    reads the grade)."""
    company = CompanyFactory(name="Acme Ibérica", industry="Software", country="ES")
    spec = active_spec()
    leads = {}
    for first, last, source, fit, intent in MQLS:
        lead = lead_in(Stage.MQL, first_name=first, last_name=last, source=source, fit=fit,
                       intent=intent, company=company,
                       email=f"{first.lower()}@acme.example")  # fmt: skip
        LeadScore.objects.filter(lead=lead).update(grade=grade(fit, intent, spec))
        leads[first] = lead
    return leads


def names_listed(page: Any) -> set[str]:
    links = page.locator("table.data tbody tr td:nth-child(2) a")
    return {text.split()[0] for text in links.all_inner_texts()}


def test_a_marketer_works_the_queue(journey, queue_of_mqls) -> None:
    page, t = journey.page, journey.t
    journey.log_in("marketer")
    page.get_by_role("heading", name=t("MQL queue", "Cola de MQL")).wait_for()
    expect(page.locator("table.data tbody tr")).to_have_count(len(MQLS))
    journey.check()

    # Filter by source, then by fit band as well.
    page.get_by_label(t("Source", "Origen"), exact=True).fill("webinar")
    page.get_by_role("button", name=t("Apply", "Aplicar"), exact=True).click()
    expect(page.locator("table.data tbody tr")).to_have_count(2)
    assert names_listed(page) == {"Wendy", "Walter"}
    page.get_by_label(t("Fit band", "Banda de encaje")).select_option("A")
    page.get_by_role("button", name=t("Apply", "Aplicar"), exact=True).click()
    expect(page.locator("table.data tbody tr")).to_have_count(1)
    assert names_listed(page) == {"Wendy"}
    journey.check()

    # A search that matches nothing says so; clearing brings the rows back.
    page.get_by_role("searchbox").fill("zzz-nobody")
    page.get_by_role("button", name=t("Apply", "Aplicar"), exact=True).click()
    no_match = page.locator("#no-match")
    expect(no_match).to_contain_text(t("No MQLs match these filters", "Ningún MQL coincide"))
    expect(page.get_by_text(t("No MQLs yet", "Aún no hay MQL"))).to_have_count(0)
    journey.check()
    no_match.get_by_role("link", name=t("Clear filters", "Quitar filtros")).click()
    expect(page.locator("table.data tbody tr")).to_have_count(len(MQLS))

    # A filter she mistypes is marked beside the field, what she typed kept.
    page.get_by_label(t("Fit ≥", "Encaje ≥")).fill("abc")
    page.get_by_role("button", name=t("Apply", "Aplicar"), exact=True).click()
    expect(page.locator("#fit_min-error")).to_have_text(
        t("Enter a number.", "Introduzca un número.")
    )
    expect(page.get_by_label(t("Fit ≥", "Encaje ≥"))).to_have_value("abc")
    expect(page.get_by_role("alert")).to_be_visible()
    journey.check()
    page.locator("#filter-errors").get_by_role("link").click()
    expect(page.locator("table.data tbody tr")).to_have_count(len(MQLS))

    # Reads Adela's story and adds a note.
    page.get_by_role("link", name="Adela Alba").click()
    page.get_by_role("heading", name="Adela Alba").wait_for()
    page.get_by_label(t("Add a note", "Añadir una nota")).fill("Asked for pricing for 40 seats")
    page.get_by_role("button", name=t("Add note", "Añadir nota")).click()
    expect(page.get_by_text("Asked for pricing for 40 seats")).to_be_visible()
    journey.check()

    # Back to the queue: sends Adela to sales in place.
    page.get_by_role("navigation", name=t("Main", "Principal")).get_by_role(
        "link", name=t("Queue", "Cola")
    ).click()
    adela = page.locator("tr", has=page.get_by_role("link", name="Adela Alba"))
    adela.get_by_role("button", name=t("Send to sales", "Enviar a ventas")).click()
    expect(adela.get_by_role("status")).to_contain_text(t("Sent to", "Enviado a"))
    journey.check()

    # Selects three and sees the count before acting.
    page.reload()
    nurtured = ["nora@acme.example", "nico@acme.example", "noel@acme.example"]

    def box(email: str) -> Any:
        return page.get_by_label(t(f"Select {email}", f"Seleccionar a {email}"))

    for email in nurtured:
        box(email).check()
    bar = page.locator("#bulk")
    expect(bar.locator("#bulk-count")).to_have_text(t("3 selected", "3 seleccionados"))
    expect(bar.locator("#bulk-apply")).to_have_text(t("Send 3 to sales", "Enviar 3 a ventas"))
    # Disqualifying asks first, naming the count; she thinks better of it.
    page.get_by_label(t("With the selected", "Con los seleccionados")).select_option("disqualify")
    expect(bar.locator("#bulk-apply")).to_have_text(t("Disqualify 3", "Descalificar 3"))
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    bar.locator("#bulk-apply").click()
    expect(box(nurtured[0])).to_be_checked()
    assert asked == [t("Disqualify 3 leads? They leave the queue for good.",
                       "¿Descalificar 3 leads? Saldrán de la cola definitivamente.")]  # fmt: skip
    assert Lead.objects.filter(stage=Stage.DISQUALIFIED).count() == 0

    page.get_by_label(t("With the selected", "Con los seleccionados")).select_option("nurture")
    expect(bar.locator("#bulk-apply")).to_have_text(t("Move 3 to nurture", "Pasar 3 a nutrición"))
    journey.check()

    # Forgets the reason: an error, nothing moved, her selection kept.
    bar.locator("#bulk-apply").click()
    alert = page.locator("#bulk-outcome [role=alert]")
    expect(alert).to_contain_text(t("Nothing was moved", "No se ha movido nada"))
    expect(alert).to_have_class("message error")
    expect(page.locator("#bulk-reason-error")).to_be_visible()
    for email in nurtured:
        expect(box(email)).to_be_checked()
    expect(bar.locator("#bulk-apply")).to_have_text(t("Move 3 to nurture", "Pasar 3 a nutrición"))
    assert Lead.objects.filter(stage=Stage.NURTURE).count() == 0
    journey.check()

    # Gives the reason: the three move, said as a success.
    page.get_by_label(
        t("Reason (for nurture or disqualify)", "Motivo (para nutrición o descalificación)")
    ).fill("Budget next quarter")
    bar.locator("#bulk-apply").click()
    expect(page.locator("#bulk-outcome [role=status]")).to_have_text(
        t("3 leads moved to nurture.", "3 leads pasados a nutrición.")
    )
    expect(page.locator("#bulk-outcome [role=alert]")).to_have_count(0)
    journey.check()

    # Sends the two webinar leads left to sales together.
    for email in ["wendy@acme.example", "walter@acme.example"]:
        box(email).check()
    page.get_by_label(t("With the selected", "Con los seleccionados")).select_option("send")
    expect(bar.locator("#bulk-apply")).to_have_text(t("Send 2 to sales", "Enviar 2 a ventas"))
    bar.locator("#bulk-apply").click()
    expect(page.locator("#bulk-outcome [role=status]")).to_have_text(
        t("2 leads sent to sales.", "2 leads enviados a ventas.")
    )
    expect(page.get_by_text(t("With sales", "En ventas"), exact=True)).to_have_count(3)
    journey.check()

    # Reads Nurture: the three, with why.
    page.get_by_role("navigation", name=t("Main", "Principal")).get_by_role(
        "link", name=t("Nurture", "Nutrición")
    ).click()
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Budget next quarter")
    journey.check()
