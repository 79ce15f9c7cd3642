"""Web-to-lead forms: stored first, deduped by email, scored at once, spam kept out."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from leads.models import Lead
from scoring.models import Event, FormSubmission, WebForm
from tests.factories import CampaignFactory, LeadFactory

pytestmark = pytest.mark.django_db

FIELDS = [
    {"name": "email", "label": "Work email", "type": "email", "required": True, "maps_to": "email"},
    {"name": "name", "label": "First name", "maps_to": "first_name"},
    {"name": "role", "label": "Role", "maps_to": "attributes.seniority"},
]


@pytest.fixture(autouse=True)
def fresh_rate_limits(fresh_cache) -> None:
    """Each test counts its own requests per minute."""


@pytest.fixture
def form(active_model) -> WebForm:
    return WebForm.objects.create(
        name="Demo request",
        fields=FIELDS,
        consent_text="Email me about the product",
        campaign=CampaignFactory(utm_campaign="spring"),
        allowed_origins=["https://www.example.com"],
    )


def post_json(client: Client, form: WebForm, body: dict, origin: str = "https://www.example.com"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/f/{form.key}/", json.dumps(body), content_type="application/json", HTTP_ORIGIN=origin
    )


def test_a_submission_from_an_allowed_site_creates_a_scored_lead_with_consent(
    client: Client, form: WebForm
) -> None:
    response = post_json(
        client,
        form,
        {
            "email": "Nia@Acme.example",
            "name": "Nia",
            "role": "vp",
            "consent": "on",
            "utm_source": "google",
            "utm_campaign": "spring",
        },
    )

    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == "https://www.example.com"
    lead = Lead.objects.get(email="nia@acme.example")
    assert (lead.first_name, lead.email_ok, lead.attributes["seniority"]) == ("Nia", True, "vp")
    assert lead.campaign == form.campaign
    assert lead.first_touch["utm_source"] == "google"
    assert Event.objects.get(lead=lead).type == "contact_form"
    assert lead.intent == 25  # one contact form: 25 points of the shipped model
    assert FormSubmission.objects.get().status == "processed"


def test_a_site_not_allowed_is_refused(client: Client, form: WebForm) -> None:
    response = post_json(client, form, {"email": "x@y.example"}, origin="https://evil.example")

    assert response.status_code == 403
    assert not Lead.objects.exists()


def test_a_known_email_updates_the_lead_instead_of_duplicating(
    client: Client, form: WebForm
) -> None:
    lead = LeadFactory(email="known@acme.example", first_name="")

    post_json(client, form, {"email": "KNOWN@acme.example", "name": "Kim"})

    assert Lead.objects.filter(email="known@acme.example").count() == 1
    lead.refresh_from_db()
    assert lead.first_name == "Kim"
    assert lead.email_ok is False  # no consent box ticked


def test_the_honeypot_keeps_bots_out_but_their_post_is_stored(
    client: Client, form: WebForm
) -> None:
    response = post_json(client, form, {"email": "bot@spam.example", "website": "http://spam"})

    assert response.status_code == 201  # a bot learns nothing
    assert not Lead.objects.exists()
    assert FormSubmission.objects.get().status == "spam"


def test_invalid_input_is_kept_and_shown_next_to_the_field(client: Client, form: WebForm) -> None:
    response = client.post(f"/f/{form.key}/", {"email": "not-an-email", "name": "Typed name"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="Typed name"' in page
    assert FormSubmission.objects.get().status == "invalid"


def test_too_many_submissions_from_one_address_are_429(client: Client, form: WebForm) -> None:
    statuses = [
        post_json(client, form, {"email": f"p{i}@x.example"}).status_code for i in range(11)
    ]

    assert statuses[:10] == [201] * 10
    assert statuses[10] == 429


def test_an_admin_gets_the_public_url_and_embed_snippet(admin_user, form: WebForm) -> None:
    client = APIClient()
    client.force_authenticate(admin_user)

    body = client.get(f"/api/web-forms/{form.pk}/snippet/").json()

    assert body["url"].endswith(f"/f/{form.key}/")
    assert f'action="{body["url"]}"' in body["html"]
    assert 'name="website"' in body["html"]


def test_a_form_without_an_email_field_is_refused(admin_user) -> None:
    client = APIClient()
    client.force_authenticate(admin_user)

    response = client.post(
        "/api/web-forms/", {"name": "x", "fields": [{"name": "n"}]}, format="json"
    )

    assert response.status_code == 400
    assert "fields" in response.json()


def test_the_hosted_form_keeps_the_visits_utm_codes(client: Client, form: WebForm) -> None:
    page = client.get(f"/f/{form.key}/", {"utm_source": "linkedin", "utm_campaign": "spring"})
    html = page.content.decode()
    assert 'name="utm_source" value="linkedin"' in html
    assert 'name="utm_campaign" value="spring"' in html

    posted = {"email": "utm@acme.example", "utm_source": "linkedin", "utm_campaign": "spring"}
    client.post(f"/f/{form.key}/", posted, HTTP_ORIGIN="https://www.example.com")

    lead = Lead.objects.get(email="utm@acme.example")
    assert lead.first_touch["utm_source"] == "linkedin"
