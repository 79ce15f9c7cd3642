"""A cursor comes back from the browser: a tampered or made-up one is a clear 400 on the
API and a first page on the pages, never a 500."""

import base64
import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


def encode(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


TAMPERED = {
    "value is a list": encode({"v": [1, 2], "id": 5, "null": False}),
    "value is an object": encode({"v": {"a": 1}, "id": 5, "null": False}),
    "id is true": encode({"v": "2026-01-01T00:00:00+00:00", "id": True, "null": False}),
    "id past bigint": encode({"v": "2026-01-01T00:00:00+00:00", "id": 2**64, "null": False}),
    "value is not a time": encode({"v": "yesterday", "id": 5, "null": False}),
    "year 0": encode({"v": "0000-01-01T00:00:00", "id": 5, "null": False}),
    "deep JSON": base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode(),
    "garbage": "%%%not-a-cursor%%%",
    "non-ASCII": "cursor-ñ-☃",
}


@pytest.mark.parametrize("cursor", TAMPERED.values(), ids=list(TAMPERED))
def test_a_tampered_cursor_on_the_api_is_a_400(admin_user, cursor: str) -> None:
    lead_in(Stage.MQL)
    client = APIClient()
    client.force_authenticate(admin_user)

    response = client.get("/api/leads/", {"cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in response.json()


@pytest.mark.parametrize("path", ["/leads/", "/queue/", "/nurture/"])
@pytest.mark.parametrize("cursor", TAMPERED.values(), ids=list(TAMPERED))
def test_a_tampered_cursor_on_a_page_shows_the_first_page(
    client: Client, admin_user, path: str, cursor: str
) -> None:
    lead_in(Stage.MQL)
    client.force_login(admin_user)

    assert client.get(path, {"cursor": cursor}).status_code == 200
