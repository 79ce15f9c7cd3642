"""An alert's link never dies, and an old alert stops asking for an answer once the lead
moved on (reassigned by a manager, breached and routed to another rep, or answered)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from handoff import notify
from handoff.handoffs import accept, check_slas, reassign, send_to_sales
from handoff.models import Delivery, Handoff, Notification
from leads.people import display_name
from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed(sales_floor, marketer):  # type: ignore[no-untyped-def]
    handoff = send_to_sales(
        lead_in(Stage.MQL, first_name="Paula", last_name="Vidal"), actor=marketer
    )
    deliver_all()
    return handoff


def deliver_all() -> None:
    for pk in Delivery.objects.filter(status="pending").values_list("pk", flat=True):
        notify.deliver(pk)


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def other_rep_of(handoff: Handoff, sales_floor) -> object:  # type: ignore[no-untyped-def]
    return next(rep for rep in sales_floor["reps"] if rep != handoff.rep)


def test_the_alert_link_opens_the_lead_for_the_rep_who_has_it(handed) -> None:
    response = client_for(handed.rep).get(f"/notifications/lead/{handed.lead_id}/")

    assert response.status_code == 302
    assert response["Location"] == f"/leads/{handed.lead_id}/"


def test_after_a_reassignment_the_old_reps_link_says_where_the_lead_went(
    handed, sales_floor, manager
) -> None:
    old_rep, new_rep = handed.rep, other_rep_of(handed, sales_floor)
    reassign(handed, actor=manager, rep=new_rep)
    notification = Notification.objects.get(user=old_rep, kind="handoff")

    client = client_for(old_rep)
    listed = client.get("/notifications/").content.decode()
    response = client.get(f"/notifications/lead/{handed.lead_id}/")

    assert f'href="/notifications/lead/{handed.lead_id}/"' in listed
    assert "The lead moved on." in listed
    assert client.get(f"/leads/{handed.lead_id}/").status_code == 404  # no longer his
    assert response.status_code == 200
    page = response.content.decode()
    assert "This lead moved on" in page
    assert f"It is now with {display_name(new_rep)}" in page
    assert "Paula Vidal" in page
    assert 'href="/notifications/"' in page  # a way back
    notification.refresh_from_db()
    assert notification.stale_at is not None
    assert notification.read_at is not None


def test_after_an_sla_breach_the_old_reps_reminder_no_longer_waits_for_him(
    handed, time_machine
) -> None:
    start, old_rep = timezone.now(), handed.rep
    time_machine.move_to(start + timedelta(minutes=6))
    check_slas()
    deliver_all()
    reminder = Notification.objects.get(user=old_rep, kind="reminder")
    before = client_for(old_rep).get("/notifications/").content.decode()
    assert "is waiting for your answer" in before

    time_machine.move_to(start + timedelta(minutes=11))
    check_slas()
    deliver_all()

    reminder.refresh_from_db()
    assert reminder.stale_at is not None
    client = client_for(old_rep)
    listed = client.get("/notifications/").content.decode()
    assert "is waiting for your answer" not in listed
    assert "Paula Vidal is no longer waiting for your answer" in listed
    moved = client.get(f"/notifications/lead/{handed.lead_id}/")
    assert moved.status_code == 200
    new_rep = Handoff.objects.get(lead=handed.lead, status="pending").rep
    assert f"It is now with {display_name(new_rep)}" in moved.content.decode()


def test_a_reminder_not_yet_sent_when_the_lead_moves_is_never_sent(
    handed, sales_floor, manager, time_machine
) -> None:
    time_machine.move_to(timezone.now() + timedelta(minutes=6))
    check_slas()  # the reminder is queued for the rep...
    reassign(handed, actor=manager, rep=other_rep_of(handed, sales_floor))  # ...and moves on
    deliver_all()

    assert not Notification.objects.filter(user=handed.rep, kind="reminder").exists()
    reminder = Delivery.objects.get(handoff=handed, kind="reminder", channel="in_app")
    assert reminder.status == Delivery.Status.SKIPPED


def test_answering_retires_the_reps_own_alerts_but_keeps_the_link_working(handed) -> None:
    accept(handed, actor=handed.rep)

    alert = Notification.objects.get(user=handed.rep, kind="handoff")
    client = client_for(handed.rep)
    assert alert.stale_at is not None
    assert "You answered it." in client.get("/notifications/").content.decode()
    assert client.get(f"/notifications/lead/{handed.lead_id}/").status_code == 302


def test_stale_alerts_do_not_ring_the_bell(handed, sales_floor, manager) -> None:
    client = client_for(handed.rep)
    assert '<span class="count"' in client.get("/notifications/bell/").content.decode()

    reassign(handed, actor=manager, rep=other_rep_of(handed, sales_floor))

    assert '<span class="count"' not in client.get("/notifications/bell/").content.decode()


def test_someone_never_alerted_about_the_lead_gets_a_404(handed, other_rep) -> None:
    response = client_for(other_rep).get(f"/notifications/lead/{handed.lead_id}/")

    assert response.status_code == 404


def test_webhooks_still_carry_every_event_after_the_lead_moves(
    sales_floor, marketer, manager, monkeypatch
) -> None:
    from handoff import channels
    from handoff.models import WebhookEndpoint

    sent: list[int] = []
    monkeypatch.setattr(channels, "send_webhook", lambda delivery: sent.append(delivery.pk))
    WebhookEndpoint.objects.create(name="CRM", url="https://crm.example/hook", secret="s")
    handoff = send_to_sales(lead_in(Stage.MQL, first_name="Eva"), actor=marketer)
    reassign(handoff, actor=manager, rep=other_rep_of(handoff, sales_floor))
    hook = Delivery.objects.get(handoff=handoff, channel="webhook")

    assert notify.deliver(hook.pk) is True
    assert sent == [hook.pk]
    email = Delivery.objects.get(handoff=handoff, channel="email")
    assert email.status == Delivery.Status.SKIPPED  # the person is not told; systems are
