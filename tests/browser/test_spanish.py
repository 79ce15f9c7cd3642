"""A rep switches Leadflow to Spanish and accepts a lead, all in Spanish."""

import pytest
from playwright.sync_api import expect

from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_rep_switches_to_spanish_and_accepts_a_lead(
    live_server, page, console_errors, screenshot, marketer, sales_floor, active_model
) -> None:
    from handoff.handoffs import send_to_sales

    lead = lead_in(Stage.MQL, first_name="Lucía", last_name="Serrano")
    handoff = send_to_sales(lead, actor=marketer)
    rep = handoff.rep

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Language").select_option("es")  # the switcher sends itself
    expect(page.get_by_text("Inicia sesión para ver tus leads.")).to_be_visible()
    page.get_by_label("Usuario").fill(rep.username)
    page.get_by_label("Contraseña").fill("secret-pass-123")
    page.get_by_role("button", name="Iniciar sesión").click()

    page.get_by_role("heading", name="Bandeja").wait_for()
    expect(page.get_by_role("heading", name="Esperan tu respuesta")).to_be_visible()
    row = page.get_by_role("row", name="Lucía Serrano")
    expect(row.get_by_role("option", name="No es el momento")).to_be_attached()
    screenshot("bandeja")
    row.get_by_role("button", name="Aceptar").click()
    expect(page.get_by_role("status").filter(has_text="Aceptado")).to_be_visible()

    page.goto(f"{live_server.url}/leads/{lead.pk}/")
    expect(page.get_by_text("MQL → SAL")).to_be_visible()
    expect(page.get_by_role("heading", name="La historia")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "es"
    screenshot("ficha")
