"""Capture pages: CSV import in two steps with per-row errors, duplicates merged and
unmerged, web forms built and embedded, tracking snippets; roles enforced."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leads.models import ImportJob, Lead, MergeRecord
from scoring.models import TrackingSite, WebForm
from tests.factories import CompanyFactory, LeadFactory

pytestmark = pytest.mark.django_db

CSV = (
    b"E-mail,Nombre,Empresa,Seniority\n"
    b"ana@acme.example,Ana,Acme,VP\n"
    b"not-an-email,Bob,Acme,IC\n"
    b"carla@acme.example,Carla,Acme,Director\n"
)


def test_upload_map_and_import_with_an_error_report(
    client, marketer, eager_tasks, django_capture_on_commit_callbacks
) -> None:
    client.force_login(marketer)
    response = client.post(
        reverse("import-upload"),
        {"file": SimpleUploadedFile("people.csv", CSV, content_type="text/csv"), "kind": "leads"},
    )
    job = ImportJob.objects.get()
    assert response.url == reverse("import-map", args=[job.pk])

    mapping_page = client.get(response.url)
    columns = {c["header"]: c["chosen"] for c in mapping_page.context["columns"]}
    assert columns == {
        "E-mail": "email",
        "Nombre": "first_name",
        "Empresa": "company",
        "Seniority": None,
    }  # fmt: skip  (Spanish and English headers guessed)

    with django_capture_on_commit_callbacks(execute=True):  # the import task, run inline
        response = client.post(
            reverse("import-map", args=[job.pk]),
            {"column-0": "email", "column-1": "first_name", "column-2": "company",
             "column-3": "extra"},
        )  # fmt: skip
    assert response.url == reverse("import-job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.created, job.failed) == ("done", 2, 1)
    assert Lead.objects.get(email="ana@acme.example").attributes == {"seniority": "VP"}

    page = client.get(response.url).content.decode()
    assert "Download the error report" in page
    report = client.get(reverse("import-errors", args=[job.pk])).content.decode()
    assert "2,E-mail,Not a valid email address." in report  # the row, its column and why


def test_a_mapping_without_email_external_id_or_phone_is_refused_in_place(client, marketer) -> None:
    client.force_login(marketer)
    client.post(reverse("import-upload"),
                {"file": SimpleUploadedFile("p.csv", CSV), "kind": "leads"})  # fmt: skip
    job = ImportJob.objects.get()
    response = client.post(reverse("import-map", args=[job.pk]), {"column-1": "first_name"})
    assert response.status_code == 400
    assert "Map a column to email, external id or phone" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING  # nothing started


def test_an_empty_file_is_refused(client, marketer) -> None:
    client.force_login(marketer)
    response = client.post(reverse("import-upload"),
                           {"file": SimpleUploadedFile("e.csv", b""), "kind": "leads"})  # fmt: skip
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_duplicates_are_merged_and_the_merge_undone(client, marketer, active_model) -> None:
    firm = CompanyFactory(name="Acme")
    keep = LeadFactory(first_name="Rosa", last_name="Paz", company=firm, email="rosa@acme.example")
    dup = LeadFactory(first_name="rosa", last_name="PAZ", company=firm, email="rpaz@acme.example")
    client.force_login(marketer)

    page = client.get(reverse("duplicates"))
    assert [[lead.pk for lead in g] for g in page.context["groups"]] == [[keep.pk, dup.pk]]

    client.post(reverse("merge"), {"primary": keep.pk, "duplicate": dup.pk})
    dup.refresh_from_db()
    assert dup.merged_into_id == keep.pk
    assert client.get(reverse("duplicates")).context["groups"] == []

    client.post(reverse("undo-merge", args=[MergeRecord.objects.get().pk]))
    dup.refresh_from_db()
    assert dup.merged_into_id is None


def test_an_admin_builds_a_form_and_marketers_copy_its_snippet_and_may_build_one(
    client, admin_user, marketer, active_model
) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("web-form-new"),
        {"name": "Demo request", "rows": "3", "active": "on",
         "name-0": "email", "label-0": "Work email", "type-0": "email", "required-0": "on",
         "maps_to-0": "email",
         "name-1": "company_size", "label-1": "Company size", "type-1": "text",
         "maps_to-1": "attributes.company_size"},
    )  # fmt: skip
    assert response.status_code == 302
    form = WebForm.objects.get(name="Demo request")
    assert [f["maps_to"] for f in form.fields] == ["email", "attributes.company_size"]

    client.force_login(marketer)
    page = client.get(reverse("web-forms")).content.decode()
    assert f"/f/{form.key}/" in page
    assert 'name="company_size"' in page.replace("&quot;", '"')
    assert client.get(reverse("web-form-new")).status_code == 200
    assert client.get(reverse("web-form-edit", args=[form.pk])).status_code == 200


def test_a_form_without_an_email_field_is_refused(client, admin_user) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("web-form-new"),
        {"name": "Bad", "rows": "1", "name-0": "nombre", "maps_to-0": "first_name"},
    )
    assert response.status_code == 400
    assert "A form needs a field mapped to email." in response.content.decode()
    assert not WebForm.objects.exists()


def test_tracking_sites_and_their_snippet(client, admin_user) -> None:
    client.force_login(admin_user)
    client.post(reverse("tracking-sites"),
                {"name": "Main site", "allowed_origins": "https://www.acme.example"})  # fmt: skip
    site = TrackingSite.objects.get()
    assert site.allowed_origins == ["https://www.acme.example"]
    page = client.get(reverse("tracking-sites")).content.decode()
    assert f"data-site=&quot;{site.key}&quot;" in page or f'data-site="{site.key}"' in page


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_sales_roles_do_not_open_capture_pages(client, request, who) -> None:
    client.force_login(request.getfixturevalue(who))
    for name in ("import-upload", "duplicates", "web-forms", "tracking-sites"):
        assert client.get(reverse(name)).status_code == 403
