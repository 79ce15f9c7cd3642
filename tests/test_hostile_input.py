"""Hostile and broken input: huge fields, wrong types, bad encodings, deep JSON, NUL bytes,
formula cells. Each gets a clear error (never a 500), and nothing is half-stored."""

import json

import pytest
from django.test import Client

from leads.capture.imports import begin
from leads.models import ImportJob, Lead
from leads.stages import Stage
from plumbing.errors import InvalidInput
from scoring.models import Event
from tests.factories import lead_in

pytestmark = pytest.mark.django_db

BAD_EVENTS = {
    "huge type": {"type": "x" * 100_000, "email": "a@b.example"},
    "id is an object": {"id": {"a": 1}, "type": "page_view", "email": "a@b.example"},
    "time is a number": {"type": "page_view", "email": "a@b.example", "occurred_at": 12},
    "properties is a list": {"type": "page_view", "email": "a@b.example", "properties": [1]},
    "lead id is text": {"type": "page_view", "lead_id": "12"},
    "email is a number": {"type": "page_view", "email": 42},
    "email is huge": {"type": "page_view", "email": "a" * 5000 + "@b.example"},
    "deep JSON": {
        "type": "page_view",
        "email": "a@b.example",
        "properties": {"a": {"b": {"c": {"d": {"e": {"f": {"g": 1}}}}}}},
    },
    "huge properties": {
        "type": "page_view",
        "email": "a@b.example",
        "properties": {"x": "y" * 20_000},
    },
    "NUL in a property": {
        "type": "page_view",
        "email": "a@b.example",
        "properties": {"url": "/a\u0000b"},
    },
    "NUL in the id": {"id": "a\u0000b", "type": "page_view", "email": "a@b.example"},
    # Valid JSON escapes for half a UTF-16 pair: no text PostgreSQL (or UTF-8) can hold.
    "lone surrogate in a property": {
        "type": "page_view",
        "email": "a@b.example",
        "properties": {"url": "/a\ud800b"},
    },
    "lone surrogate in a key": {
        "type": "page_view",
        "email": "a@b.example",
        "properties": {"\udc00": "x"},
    },
    "lone surrogate in the id": {"id": "a\ud800", "type": "page_view", "email": "a@b.example"},
    "not an object": "page_view",
}


def post(client: Client, key: str, body: bytes | str) -> object:
    return client.post("/api/events/", data=body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Api-Key {key}")  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_EVENTS))
def test_a_bad_event_gets_its_own_error_and_the_good_one_is_kept(
    case: str, client: Client, source_key: str
) -> None:
    good = {"id": "good-1", "type": "page_view", "email": "good@b.example"}
    response = post(client, source_key, json.dumps([BAD_EVENTS[case], good]))

    assert response.status_code == 200, response.content[:300]
    first, second = response.json()["results"]
    assert first["status"] == "error"
    assert first["errors"]
    assert second["status"] == "created"
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"42",
        b"[]",
        b"null",
        json.dumps([{"type": "page_view"}] * 1001).encode(),
    ],
    ids=["broken", "bad bytes", "a number", "empty", "null", "too many"],
)
def test_malformed_bodies_are_4xx_never_5xx(body: bytes, client: Client, source_key: str) -> None:
    response = post(client, source_key, body)
    assert 400 <= response.status_code < 500
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"email,first_name\nana@x.example,Ana\nbea@x.example,B\x00ea\n",
        "email,first_name\nana@x.example,Ana\nbea@x.example,Beatriz\n".encode("utf-16"),
        "email,first_name\nana@x.example,Ana\nbea@x.example,José\n".encode("latin-1"),
        b"email,first_name\nana@x.example,Ana\nbea@x.example," + b"y" * 300_000 + b"\n",
    ],
    ids=["NUL byte", "utf-16", "latin-1", "huge cell"],
)
def test_broken_csv_files_fail_clearly_or_import_cleanly(content: bytes, marketer) -> None:
    from leads.capture.imports import run_job

    mapping = {"email": "email", "first_name": "first_name"}
    try:
        job = begin(content=content, file_name="x.csv", kind="leads", source="",
                    mapping=mapping, actor=marketer)  # fmt: skip
    except InvalidInput as refused:  # refused up front: a clear message, nothing stored
        errors = refused.errors
        job = None
    if job is None:
        assert errors
        assert not Lead.objects.exists()
        return
    job = run_job(job.pk)
    if job.status == ImportJob.Status.FAILED:
        assert job.error
        assert not Lead.objects.exists()  # nothing half-imported
    else:
        assert job.status == ImportJob.Status.DONE
        assert job.created + job.failed == 2
        for lead in Lead.objects.all():
            assert "\x00" not in lead.first_name


def test_formula_cells_are_neutralised_in_exports(client: Client, marketer) -> None:
    lead_in(Stage.LEAD, first_name='=HYPERLINK("http://evil")', last_name="+1-2")
    client.force_login(marketer)
    body = b"".join(client.get("/api/leads/export/").streaming_content).decode()
    assert "'=HYPERLINK" in body
    assert "'+1-2" in body


# Found by the schemathesis run (tests/test_api_schemathesis.py), kept here as plain cases.


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/routing-rules/", "countries"),
        ("/api/qualifying-questions/", "choices"),
        ("/api/tracking-sites/", "allowed_origins"),
    ],
)
def test_a_null_for_a_list_is_refused_and_a_form_body_is_not_taken(
    path: str, field: str, client: Client, admin_user
) -> None:
    """A form field saying "null" once reached a NOT NULL column; the API now speaks JSON
    only (a form body is a 415), and a JSON null for a list is the field's error."""
    client.force_login(admin_user)
    body = {"name": "Iberia", "text": "Budget?", field: None}

    as_form = client.post(path, {**body, field: "null"})
    as_json = client.post(path, body, content_type="application/json")

    assert as_form.status_code == 415
    assert as_json.status_code == 400
    assert field in as_json.json()


def test_an_api_key_without_a_name_is_refused(client: Client, admin_user) -> None:
    client.force_login(admin_user)

    response = client.post(
        "/api/source-keys/", {"source": "website"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize("path", ["/api/handoffs/null,null/", "/api/leads/abc/notes/"])
def test_an_id_that_is_not_a_number_is_a_json_404(path: str, client: Client, admin_user) -> None:
    client.force_login(admin_user)

    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_a_note_that_is_not_text_is_refused(client: Client, admin_user) -> None:
    client.force_login(admin_user)
    lead = lead_in(Stage.MQL)

    response = client.post(
        f"/api/leads/{lead.pk}/notes/", {"text": ["a", "b"]}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "text" in response.json()
    assert not lead.notes.exists()


@pytest.mark.parametrize(
    "path", ["/api/reports/sla/?source=a%00b", "/api/leads/?q=%00", "/leads/?country=x%00"]
)
def test_a_nul_in_the_query_string_is_a_400(path: str, client: Client, admin_user) -> None:
    client.force_login(admin_user)

    response = client.get(path)

    assert response.status_code == 400
    assert b"NUL" in response.content


@pytest.mark.parametrize(
    "attributes", [{"k": "a\ud800"}, {"\udc00": "v"}], ids=["in a value", "in a key"]
)
def test_a_lone_surrogate_in_a_leads_attributes_is_a_400(
    attributes: dict, client: Client, admin_user
) -> None:
    client.force_login(admin_user)
    body = json.dumps({"email": "s@x.example", "attributes": attributes})

    response = client.post("/api/leads/", body, content_type="application/json")

    assert response.status_code == 400
    assert "attributes" in response.json()
    assert not Lead.objects.filter(email="s@x.example").exists()
