"""API clients authenticate with personal tokens: hashed, expiring, several per user."""

from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import get_token_model
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(marketer) -> APIClient:
    client = APIClient()
    client.force_authenticate(marketer)
    return client


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_user_creates_several_tokens_each_shown_once_and_stored_hashed(session) -> None:
    first = session.post("/api/tokens/").json()
    second = session.post("/api/tokens/").json()

    assert first["token"] != second["token"]
    listed = session.get("/api/tokens/").json()
    assert {t["token_key"] for t in listed} == {first["token_key"], second["token_key"]}
    assert all("token" not in t for t in listed)
    stored = get_token_model().objects.values_list("digest", flat=True)
    assert first["token"] not in stored
    assert with_token(first["token"]).get("/api/leads/").status_code == 200


def test_a_revoked_token_no_longer_works(session) -> None:
    token = session.post("/api/tokens/").json()

    assert session.delete(f"/api/tokens/{token['token_key']}/").status_code == 204
    assert with_token(token["token"]).get("/api/leads/").status_code == 401


def test_an_expired_token_no_longer_works(session) -> None:
    token = session.post("/api/tokens/").json()
    get_token_model().objects.update(expiry=timezone.now() - timedelta(seconds=1))

    assert with_token(token["token"]).get("/api/leads/").status_code == 401


def test_users_cannot_see_or_revoke_each_others_tokens(session, rep) -> None:
    token = session.post("/api/tokens/").json()
    other = APIClient()
    other.force_authenticate(rep)

    assert other.get("/api/tokens/").json() == []
    assert other.delete(f"/api/tokens/{token['token_key']}/").status_code == 404


def test_the_token_limit_per_user_is_enforced(session, settings) -> None:
    limit = settings.REST_KNOX["TOKEN_LIMIT_PER_USER"]
    created = [session.post("/api/tokens/").status_code for _ in range(limit + 3)]

    assert created.count(201) == limit
    assert created[-1] == 409
    over = session.post("/api/tokens/").json()
    assert over["code"] == "token_limit"
    assert len(session.get("/api/tokens/").json()) == limit
    # Deleting one makes room for one.
    key = session.get("/api/tokens/").json()[0]["token_key"]
    assert session.delete(f"/api/tokens/{key}/").status_code == 204
    assert session.post("/api/tokens/").status_code == 201
