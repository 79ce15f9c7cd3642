"""Website tracking: anonymous views are stitched to the lead once known, and count."""

import json

import pytest
from django.test import Client

from leads.models import Lead
from scoring.models import Event, PageView, TrackingSite, WebForm
from scoring.tracking import link_token
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


@pytest.fixture(autouse=True)
def fresh_rate_limits(fresh_cache) -> None:
    """Each test counts its own requests per minute."""


@pytest.fixture
def site(active_model) -> TrackingSite:
    return TrackingSite.objects.create(name="www", allowed_origins=["https://www.example.com"])


def view(client: Client, site: TrackingSite, url: str, agent: str = BROWSER, **extra):  # type: ignore[no-untyped-def]
    body = {"site": site.key, "visitor": "v-123", "url": url, "title": "Page", **extra}
    return client.post(
        "/t/collect/",
        json.dumps(body),
        content_type="text/plain",
        HTTP_USER_AGENT=agent,
        HTTP_ORIGIN="https://www.example.com",
    )


def test_views_before_a_form_submission_end_up_on_the_lead_and_count(client: Client, site) -> None:
    for page in ("/pricing", "/pricing?plan=pro", "/blog/mql"):
        assert (
            view(
                client, site, f"https://www.example.com{page}", utm={"utm_source": "linkedin"}
            ).status_code
            == 204
        )
    form = WebForm.objects.create(
        name="Contact",
        fields=[{"name": "email", "type": "email", "required": True, "maps_to": "email"}],
    )

    client.post(f"/f/{form.key}/", {"email": "vis@corp.example", "lf_visitor": "v-123"})

    lead = Lead.objects.get(email="vis@corp.example")
    assert PageView.objects.filter(lead=lead).count() == 3
    assert Event.objects.filter(lead=lead, type="page_view").count() == 3
    assert lead.first_touch["utm_source"] == "linkedin"
    # contact form 25 + three page views at 1 point each
    assert lead.intent == 28


def test_a_bot_is_dropped(client: Client, site) -> None:
    response = view(client, site, "https://www.example.com/", agent="Googlebot/2.1")

    assert response.status_code == 204
    assert not PageView.objects.exists()


def test_a_view_from_another_site_or_with_an_unknown_key_is_refused(client: Client, site) -> None:
    other = client.post(
        "/t/collect/",
        json.dumps({"site": site.key, "visitor": "v", "url": "u"}),
        content_type="text/plain",
        HTTP_USER_AGENT=BROWSER,
        HTTP_ORIGIN="https://evil.example",
    )
    unknown = client.post(
        "/t/collect/",
        json.dumps({"site": "nope", "visitor": "v", "url": "u"}),
        content_type="text/plain",
        HTTP_USER_AGENT=BROWSER,
    )

    assert (other.status_code, unknown.status_code) == (403, 404)


def test_a_tracked_email_link_counts_the_click_and_stitches_the_visit(client: Client, site) -> None:
    lead = LeadFactory()
    token = link_token(lead, "https://www.example.com/offer")

    click = client.get(f"/t/click/{token}/", HTTP_USER_AGENT=BROWSER)
    landed = view(client, site, "https://www.example.com/offer", lf_t=token)

    assert click.status_code == 302
    assert click["Location"] == f"https://www.example.com/offer?lf_t={token}"
    assert landed.status_code == 204
    assert Event.objects.filter(lead=lead, type="email_click").count() == 1
    assert PageView.objects.get().lead == lead


def test_a_forged_link_token_counts_nothing_and_redirects_nowhere(client: Client, site) -> None:
    response = client.get("/t/click/forged/", {"to": "https://evil.example/login"})

    assert response.status_code == 400
    assert "Location" not in response
    assert not Event.objects.exists()


def test_a_real_token_leads_only_to_the_page_it_was_signed_for(client: Client, site) -> None:
    token = link_token(LeadFactory(), "https://www.example.com/offer")

    response = client.get(f"/t/click/{token}/", {"to": "https://evil.example/login"})

    assert response.status_code == 302
    assert response["Location"].startswith("https://www.example.com/offer?")


def test_a_token_signed_for_another_purpose_is_no_link(client: Client, site) -> None:
    from django.core import signing

    token = signing.dumps({"lead": LeadFactory().pk, "to": "https://evil.example/"})

    assert client.get(f"/t/click/{token}/").status_code == 400


def test_a_page_view_with_an_unpaired_surrogate_is_a_400_not_a_500(client: Client, site) -> None:
    response = view(client, site, "https://www.example.com/a\ud800")

    assert response.status_code == 400
    assert not PageView.objects.exists()


def test_the_token_goes_only_to_our_own_tracked_sites(client: Client, site) -> None:
    lead = LeadFactory()
    elsewhere = client.get(f"/t/click/{link_token(lead, 'https://partner.example/page')}/")
    with_fragment = client.get(f"/t/click/{link_token(lead, 'https://www.example.com/p#top')}/")

    assert elsewhere["Location"] == "https://partner.example/page"  # no lf_t for others
    assert with_fragment["Location"].startswith("https://www.example.com/p?lf_t=")
    assert with_fragment["Location"].endswith("#top")


def test_a_link_scanner_opening_the_link_counts_no_click(client: Client, site) -> None:
    token = link_token(LeadFactory(), "https://www.example.com/offer")

    client.get(f"/t/click/{token}/", HTTP_USER_AGENT="Mozilla/5.0 (compatible; preview-bot)")

    assert not Event.objects.exists()
