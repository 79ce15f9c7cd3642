"""Web forms built by marketers: a public title apart from the internal name, company
fields that join the lead to its company, and snippets that point where the page was
served from unless SITE_URL is set."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from leads.models import Company, Lead
from scoring.models import WebForm
from tests.factories import CompanyFactory, LeadFactory

pytestmark = pytest.mark.django_db

FIELDS = [
    {"name": "email", "label": "Work email", "type": "email", "required": True,
     "maps_to": "email"},
    {"name": "name", "label": "Name", "type": "text", "maps_to": "first_name"},
    {"name": "empresa", "label": "Company", "type": "text", "maps_to": "company"},
]  # fmt: skip


@pytest.fixture
def form(active_model) -> WebForm:
    return WebForm.objects.create(
        name="Q3 paid social — variant B", title="Ask for a demo", fields=FIELDS
    )


def submit(form: WebForm, **data: str):  # type: ignore[no-untyped-def]
    return Client().post(f"/f/{form.key}/", data, REMOTE_ADDR="198.51.100.7")


def test_a_marketer_builds_a_form_with_a_title_and_a_company_field(client, marketer) -> None:
    client.force_login(marketer)

    response = client.post(
        reverse("web-form-new"),
        {"name": "Spring webinar (internal)", "title": "Save your seat", "rows": "2",
         "active": "on",
         "name-0": "email", "label-0": "Email", "type-0": "email", "required-0": "on",
         "maps_to-0": "email",
         "name-1": "company", "label-1": "Company", "type-1": "text", "maps_to-1": "company"},
    )  # fmt: skip

    assert response.status_code == 302
    form = WebForm.objects.get()
    assert (form.name, form.title) == ("Spring webinar (internal)", "Save your seat")
    assert [f["maps_to"] for f in form.fields] == ["email", "company"]


def test_marketers_build_forms_through_the_api_and_only_admins_delete_them(
    marketer, admin_user, form
) -> None:
    api = APIClient()
    api.force_authenticate(marketer)

    created = api.post("/api/web-forms/", {"name": "x", "title": "Hi", "fields": FIELDS},
                       format="json")  # fmt: skip

    assert created.status_code == 201, created.json()
    assert api.delete(f"/api/web-forms/{form.pk}/").status_code == 403
    api.force_authenticate(admin_user)
    assert api.delete(f"/api/web-forms/{form.pk}/").status_code == 204


def test_visitors_see_the_public_title_never_the_internal_name(form) -> None:
    page = Client().get(f"/f/{form.key}/").content.decode()

    assert "Ask for a demo" in page
    assert "variant B" not in page


def test_a_form_without_a_title_shows_a_plain_heading(form) -> None:
    form.title = ""
    form.save()

    page = Client().get(f"/f/{form.key}/").content.decode()

    assert "Contact us" in page
    assert "variant B" not in page


def test_the_lead_joins_the_company_of_its_email_domain(form) -> None:
    acme = CompanyFactory(domain="acme.example", name="Acme", industry="Software")

    submit(form, email="ana@acme.example", name="Ana", empresa="ACME Spain S.L.")

    lead = Lead.objects.get(email="ana@acme.example")
    assert lead.company == acme  # the domain decides; a name typed does not split it
    assert Company.objects.count() == 1
    assert (lead.fit or 0) > 0  # scored at once on its company's industry


def test_a_company_name_finds_or_makes_the_company(form) -> None:
    globex = CompanyFactory(domain="globex.example", name="Globex")

    submit(form, email="bob@gmail.com", empresa="globex")
    submit(form, email="cid@initech.example", empresa="Initech")
    submit(form, email="dee@hotmail.com")

    assert Lead.objects.get(email="bob@gmail.com").company == globex
    initech = Lead.objects.get(email="cid@initech.example").company
    assert (initech.name, initech.domain) == ("Initech", "initech.example")
    assert Lead.objects.get(email="dee@hotmail.com").company is None
    assert not Company.objects.filter(domain__in=["gmail.com", "hotmail.com"]).exists()


def test_a_known_lead_without_a_company_gets_one_and_keeps_its_own(form) -> None:
    acme = CompanyFactory(domain="acme.example")
    other = CompanyFactory(domain="other.example")
    loose = LeadFactory(email="loose@acme.example", company=None)
    settled = LeadFactory(email="settled@acme.example", company=other)

    submit(form, email="loose@acme.example")
    submit(form, email="settled@acme.example")

    loose.refresh_from_db()
    settled.refresh_from_db()
    assert (loose.company, settled.company) == (acme, other)


def test_the_submission_event_names_the_form_by_id(form) -> None:
    from scoring.models import Event

    submit(form, email="ana@acme.example")

    assert Event.objects.get(type="contact_form").properties["form_id"] == form.pk


@override_settings(ALLOWED_HOSTS=["leads.acme.example"])
def test_snippets_point_at_the_host_that_served_the_page(client, marketer, form) -> None:
    client.force_login(marketer)

    page = client.get(reverse("web-forms"), HTTP_HOST="leads.acme.example").content.decode()

    assert f"http://leads.acme.example/f/{form.key}/" in page
    assert "127.0.0.1:8000" not in page


@override_settings(
    SITE_URL="https://crm.acme.example", SITE_URL_SET=True, ALLOWED_HOSTS=["internal", "testserver"]
)
def test_snippets_point_at_site_url_when_it_is_set(client, marketer, form) -> None:
    client.force_login(marketer)

    page = client.get(reverse("web-forms"), HTTP_HOST="internal").content.decode()
    api = APIClient()
    api.force_authenticate(marketer)
    snippet = api.get(f"/api/web-forms/{form.pk}/snippet/").json()

    assert f"https://crm.acme.example/f/{form.key}/" in page
    assert snippet["url"] == f"https://crm.acme.example/f/{form.key}/"


@override_settings(ALLOWED_HOSTS=["leads.acme.example"])
def test_the_api_snippet_uses_the_request_host_by_default(marketer, form) -> None:
    api = APIClient()
    api.force_authenticate(marketer)

    body = api.get(f"/api/web-forms/{form.pk}/snippet/", HTTP_HOST="leads.acme.example").json()

    assert body["url"] == f"http://leads.acme.example/f/{form.key}/"


def test_the_snippet_escapes_what_the_author_typed(form) -> None:
    from scoring.webforms import embed_snippet

    form.fields = [{**FIELDS[0], "label": 'Email <b>"now"</b>'}]
    form.consent_text = "Yes & <please>"

    html = embed_snippet(form, "https://x.example")

    assert "Email &lt;b&gt;&quot;now&quot;&lt;/b&gt;" in html
    assert "Yes &amp; &lt;please&gt;" in html
