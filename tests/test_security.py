"""Security by default: login throttling, a content security policy on every page, secure
cookies and HSTS in production settings, CSRF on forms."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_logins_are_throttled_after_five_failures_per_username_and_address() -> None:
    UserFactory(username="ana", password="right-password-123")
    client = Client()
    for _ in range(4):
        failed = client.post(reverse("login"), {"username": "ana", "password": "wrong"})
        assert failed.status_code == 200  # the form again, with its error
    fifth = client.post(reverse("login"), {"username": "ana", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post(reverse("login"), {"username": "ana", "password": "right-password-123"})
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    # Another username from the same address is not locked out.
    UserFactory(username="bea", password="right-password-123")
    other = client.post(reverse("login"), {"username": "bea", "password": "right-password-123"})
    assert other.status_code == 302


def test_every_page_carries_a_content_security_policy(client: Client, marketer) -> None:
    client.force_login(marketer)
    policy = client.get("/queue/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_forms_need_the_csrf_token(marketer) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(marketer)
    assert client.post("/queue/send/", {"lead": []}).status_code == 403
