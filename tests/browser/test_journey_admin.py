"""Ana's day on the scoring criteria, on the pages only: she copies the active version,
gives the "Target industry" fit rule more points and raises the MQL fit threshold,
previews (the count that would become MQL is the MQL before → after difference, and the
leads are listed), activates after a confirmation that says how many leads change, watches
the re-scoring finish on a real worker, and opens a lead whose explanation changed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from leads.models import Lead
from leads.stages import Stage
from scoring.models import Event
from tests.factories import CompanyFactory, LeadFactory, lead_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SOFTWARE_LEADS = ["Sara", "Samuel", "Sofía"]


@pytest.fixture
def leads_to_rescore(admin_user, active_model) -> dict[str, Lead]:
    """Leads at a software firm that asked for a demo: fit 56 under v1 (industry 20 +
    size 20 + country 10 of 90), under the 60 threshold; with the industry at 40 points
    they reach 78. A retail lead and two MQLs stay as they are."""
    software = CompanyFactory(name="Nube Software", industry="Software", employees=200,
                              country="ES")  # fmt: skip
    retail = CompanyFactory(name="Tiendas Sol", industry="Retail", employees=200, country="ES")
    leads = {}
    for name in [*SOFTWARE_LEADS, "Rita"]:
        lead = LeadFactory(first_name=name, last_name="Prueba", email=f"{name.lower()}@x.example",
                           company=retail if name == "Rita" else software)  # fmt: skip
        Event.objects.create(lead=lead, type="demo_request", source="web",
                             occurred_at=timezone.now() - timedelta(hours=1))  # fmt: skip
        leads[name] = lead
    for index in range(2):
        lead_in(Stage.MQL, email=f"mql{index}@x.example")
    return leads


def test_an_admin_changes_the_scoring_and_sees_what_it_did(
    journey, leads_to_rescore, celery_worker
) -> None:
    page, t = journey.page, journey.t
    journey.log_in("admin")
    page.get_by_role("heading", name=t("Scoring", "Puntuación")).first.wait_for()
    journey.check()

    page.get_by_role(
        "button", name=t("Copy into a new draft", "Copiar en un borrador nuevo")
    ).first.click()
    page.get_by_role("heading", name=t("Fit rules", "Reglas de encaje")).wait_for()
    journey.check()

    # A fit rule: the target industry is worth 40 points, not 20.
    industry = page.locator("table.rules tbody tr").filter(
        has=page.locator("input[value='Target industry']")
    )
    industry.get_by_label(t("Points", "Puntos")).fill("40")
    # A threshold: MQL from a fit of 70, not 60.
    page.get_by_label(t("MQL: fit at least", "MQL: encaje mínimo")).fill("70")
    page.get_by_role("button", name=t("Save draft", "Guardar borrador")).click()
    expect(page.get_by_text(t("Draft saved", "Borrador guardado"))).to_be_visible()
    journey.check()

    # The preview: figures that agree, and the leads that would change.
    page.get_by_role("button", name=t("Preview changes", "Previsualizar cambios")).click()
    becoming = page.locator("#would-become-mql")
    expect(becoming).to_have_text("3")
    before, after = page.locator("#mql-now"), page.locator("#mql-after")
    expect(before).to_have_text("2")
    expect(after).to_have_text("5")
    assert int(after.inner_text()) - int(before.inner_text()) == int(becoming.inner_text())
    changed = page.locator("#changed-leads tbody tr")
    for name in SOFTWARE_LEADS:
        row = changed.filter(has=page.get_by_role("link", name=f"{name} Prueba"))
        expect(row).to_contain_text("56 → 78")
        expect(row).to_contain_text("MQL")
    expect(changed.filter(has=page.get_by_role("link", name="Rita Prueba"))).to_have_count(0)
    journey.check()

    # Activate, after a confirmation that says how many leads change: the progress
    # reaches done, the three became MQL.
    page.get_by_role(
        "link", name=t("Activate and re-score every lead", "Activar y recalcular todos los leads")
    ).click()
    expect(page.locator("#activation-summary")).to_contain_text(
        t("3 leads would become MQL (MQLs 2 → 5).", "3 leads pasarían a MQL (MQL 2 → 5).")
    )
    journey.check()
    confirm = t("Activate v2 and re-score every lead", "Activar la v2 y recalcular todos los leads")
    page.get_by_role("button", name=confirm).click()
    status = page.get_by_role("status").filter(has_text=t("Done:", "Terminado:"))
    expect(status).to_be_visible(timeout=30_000)
    expect(status).to_contain_text(t("3 became MQL", "3 pasaron a MQL"))
    expect(page.locator("progress")).to_have_attribute("value", "100")
    journey.check()

    # Opens Sara: her explanation now gives the industry 40 points, and she is an MQL.
    page.get_by_role("navigation", name=t("Main", "Principal")).get_by_role(
        "link", name="Leads", exact=True
    ).click()
    page.get_by_role("searchbox").fill("sara@x.example")
    page.get_by_role("button", name=t("Search", "Buscar"), exact=True).click()
    page.get_by_role("link", name="Sara Prueba").click()
    page.get_by_role("heading", name="Sara Prueba").wait_for()
    reason = page.locator("ul.reasons li").filter(has_text=t("Target industry", "Sector objetivo"))
    expect(reason).to_contain_text("40")
    expect(page.locator(".record-head .badge")).to_have_text("MQL")
    journey.check()
