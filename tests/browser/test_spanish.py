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
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()  # an explicit choice, not the arrows
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


def test_arrowing_through_the_languages_does_not_switch_until_the_person_chooses(
    live_server, page, console_errors, rep
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(rep.username)
    page.get_by_label("Password").fill("secret-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Inbox").wait_for()
    reloads: list[str] = []
    page.on("framenavigated", lambda frame: reloads.append(frame.url))

    switcher = page.get_by_role("banner").get_by_label("Language")
    switcher.focus()
    switcher.press("ArrowDown")  # a keyboard user moving through the list
    switcher.press("ArrowUp")
    switcher.press("ArrowDown")

    expect(switcher).to_have_value("es")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    assert reloads == []  # still in English, on the same page
    page.get_by_role("banner").get_by_role("button", name="Change").press("Enter")
    expect(page.get_by_role("heading", name="Bandeja")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "es"
