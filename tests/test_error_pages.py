"""Error pages look like Leadflow, speak the reader's language and offer a way back; the
favicon answers."""

import pytest
from django.test import Client, override_settings
from django.urls import path
from django.utils import translation

from leadflow import urls as app_urls
from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_styled_404_with_the_top_bar_and_a_way_back(client: Client, rep):
    client.force_login(rep)

    response = client.get("/no/such/page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in html
    assert 'class="topbar"' in html  # the usual navigation, to go on working
    assert 'href="/"' in html  # back to the start page
    assert "/static/css/app.css" in html


def test_a_lead_out_of_view_is_the_same_404_in_spanish(client: Client, rep, other_rep):
    lead = lead_in(Stage.SAL, owner=other_rep)
    client.force_login(rep)

    response = client.get(f"/leads/{lead.pk}/", HTTP_ACCEPT_LANGUAGE="es")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="es">' in html
    assert "No encontramos esa página" in html
    assert "Ir a tu página de inicio" in html


def test_a_page_outside_the_role_is_a_styled_403(client: Client, rep):
    client.force_login(rep)

    response = client.get("/queue/")

    html = response.content.decode()
    assert response.status_code == 403
    assert "This page is not open to your role" in html
    assert 'class="topbar"' in html
    assert 'href="/"' in html


def test_api_paths_keep_their_json_404(client: Client, rep):
    client.force_login(rep)

    response = client.get("/api/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def broken(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("boom")


urlpatterns = [*app_urls.urlpatterns, path("broken/", broken), path("api/broken/", broken)]
handler404 = app_urls.handler404
handler500 = app_urls.handler500


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_a_styled_500_that_needs_no_database(django_assert_num_queries):
    client = Client(raise_request_exception=False)

    with django_assert_num_queries(0):
        response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE="es")

    html = response.content.decode()
    assert response.status_code == 500
    assert "Algo ha fallado por nuestra parte" in html
    assert 'href="/"' in html
    assert "/static/css/app.css" in html


def test_the_500_template_renders_with_no_context_at_all():
    from django.template import loader

    with translation.override("en"):
        html = loader.get_template("500.html").render()

    assert "Something went wrong on our side" in html


@override_settings(ROOT_URLCONF=__name__)
def test_an_api_server_error_answers_in_json():
    client = Client(raise_request_exception=False)

    response = client.get("/api/broken/")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


def test_the_favicon_answers_with_the_icon_to_anyone(client: Client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert "max-age=86400" in response["Cache-Control"]
