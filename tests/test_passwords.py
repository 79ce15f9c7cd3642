"""Everyone can change their password when signed in and reset it by email — not only
staff, who had Django admin's pages."""

import re

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits(fresh_cache) -> None:
    """Each test counts its own requests per minute."""


def test_a_rep_changes_her_password_from_preferences(client: Client, rep) -> None:
    client.force_login(rep)
    assert "/accounts/password/change/" in client.get("/preferences/").content.decode()

    new = {"new_password1": "a-much-better-pass-42", "new_password2": "a-much-better-pass-42"}
    wrong = client.post("/accounts/password/change/", {"old_password": "nope", **new})
    assert wrong.status_code == 200
    assert "old_password-error" in wrong.content.decode()

    done = client.post("/accounts/password/change/", {"old_password": "secret-pass-123", **new})
    assert done.status_code == 302
    rep.refresh_from_db()
    assert rep.check_password("a-much-better-pass-42")


def test_a_marketer_resets_a_forgotten_password_by_email(client: Client, marketer) -> None:
    assert "/accounts/password/reset/" in client.get("/accounts/login/").content.decode()

    sent = client.post("/accounts/password/reset/", {"email": marketer.email})
    assert sent.status_code == 302
    (email,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", email.body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = {"new_password1": "fresh-and-long-pass-7", "new_password2": "fresh-and-long-pass-7"}
    done = client.post(form.redirect_chain[-1][0] if form.redirect_chain else link, new)
    assert done.status_code == 302
    marketer.refresh_from_db()
    assert marketer.check_password("fresh-and-long-pass-7")


def test_an_unknown_address_is_told_the_same_and_gets_nothing(client: Client, marketer) -> None:
    response = client.post("/accounts/password/reset/", {"email": "nobody@nowhere.example"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_reset_requests_are_rate_limited_per_mailbox(client: Client, marketer) -> None:
    from leadflow.pages.passwords import RESETS_PER_EMAIL_PER_MINUTE as LIMIT

    statuses = [client.post("/accounts/password/reset/", {"email": marketer.email}).status_code
                for _ in range(LIMIT + 2)]  # fmt: skip
    assert statuses[:LIMIT] == [302] * LIMIT
    assert statuses[-1] == 429
    assert len(mail.outbox) == LIMIT
