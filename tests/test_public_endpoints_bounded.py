"""Public endpoints are bounded: a web form stores only its own fields and refuses large
bodies, the tracking collector is rate-limited per address, and text no database can
hold (NUL, half a surrogate pair) is a 400 in bodies and paths alike."""

import json

import pytest
from django.test import Client

from scoring.models import FormSubmission, PageView, TrackingSite, WebForm

pytestmark = pytest.mark.django_db

FIELDS = [
    {"name": "email", "label": "Work email", "type": "email", "required": True, "maps_to": "email"},
    {"name": "name", "label": "First name", "maps_to": "first_name"},
]
ORIGIN = "https://www.example.com"


@pytest.fixture(autouse=True)
def fresh_rate_limits(fresh_cache) -> None:
    """Each test counts its own requests per minute."""


@pytest.fixture
def form(active_model) -> WebForm:
    return WebForm.objects.create(name="Demo", fields=FIELDS, allowed_origins=[ORIGIN])


def post_json(client: Client, form: WebForm, body: str):  # type: ignore[no-untyped-def]
    return client.post(f"/f/{form.key}/", body, content_type="application/json",
                       HTTP_ORIGIN=ORIGIN)  # fmt: skip


def test_a_form_stores_only_its_own_fields(client: Client, form: WebForm) -> None:
    junk = {f"junk{i}": "x" * 30 for i in range(1_000)}
    body = {"email": "ana@acme.example", "name": "Ana", "utm_source": "ads", **junk}

    response = post_json(client, form, json.dumps(body))

    assert response.status_code == 201
    stored = FormSubmission.objects.get().data
    assert stored == {"email": "ana@acme.example", "name": "Ana", "utm_source": "ads"}


def test_a_form_refuses_a_body_over_64_kb(client: Client, form: WebForm) -> None:
    body = json.dumps({"email": "ana@acme.example", "name": "A" * 70_000})

    response = post_json(client, form, body)

    assert response.status_code == 413
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"email": "ana@acme.example", "name": "A\u0000na"}),
        '{"email": "ana@acme.example", "name": "A\\ud800na"}',
        "[" * 3_000 + "]" * 3_000,
        '{"email": ' * 3_000 + "1" + "}" * 3_000,
    ],
    ids=["NUL", "lone surrogate", "deep list", "deep object"],
)
def test_a_form_with_unstorable_or_deep_json_is_a_400(client: Client, form, body) -> None:
    assert post_json(client, form, body).status_code == 400
    assert not FormSubmission.objects.exists()


def test_a_form_encoded_nul_is_a_400(client: Client, form: WebForm) -> None:
    response = client.post(f"/f/{form.key}/", "email=ana%40acme.example&name=A%00na",
                           content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path", ["/survey/%00/", "/f/%00/", "/api/source-keys/%00/", "/t/click/%00/"]
)
def test_a_nul_in_the_path_is_a_400_not_a_500(client: Client, admin_user, path: str) -> None:
    client.force_login(admin_user)
    assert client.get(path).status_code == 400


def test_the_tracking_collector_is_rate_limited_per_address(
    client: Client, active_model, monkeypatch
) -> None:
    from plumbing import limits
    from scoring.pages.public import MAX_VIEWS_PER_IP_PER_MINUTE

    # All within one minute, however slowly the machine sends them.
    monkeypatch.setattr(limits, "clock", lambda: 1_800_000_000.0)

    site = TrackingSite.objects.create(name="www", allowed_origins=[ORIGIN])
    statuses = []
    for i in range(MAX_VIEWS_PER_IP_PER_MINUTE + 5):
        body = {"site": site.key, "visitor": "v-1", "url": f"{ORIGIN}/p{i}", "title": "P"}
        response = client.post("/t/collect/", json.dumps(body), content_type="text/plain",
                               HTTP_ORIGIN=ORIGIN, HTTP_USER_AGENT="Mozilla/5.0")  # fmt: skip
        statuses.append(response.status_code)
    assert statuses.count(204) == MAX_VIEWS_PER_IP_PER_MINUTE
    assert statuses[-1] == 429
    assert PageView.objects.count() == MAX_VIEWS_PER_IP_PER_MINUTE


def test_an_api_request_django_refuses_early_is_a_json_400(client: Client, admin_user) -> None:
    client.force_login(admin_user)
    too_many_fields = "&".join(f"owner={i}" for i in range(1_500))

    response = client.get(f"/api/leads/?{too_many_fields}")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "bad_request"


def test_json_whose_brackets_hide_in_another_encoding_is_a_400(
    client: Client, active_model
) -> None:
    """In UTF-16, "∀" is the bytes 00 22: read as UTF-8, a quote that hides the nesting."""
    site = TrackingSite.objects.create(name="www", allowed_origins=[ORIGIN])
    body = ('["\u2200",' + "[" * 1900 + "]" * 1900 + ',"\u2200"]').encode("utf-16-le")

    response = client.post("/t/collect/", body, content_type="text/plain",
                           HTTP_ORIGIN=ORIGIN, HTTP_USER_AGENT="Mozilla/5.0")  # fmt: skip

    assert response.status_code == 400
    assert site.pk
