"""Alerts are stored as codes with parameters and written in the reader's language when
read: the page in the reader's language, an email in the recipient's preferred one."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from handoff import notify
from handoff.handoffs import reject, send_to_sales
from handoff.models import Delivery, Notification
from leads.models import Preferences
from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


def deliver_all() -> None:
    for pk in Delivery.objects.filter(status="pending").values_list("pk", flat=True):
        notify.deliver(pk)


def notifications_page(user, language: str) -> str:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client.get("/notifications/").content.decode()


@pytest.fixture
def rejected(sales_floor, marketer):  # type: ignore[no-untyped-def]
    """An English-speaking rep rejects a lead; the marketer is told."""
    handoff = send_to_sales(lead_in(Stage.MQL, first_name="Tomás", last_name="Gil"), actor=marketer)
    with translation.override("en"):
        reject(handoff, actor=handoff.rep, reason="bad_timing", note="Budget frozen until March")
        deliver_all()
    return handoff


def test_the_marketers_rejection_alert_reads_in_spanish_on_a_spanish_page(
    rejected, marketer
) -> None:
    stored = Notification.objects.get(user=marketer, kind="rejected")
    assert stored.params["who"] == "Tomás Gil"
    assert stored.params["reason"] == "Bad timing"  # the shipped label, translated when read

    spanish = notifications_page(marketer, "es")
    english = notifications_page(marketer, "en")

    assert "Ventas rechazó a Tomás Gil" in spanish
    assert "Motivo: No es el momento" in spanish
    assert "Budget frozen until March" in spanish  # what the rep typed, as typed
    assert "Sales rejected" not in spanish
    assert "Reason:" not in spanish
    assert "Sales rejected Tomás Gil" in english
    assert "Reason: Bad timing" in english


def test_the_reps_new_lead_alert_follows_the_readers_language(sales_floor, marketer) -> None:
    handoff = send_to_sales(lead_in(Stage.MQL, first_name="Diego"), actor=marketer)
    with translation.override("en"):
        deliver_all()

    assert "Nuevo lead para ti: Diego" in notifications_page(handoff.rep, "es")
    assert "New lead for you: Diego" in notifications_page(handoff.rep, "en")


def test_an_email_is_written_in_the_recipients_preferred_language(sales_floor, marketer) -> None:
    for rep in sales_floor["reps"]:
        Preferences.objects.create(user=rep, language="es")
    handoff = send_to_sales(lead_in(Stage.MQL, first_name="Lucía", last_name="Paz"), actor=marketer)
    with translation.override("en"):  # whoever's request or worker sends it
        deliver_all()

    (email,) = [m for m in mail.outbox if handoff.rep.email in m.to]
    assert email.subject == "[Leadflow] Nuevo lead para ti: Lucía Paz"
    assert "Abrir el lead" in email.body
    assert f"/notifications/lead/{handoff.lead_id}/" in email.body  # checked when clicked


def test_an_alert_from_before_codes_keeps_showing_its_stored_text(rep) -> None:
    Notification.objects.create(
        user=rep, kind="handoff", title="New lead for you: Old Row", body="Written long ago"
    )

    page = notifications_page(rep, "es")

    assert "New lead for you: Old Row" in page
    assert "Written long ago" in page


def test_the_api_gives_the_alert_in_the_readers_language(rejected, marketer) -> None:
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="es")
    client.force_authenticate(marketer)

    (item,) = client.get("/api/notifications/").json()["results"]

    assert item["title"] == "Ventas rechazó a Tomás Gil"
    assert item["params"]["reason"] == "Bad timing"
    assert item["stale"] is False
