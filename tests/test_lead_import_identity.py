"""Imports that score on fit: company columns, Spanish headers, leads keyed by external
id or phone (no email), re-imports that re-score, and error reports in the reader's
language with the rows' own values."""

import pytest
from django.utils import translation

from leads.capture import import_values, imports
from leads.models import Company, ImportJob, Lead
from tests.factories import CompanyFactory, LeadFactory, UserFactory

pytestmark = pytest.mark.django_db


def run(text: str, mapping: dict[str, str] | None = None) -> ImportJob:
    """Upload and import a CSV as the pages do, the worker's task run inline."""
    content = text.encode()
    job = imports.upload(
        content=content, file_name="list.csv", kind="leads", source="", actor=UserFactory()
    )
    imports.start(job, mapping or import_values.suggest_mapping(import_values.headers_of(content)))
    job.refresh_from_db()
    return job


@pytest.fixture
def inline(eager_tasks, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Each import's after-commit work (the import task, then scoring) runs at once."""

    def go(text: str, mapping: dict[str, str] | None = None) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = run(text, mapping)
        job.refresh_from_db()
        return job

    return go


def test_spanish_headers_with_accents_are_recognised() -> None:
    headers = ["Correo electrónico", "Nombre", "Apellidos", "Empresa", "Teléfono", "País",
               "Sector", "Empleados", "Sitio web", "ID CRM", "Tamaño de la empresa"]  # fmt: skip

    assert import_values.suggest_mapping(headers) == {
        "Correo electrónico": "email",
        "Nombre": "first_name",
        "Apellidos": "last_name",
        "Empresa": "company",
        "Teléfono": "phone",
        "País": "company_country",
        "Sector": "company_industry",
        "Empleados": "company_employees",
        "Sitio web": "company_domain",
        "ID CRM": "external_id",
    }  # the second size column is left for the person to choose


def test_company_columns_fill_the_company_and_the_lead_scores_on_fit(active_model, inline) -> None:
    job = inline(
        "Correo electrónico,Nombre,Empresa,Dominio,Sector,País,Empleados\n"
        "ana@acme.example,Ana,Acme,acme.example,Software,España,1.200\n"
        "bea@nowhere.example,Bea,Nowhere,,Farming,Narnia,\n"
    )

    assert (job.created, job.failed) == (1, 1)
    acme = Company.objects.get(domain="acme.example")
    assert (acme.name, acme.industry, acme.country, acme.employees) == (
        "Acme", "Software", "ES", 1200)  # fmt: skip
    ana = Lead.objects.get(email="ana@acme.example")
    assert ana.company == acme
    # Company of 50–5,000 people (20) + target industry (20) + served country (10).
    assert (ana.fit or 0) > 0
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [
        (2, "País", "unknown_country")
    ]


def test_a_row_joins_an_existing_company_by_domain_or_by_name(inline) -> None:
    by_domain = CompanyFactory(domain="acme.example", name="Acme Corp")
    by_name = CompanyFactory(domain="globex.example", name="Globex")

    inline(
        "Email,Company,Industry\n"
        "ana@acme.example,,Software\n"
        "bob@gmail.com,GLOBEX,\n"
        "cid@initech.example,Initech,Banking\n"
    )

    assert Lead.objects.get(email="ana@acme.example").company == by_domain
    assert Lead.objects.get(email="bob@gmail.com").company == by_name  # personal mail: by name
    initech = Lead.objects.get(email="cid@initech.example").company
    assert (initech.domain, initech.name, initech.industry) == (
        "initech.example", "Initech", "Banking")  # fmt: skip
    by_domain.refresh_from_db()
    assert by_domain.industry == "Software"
    assert Company.objects.filter(domain="gmail.com").count() == 0


@pytest.mark.parametrize(
    ("text", "count"),
    [("250", 250), ("1.200", 1200), ("1,200", 1200), ("51-200", 51), ("5001+", 5001),
     ("10 000", 10000), ("12.5", None), ("many", None)],
)  # fmt: skip
def test_company_sizes_as_people_write_them(text: str, count: int | None) -> None:
    assert import_values.employee_count(text) == count


def test_leads_without_email_are_imported_by_external_id_and_by_phone(inline) -> None:
    first = inline(
        "ID CRM,Teléfono,Nombre\ncrm-1,,Ana\n,612 34 56 78,Bea\n,,Nadie\n,not a phone,Carla\n"
    )

    assert (first.created, first.failed) == (2, 2)
    ana = Lead.objects.get(external_id="crm-1")
    bea = Lead.objects.get(phone_key="+34612345678")
    assert (ana.email, ana.first_name, bea.email, bea.first_name) == ("", "Ana", "", "Bea")
    assert [(e["row"], e["code"]) for e in first.errors] == [
        (3, "no_identity"), (4, "invalid_phone")]  # fmt: skip

    again = inline(
        "ID CRM,Teléfono,Nombre,Correo\ncrm-1,,Anabel,\n,+34 612345678,Beatriz,bea@acme.example\n"
    )

    assert (again.created, again.updated) == (0, 2)
    ana.refresh_from_db()
    bea.refresh_from_db()
    assert (ana.first_name, bea.first_name, bea.email) == ("Anabel", "Beatriz", "bea@acme.example")


def test_an_existing_lead_is_found_by_its_phone_in_another_format(inline) -> None:
    lead = LeadFactory(email="", phone="+34 612 34 56 78")
    assert lead.phone_key == "+34612345678"  # kept in step on save

    job = inline("Phone,Title\n0034612345678,CTO\n")

    assert (job.created, job.updated) == (0, 1)
    lead.refresh_from_db()
    assert lead.title == "CTO"


def test_a_reimport_that_changes_attributes_rescores(active_model, inline) -> None:
    inline("Email,Company,Domain,Industry\nana@acme.example,Acme,acme.example,Farming\n")
    ana = Lead.objects.get(email="ana@acme.example")
    before = ana.fit
    colleague = LeadFactory(email="bob@acme.example", company=ana.company)

    inline("Email,Industry,Seniority\nana@acme.example,Software,vp\n",
           {"Email": "email", "Industry": "company_industry",
            "Seniority": "attributes.seniority"})  # fmt: skip

    ana.refresh_from_db()
    colleague.refresh_from_db()
    assert ana.fit > before  # target industry and decision-maker seniority now count
    assert ana.score.fit == ana.fit  # the list sorts and shows the score row's copy
    assert (colleague.fit or 0) > 0  # the company's new industry counts for all


def test_row_errors_are_stored_as_codes_and_read_in_the_readers_language(inline) -> None:
    job = inline("Email,Campaign,Title\nnot-an-email,,x\nok@acme.example,Nope,CEO\n",
                 {"Email": "email", "Campaign": "campaign", "Title": "title"})  # fmt: skip

    assert [(e["code"], e["params"]) for e in job.errors] == [
        ("invalid_email", {}), ("unknown_campaign", {})]  # fmt: skip
    assert "error" not in job.errors[0]  # no text in the writer's language
    with translation.override("es"):
        report = imports.error_report(job)
    lines = report.strip().splitlines()
    assert lines[0] == "fila,columna,error,Email,Campaign,Title"
    assert lines[1] == "1,Email,No es una dirección de correo válida.,not-an-email,,x"
    assert lines[2].endswith(",ok@acme.example,Nope,CEO")


def test_too_long_values_say_the_limit_in_the_readers_language(inline) -> None:
    job = inline("Email,Title\nana@acme.example," + "x" * 151 + "\n")

    with translation.override("en"):
        assert import_values.error_text(job.errors[0]) == "Too long (at most 150 characters)."
    assert job.errors[0]["params"] == {"max": 150}


def test_an_events_import_reports_in_the_readers_language_with_the_rows_values(
    active_model, eager_tasks, django_capture_on_commit_callbacks
) -> None:
    content = b"What,Email,Page\npage_view,,/blog\n"
    job = imports.upload(
        content=content, file_name="e.csv", kind="events", source="crm", actor=UserFactory()
    )
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        imports.start(job, {"What": "type", "Email": "email", "Page": "properties.url"})
    job.refresh_from_db()

    assert job.errors[0]["error"].startswith("Say whose event this is")  # stored in English
    with translation.override("es"):
        report = imports.error_report(job)
    assert "lead_id" in report
    assert "Say whose" not in report
    assert report.strip().splitlines()[1].endswith(",page_view,,/blog")


def test_a_company_made_meanwhile_by_another_process_is_joined_not_an_error() -> None:
    from leads.capture import companies

    theirs = CompanyFactory(domain="race.example")  # made after our lookup, before our insert
    ours = Company(domain="race.example", name="Race")

    companies._create([ours, Company(domain="", name="Only a name")])

    assert ours.pk == theirs.pk
    assert Company.objects.filter(name="Only a name").exists()


def test_a_lead_known_only_by_phone_is_named_by_it_in_the_list_and_on_its_page(
    client, marketer
) -> None:
    lead = LeadFactory(email="", first_name="", last_name="", phone="+34 612 34 56 78")
    client.force_login(marketer)

    listed = client.get("/leads/").content.decode()
    page = client.get(f"/leads/{lead.pk}/").content.decode()

    assert f'href="/leads/{lead.pk}/">+34 612 34 56 78</a>' in listed
    assert "<h1>+34 612 34 56 78</h1>" in page


def test_importing_the_same_file_again_writes_nothing(inline) -> None:
    text = "Email,Name,Industry\nana@acme.example,Ana,Software\n"
    inline(text)
    before = Lead.objects.get().updated_at

    again = inline(text)

    assert (again.created, again.updated) == (0, 1)  # matched, and nothing to change
    assert Lead.objects.get().updated_at == before


def test_a_nul_character_fails_its_row_not_the_file(inline) -> None:
    job = inline("Email,Nombre\nana@acme.example,Ana\nbea@acme.example,B\x00ea\n")

    assert (job.status, job.created, job.failed) == ("done", 1, 1)
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [
        (2, "Nombre", "nul_character")]  # fmt: skip
