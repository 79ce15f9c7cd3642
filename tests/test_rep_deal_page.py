"""Closing an SQL from the lead page: the deal value typed as the rep writes numbers, the
close date, the deal shown on the page afterwards; a refused deal keeps what was typed."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


def win(client: Client, lead, value: str, closed: str = "2026-11-30", **headers):
    return client.post(
        f"/leads/{lead.pk}/move/",
        {"form": "won", "from": "sql", "to": "customer", "deal_value": value, "closed_at": closed},
        **headers,
    )


@pytest.mark.parametrize(
    ("language", "typed", "shown"),
    [
        ("es", "12.500,50", "12\u00a0500,50"),
        ("es", "12500,50", "12\u00a0500,50"),
        ("en", "12,500.50", "12,500.50"),
        ("en", "12500.50", "12,500.50"),
    ],
)
def test_a_won_deal_typed_in_the_reps_language_is_saved_and_shown(
    client: Client, rep, handoff_defaults, language, typed, shown
) -> None:
    lead = lead_in(Stage.SQL, owner=rep)
    client.force_login(rep)

    moved = win(client, lead, typed, HTTP_ACCEPT_LANGUAGE=language)

    assert moved.status_code == 302
    lead.refresh_from_db()
    assert lead.stage == Stage.CUSTOMER
    assert lead.deal_value == Decimal("12500.50")
    assert lead.closed_at == date(2026, 11, 30)
    html = client.get(f"/leads/{lead.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert shown in html
    assert ("30 de noviembre de 2026" if language == "es" else "Nov. 30, 2026") in html


def test_a_refused_deal_value_keeps_what_was_typed_next_to_the_error(
    client: Client, rep, handoff_defaults
) -> None:
    lead = lead_in(Stage.SQL, owner=rep)
    client.force_login(rep)

    refused = win(client, lead, "12.500.50", HTTP_ACCEPT_LANGUAGE="es")

    html = refused.content.decode()
    assert refused.status_code == 400
    assert 'value="12.500.50"' in html
    assert 'value="2026-11-30"' in html
    assert "12.500,50" in html  # how to write it
    lead.refresh_from_db()
    assert lead.stage == Stage.SQL
    assert lead.deal_value is None


def test_a_deal_refused_from_the_inbox_shows_the_lead_page_with_what_was_typed(
    client: Client, rep, handoff_defaults
) -> None:
    lead = lead_in(Stage.SQL, owner=rep)
    client.force_login(rep)

    refused = client.post(
        f"/leads/{lead.pk}/move/",
        {"form": "won", "from": "sql", "to": "customer", "deal_value": "-5", "next": "/inbox/",
         "closed_at": "2026-11-30"},
    )  # fmt: skip

    html = refused.content.decode()
    assert refused.status_code == 400
    assert "A deal value cannot be negative." in html
    assert 'value="-5"' in html


def test_a_lost_deal_needs_its_reason_and_goes_to_nurture(
    client: Client, rep, handoff_defaults
) -> None:
    lead = lead_in(Stage.SQL, owner=rep)
    client.force_login(rep)
    lost = {"form": "lost", "from": "sql", "to": "nurture"}

    assert client.post(f"/leads/{lead.pk}/move/", lost | {"reason": " "}).status_code == 400
    client.post(f"/leads/{lead.pk}/move/", lost | {"reason": "Chose a competitor"})

    lead.refresh_from_db()
    assert lead.stage == Stage.NURTURE
    assert lead.history.latest("at").reason == "Chose a competitor"


def test_a_win_refused_because_the_lead_moved_meanwhile_still_says_why(
    client: Client, rep, handoff_defaults
) -> None:
    lead = lead_in(Stage.SQL, owner=rep)
    client.force_login(rep)
    client.post(f"/leads/{lead.pk}/move/", {"form": "lost", "from": "sql", "to": "nurture",
                                            "reason": "Chose a competitor"})  # fmt: skip

    refused = win(client, lead, "12,500.50")  # sent from a page opened before

    html = refused.content.decode()
    assert refused.status_code == 400
    assert "someone moved it meanwhile" in html
