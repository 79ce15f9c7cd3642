"""Importing leads from CSV: good rows kept, bad rows reported, re-imports update."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from leads.capture.import_values import neutralise
from leads.models import Company, ImportJob, Lead
from tests.factories import CampaignFactory, CompanyFactory

pytestmark = pytest.mark.django_db

CSV = """Email,First name,Job title,Company,Domain,Campaign,Consent,Won,Seniority
ana@acme.example,Ana,VP Sales,Acme,acme.example,spring-webinar,yes,yes,vp
BAD-EMAIL,Bob,CTO,Bobco,bob.example,,yes,,
carl@corp.example,Carl,Select,Corp,corp.example,no-such-campaign,yes,,
dina@corp.example,Dina,n/a,Corp,corp.example,,maybe,,
eve@corp.example,Eve,-,,,,no,no,individual
"""
MAPPING = {
    "Email": "email",
    "First name": "first_name",
    "Job title": "title",
    "Company": "company",
    "Domain": "company_domain",
    "Campaign": "campaign",
    "Consent": "email_ok",
    "Won": "converted",
    "Seniority": "attributes.seniority",
}


@pytest.fixture
def marketer_api(marketer) -> APIClient:
    client = APIClient()
    client.force_authenticate(marketer)
    return client


def upload(client: APIClient, text: str, mapping: dict = MAPPING):  # type: ignore[no-untyped-def]
    import json

    file = io.BytesIO(text.encode())
    file.name = "leads.csv"
    return client.post(
        "/api/imports/", {"file": file, "mapping": json.dumps(mapping)}, format="multipart"
    )


def test_good_rows_are_kept_and_each_bad_row_is_reported(
    marketer_api, eager_tasks, django_capture_on_commit_callbacks
) -> None:
    CampaignFactory(utm_campaign="spring-webinar")

    with django_capture_on_commit_callbacks(execute=True):
        started = upload(marketer_api, CSV)

    assert started.status_code == 202
    job = marketer_api.get(f"/api/imports/{started.json()['id']}/").json()
    assert (job["status"], job["percent"], job["total"]) == ("done", 100, 5)
    assert (job["created"], job["updated"], job["failed"]) == (2, 0, 3)
    ana = Lead.objects.get(email="ana@acme.example")
    assert (ana.first_name, ana.title, ana.email_ok, ana.company.name) == (
        "Ana",
        "VP Sales",
        True,
        "Acme",
    )
    assert ana.attributes == {"seniority": "vp", "converted": True}
    assert ana.campaign.utm_campaign == "spring-webinar"
    eve = Lead.objects.get(email="eve@corp.example")
    # Placeholders ("-") are missing values, and no row that failed created a company.
    assert (eve.title, eve.email_ok, eve.company) == ("", False, None)
    report = marketer_api.get(f"/api/imports/{job['id']}/errors.csv/")
    lines = report.content.decode().strip().splitlines()
    # Each bad row with its problem, then the row as it was in the file.
    assert lines[0] == (
        "row,column,error,Email,First name,Job title,Company,Domain,Campaign,Consent,Won,Seniority"
    )
    assert lines[1:] == [
        "2,Email,Not a valid email address.,BAD-EMAIL,Bob,CTO,Bobco,bob.example,,yes,,",
        "3,Campaign,No campaign with this name or UTM code.,carl@corp.example,Carl,Select,Corp,"
        "corp.example,no-such-campaign,yes,,",
        "4,Consent,Use yes or no.,dina@corp.example,Dina,n/a,Corp,corp.example,,maybe,,",
    ]


def test_a_reimport_updates_rather_than_duplicates(
    marketer_api, eager_tasks, django_capture_on_commit_callbacks
) -> None:
    first = "Email,First name,Seniority\nana@acme.example,Ana,manager\n"
    again = "Email,First name,Seniority\nANA@acme.example,Anabel,vp\nnew@acme.example,New,\n"
    mapping = {"Email": "email", "First name": "first_name", "Seniority": "attributes.seniority"}

    with django_capture_on_commit_callbacks(execute=True):
        upload(marketer_api, first, mapping)
    with django_capture_on_commit_callbacks(execute=True):
        second = upload(marketer_api, again, mapping)

    job = ImportJob.objects.get(pk=second.json()["id"])
    assert (job.created, job.updated) == (1, 1)
    assert Lead.objects.filter(email="ana@acme.example").count() == 1
    ana = Lead.objects.get(email="ana@acme.example")
    assert (ana.first_name, ana.attributes["seniority"]) == ("Anabel", "vp")
    assert ana.history.count() == 1  # an update is not a new lead


def test_a_bad_mapping_or_a_missing_file_is_400(marketer_api) -> None:
    no_email = upload(marketer_api, "First name\nAna\n", {"First name": "first_name"})
    unknown_column = upload(marketer_api, CSV, {"Nope": "email"})
    unknown_field = upload(marketer_api, CSV, {"Email": "email", "First name": "shoe_size"})
    no_file = marketer_api.post("/api/imports/", {"mapping": "{}"}, format="multipart")

    assert [r.status_code for r in (no_email, unknown_column, unknown_field, no_file)] == [400] * 4
    assert not ImportJob.objects.exists()


def test_reps_cannot_import(rep) -> None:
    client = APIClient()
    client.force_authenticate(rep)

    assert upload(client, CSV).status_code == 403


def test_the_import_command_reports_what_it_did(tmp_path, capsys) -> None:
    CompanyFactory(domain="corp.example")
    path = tmp_path / "leads.csv"
    path.write_text("Email,Name\nzoe@corp.example,Zoe\nnot-an-email,X\n", encoding="utf-8")

    call_command("import_leads", str(path), "--mapping", "Email=email", "Name=first_name")

    out = capsys.readouterr().out
    assert "1 created, 0 updated, 1 rows with errors" in out
    assert "row 2, Email: Not a valid email address." in out
    assert Lead.objects.get(email="zoe@corp.example").company == Company.objects.get()


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("plain", "plain"),
        (42, 42),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(cell: object, safe: object) -> None:
    assert neutralise(cell) == safe


EVENTS_CSV = """Event id,What,Email,When,Page
e1,pricing_page_visit,ana@acme.example,2026-11-20T10:00:00Z,/pricing
e2,demo_request,ana@acme.example,2026-11-21T10:00:00Z,
e3,not_a_type,ana@acme.example,2026-11-21T10:00:00Z,
e4,page_view,,2026-11-21T10:00:00Z,/blog
e1,pricing_page_visit,ana@acme.example,2026-11-20T10:00:00Z,/pricing
"""
EVENTS_MAPPING = {
    "Event id": "id",
    "What": "type",
    "Email": "email",
    "When": "occurred_at",
    "Page": "properties.url",
}


def test_events_import_through_ingestion_with_per_row_errors(
    marketer_api, active_model, eager_tasks, django_capture_on_commit_callbacks
) -> None:
    import json

    from scoring.models import Event

    file = io.BytesIO(EVENTS_CSV.encode())
    file.name = "events.csv"
    with django_capture_on_commit_callbacks(execute=True):
        started = marketer_api.post(
            "/api/imports/",
            {
                "file": file,
                "mapping": json.dumps(EVENTS_MAPPING),
                "kind": "events",
                "source": "old-crm",
            },
            format="multipart",
        )

    assert started.status_code == 202, started.json()
    job = ImportJob.objects.get(pk=started.json()["id"])
    assert job.error == ""
    assert (job.status, job.created, job.updated, job.failed) == ("done", 2, 1, 2)
    assert sorted(Event.objects.values_list("external_id", "source")) == [
        ("e1", "old-crm"),
        ("e2", "old-crm"),
    ]
    assert Event.objects.get(external_id="e1").properties == {"url": "/pricing"}
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "What"), (4, "lead")]
    assert Lead.objects.get(email="ana@acme.example").intent > 0


def test_an_api_client_imports_leads_keyed_by_external_id_or_phone_without_email(
    marketer_api, eager_tasks, django_capture_on_commit_callbacks
) -> None:
    """The API client's journey: a list keyed by a CRM id or a phone, no email column."""
    text = "CRM id,Phone,First name\ncrm-7,,Ana\n,+34 612 34 56 78,Bea\n,,Nobody\n"
    mapping = {"CRM id": "external_id", "Phone": "phone", "First name": "first_name"}

    with django_capture_on_commit_callbacks(execute=True):
        started = upload(marketer_api, text, mapping)

    assert started.status_code == 202
    job = marketer_api.get(f"/api/imports/{started.json()['id']}/").json()
    assert (job["created"], job["failed"]) == (2, 1)  # the row with neither is reported
    listed = marketer_api.get("/api/leads/", {"q": "Ana"}).json()["results"]
    assert [(lead["external_id"], lead["email"]) for lead in listed] == [("crm-7", "")]
    assert Lead.objects.get(first_name="Bea").phone_key == "+34612345678"
