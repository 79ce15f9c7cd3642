"""The marketer's capture day (JOURNEYS.md, marketer 5 and 6), through the pages only.

María uploads a trade-show CSV with Spanish headers and company columns, some rows bad;
the columns map themselves; she watches the import finish (a real Celery worker), downloads
the error report and finds the bad rows' own values in it, and sees the good leads scored
on fit. Then she builds a web form with a company field, reads its embed code (pointing at
the address she is using), a visitor submits the hosted form, and she finds the new lead
joined to its company and scored.
"""

from typing import Any

import pytest
from playwright.sync_api import expect

from leads.models import Lead
from tests.browser.journey import Journey
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TRADE_SHOW = (
    "Correo electrónico,Nombre,Apellidos,Empresa,Dominio,Sector,País,Empleados,Teléfono\n"
    "lucia@northwind.example,Lucía,Serrano,Northwind,northwind.example,Software,España,250,\n"
    "correo-roto,Pablo,Ortiz,Northwind,northwind.example,Software,ES,250,\n"
    "marc@northwind.example,Marc,Vila,Northwind,northwind.example,Software,ES,250,\n"
    ",Nadie,Sinnada,Acme,acme.example,Retail,ES,10,\n"
    "ana@globex.example,Ana,Pardo,Globex,globex.example,Software,Narnia,1.200,\n"
    ",Jorge,Ruiz,Initech,initech.example,Financial services,MX,51-200,+52 55 1234 5678\n"
).encode()


def test_a_marketer_imports_a_trade_show_list_and_captures_a_lead_with_a_form(
    journey: Journey, marketer: Any, active_model: Any, celery_worker: None
) -> None:
    page, t = journey.page, journey.t
    journey.log_in("marketer")

    # --- the CSV ----------------------------------------------------------------------
    journey.visit("/capture/import/")
    page.get_by_role("heading", name=t("Import CSV", "Importar CSV")).wait_for()
    journey.check()
    page.get_by_label(t("CSV file (up to 25 MB)", "Archivo CSV (hasta 25 MB)")).set_input_files(
        {"name": "feria.csv", "mimeType": "text/csv", "buffer": TRADE_SHOW}
    )
    page.get_by_role("button", name=t("Upload and map columns", "Subir y asignar columnas")).click()

    page.get_by_role("heading", name=t("Map columns", "Asignar columnas")).wait_for()
    journey.check()
    guessed = {
        "Correo electrónico": "email",
        "Nombre": "first_name",
        "Apellidos": "last_name",
        "Empresa": "company",
        "Dominio": "company_domain",
        "Sector": "company_industry",
        "País": "company_country",
        "Empleados": "company_employees",
        "Teléfono": "phone",
    }
    for header, target in guessed.items():
        expect(page.get_by_label(header, exact=True)).to_have_value(target)
    page.get_by_role("button", name=t("Start the import", "Empezar la importación")).click()

    status = page.locator(".job-status")
    expect(status).to_contain_text(
        t(
            "Done: 3 created, 0 updated, 3 rows with problems.",
            "Terminado: 3 creados, 0 actualizados, 3 filas con problemas.",
        ),
        timeout=30_000,
    )
    problems = page.locator("table").filter(has_text="correo-roto")
    expect(problems).to_contain_text(
        t("Not a valid email address.", "No es una dirección de correo válida.")
    )
    expect(page.get_by_role("row").filter(has_text="Narnia")).to_contain_text(
        t("Not a country", "No es un país")
    )
    journey.check()

    with page.expect_download() as download:
        page.get_by_role(
            "link",
            name=t("Download the error report (CSV)", "Descargar el informe de errores (CSV)"),
        ).click()
    report = download.value.path().read_text(encoding="utf-8")
    lines = report.strip().splitlines()
    assert len(lines) == 4, report  # the header and the three bad rows, each with its values
    assert "Correo electrónico" in lines[0]
    assert "correo-roto,Pablo,Ortiz,Northwind" in report
    assert ",Nadie,Sinnada,Acme,acme.example" in report  # no email, id or phone
    assert "ana@globex.example,Ana,Pardo,Globex,globex.example,Software,Narnia,1.200" in report

    # The good leads, scored on fit at once (the list refreshes as she looks).
    page.get_by_role("link", name=t("See the imported leads", "Ver los leads importados")).click()
    page.get_by_role("heading", name="Leads").wait_for()
    journey.check()
    for name in ("Lucía Serrano", "Marc Vila", "Jorge Ruiz"):  # Jorge: known by phone only
        expect_fit_above_zero(journey, name)

    page.get_by_role("link", name="Lucía Serrano").click()
    page.get_by_role("heading", name="Lucía Serrano").wait_for()
    expect(page.locator("main")).to_contain_text("Northwind · Software")
    expect(page.locator(".score").first).not_to_contain_text(t("Fit0", "Encaje0"))
    journey.check()

    # --- the web form -----------------------------------------------------------------
    journey.visit("/capture/forms/")
    page.get_by_role("heading", name=t("Web forms", "Formularios web")).wait_for()
    journey.check()
    page.get_by_role("link", name=t("New form", "Nuevo formulario")).click()
    page.get_by_label(t("Name (for your team)", "Nombre (para tu equipo)")).fill(
        "Feria 2026 — stand B (interno)"
    )
    page.get_by_label(t("Title visitors see", "Título que ven los visitantes")).fill(
        t("Ask for a demo", "Pide una demo")
    )
    page.locator("#label-0").fill(t("Work email", "Correo de trabajo"))
    page.locator("#name-1").fill("empresa")
    page.locator("#label-1").fill(t("Company", "Empresa"))
    page.locator("#maps_to-1").fill("company")
    journey.check()
    page.get_by_role("button", name=t("Save form", "Guardar formulario")).click()

    card = page.locator(".snippet-card").filter(has_text="Feria 2026")
    card.wait_for()
    embed = card.get_by_role("textbox").input_value()
    assert f'action="{journey.base_url}/f/' in embed  # the address she is using
    assert 'name="empresa"' in embed
    journey.check()
    hosted = card.get_by_role("link", name=t("Open the hosted form", "Abrir el formulario alojado"))
    form_url = journey.base_url + hosted.get_attribute("href")

    # A visitor, not signed in, on their own browser.
    visitor = visitor_journey(journey)
    try:
        visitor.page.goto(form_url)
        visitor.page.get_by_role("heading", name=t("Ask for a demo", "Pide una demo")).wait_for()
        expect(visitor.page.locator("body")).not_to_contain_text("interno")
        visitor.check()
        visitor.page.get_by_label(t("Work email", "Correo de trabajo")).fill(
            "sofia@northwind.example"
        )
        visitor.page.get_by_label(t("Company", "Empresa"), exact=True).fill("Northwind Traders")
        visitor.page.get_by_role("button", name=t("Send", "Enviar")).click()
        visitor.page.get_by_role(
            "heading",
            name=t("Thank you! We'll be in touch.", "¡Gracias! Nos pondremos en contacto contigo."),
        ).wait_for()
        visitor.check()
    finally:
        journey.problems.extend(visitor.problems + visitor.storms())
        visitor.page.context.close()

    # María finds the new lead at its company, scored.
    journey.visit("/leads/?q=sofia")
    row = page.get_by_role("row").filter(has_text="sofia@northwind.example")
    expect(row).to_contain_text("Northwind")
    expect_fit_above_zero(journey, "sofia@northwind.example")
    journey.check()
    row.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("Northwind · Software")
    journey.check()


def expect_fit_above_zero(journey: Journey, who: str) -> None:
    """The lead's row in the list shows a fit above 0. Scoring is the worker's, after the
    import or the form: wait (reading, not writing) until it has run, then look again as
    the person would, with a refresh."""
    wait_until(lambda: Lead.objects.filter(fit__isnull=True).count() == 0, timeout=30)
    page = journey.page
    page.reload()
    headers = page.get_by_role("columnheader").all_inner_texts()
    fit_column = [text.strip() for text in headers].index(journey.t("Fit", "Encaje"))
    row = page.get_by_role("row").filter(has_text=who)
    value = row.get_by_role("cell").nth(fit_column).inner_text().strip()
    assert value.isdigit(), f"{who} shows no fit score: {value!r}"
    assert int(value) > 0, f"{who} shows fit {value}"


def visitor_journey(journey: Journey) -> Journey:
    """A browser of someone who is not signed in, in the same variant, watched the same way."""
    variant = journey.variant
    context = journey.page.context.browser.new_context(
        viewport={"width": variant.width, "height": variant.height},
        locale="es-ES" if variant.spanish else "en-GB",
        extra_http_headers={"Accept-Language": "es-ES,es;q=0.9" if variant.spanish else "en"},
    )
    context.set_default_timeout(10_000)
    visitor = Journey(page=context.new_page(), base_url=journey.base_url, variant=variant)
    visitor.watch()
    return visitor
