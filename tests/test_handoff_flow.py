"""A handoff from MQL to SAL or back to nurture: alerts, answers, SLA, qualification."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from handoff import notify
from handoff.handoffs import check_slas, send_to_sales
from handoff.models import ContactAttempt, Delivery, Handoff, Notification, QualifyingQuestion
from leads.models import Lead, StageChange
from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def handed(sales_floor, marketer):  # type: ignore[no-untyped-def]
    """An MQL handed to the first rep of the floor."""
    return send_to_sales(lead_in(Stage.MQL, first_name="Ana"), actor=marketer)


def deliver_all() -> None:
    for pk in Delivery.objects.filter(status="pending").values_list("pk", flat=True):
        notify.deliver(pk)


def test_a_marketer_sends_mqls_to_sales_and_the_rep_is_alerted_on_every_channel(
    sales_floor, marketer
) -> None:
    leads = [lead_in(Stage.MQL), lead_in(Stage.MQL), lead_in(Stage.LEAD)]

    response = api_for(marketer).post(
        "/api/send-to-sales/", {"leads": [lead.pk for lead in leads]}, format="json"
    )
    deliver_all()

    assert [r["status"] for r in response.json()] == ["sent", "sent", "error"]
    first = Handoff.objects.get(lead=leads[0])
    assert Lead.objects.get(pk=leads[0].pk).owner == first.rep
    assert Notification.objects.filter(user=first.rep, handoff=first, kind="handoff").count() == 1
    (email,) = [m for m in mail.outbox if first.rep.email in m.to]
    delivery = Delivery.objects.get(handoff=first, channel="email")
    assert email.extra_headers["Message-ID"] == f"<{delivery.delivery_id}@leadflow>"
    assert first.rep.get_full_name() in email.body
    assert Handoff.objects.get(pk=first.pk).alerted_at is not None


def test_the_same_alert_sent_twice_gives_one_notification_and_one_email(handed) -> None:
    in_app = Delivery.objects.get(handoff=handed, channel="in_app")
    email = Delivery.objects.get(handoff=handed, channel="email")

    assert notify.deliver(in_app.pk) is True
    assert notify.deliver(in_app.pk) is False
    # Even a forced second run of the channel (a worker that died after sending) adds none.
    Delivery.objects.filter(pk=in_app.pk).update(status="pending")
    notify.deliver(in_app.pk)
    notify.deliver(email.pk)
    notify.deliver(email.pk)

    assert Notification.objects.filter(handoff=handed).count() == 1
    assert len(mail.outbox) == 1


def test_a_dead_workers_claim_expires_and_the_relay_sends_with_the_same_id(
    handed, time_machine
) -> None:
    delivery = Delivery.objects.get(handoff=handed, channel="email")
    assert notify.claim(delivery.pk) is not None  # a worker claims it, then is killed

    notify.relay_due()
    assert Delivery.objects.get(pk=delivery.pk).status == "sending"  # the lease still holds
    assert mail.outbox == []
    time_machine.move_to(timezone.now() + timedelta(seconds=settings.ALERT_LEASE_SECONDS + 1))
    notify.relay_due()

    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<{delivery.delivery_id}@leadflow>"


def test_a_failed_alert_is_retried_with_backoff(handed, monkeypatch, time_machine) -> None:
    delivery = Delivery.objects.get(handoff=handed, channel="email")
    monkeypatch.setattr(
        "handoff.channels.send_email", lambda d: (_ for _ in ()).throw(OSError("smtp down"))
    )

    assert notify.deliver(delivery.pk) is False
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "smtp down")
    monkeypatch.undo()
    notify.relay_due()
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1  # not due again yet
    time_machine.move_to(timezone.now() + timedelta(seconds=5))
    notify.relay_due()
    assert Delivery.objects.get(pk=delivery.pk).status == "sent"


def test_the_assigned_rep_accepts_and_the_lead_becomes_a_sal(handed) -> None:
    response = api_for(handed.rep).post(f"/api/handoffs/{handed.pk}/accept/")

    assert response.status_code == 200
    lead = Lead.objects.get(pk=handed.lead_id)
    assert lead.stage == Stage.SAL
    assert StageChange.objects.filter(lead=lead, to_stage=Stage.SAL, actor=handed.rep).exists()
    assert Handoff.objects.get(pk=handed.pk).answered_at is not None


def test_another_rep_cannot_accept(handed, sales_floor) -> None:
    other = sales_floor["reps"][1]

    response = api_for(other).post(f"/api/handoffs/{handed.pk}/accept/")

    assert response.status_code == 404  # not their lead: they cannot even see it
    assert Lead.objects.get(pk=handed.lead_id).stage == Stage.MQL


def test_an_answered_handoff_cannot_be_answered_again(handed) -> None:
    client = api_for(handed.rep)
    client.post(f"/api/handoffs/{handed.pk}/accept/")

    again = client.post(f"/api/handoffs/{handed.pk}/reject/", {"reason": "no_budget"})

    assert again.status_code == 409


def test_rejecting_needs_a_reason_from_the_list(handed) -> None:
    client = api_for(handed.rep)

    missing = client.post(f"/api/handoffs/{handed.pk}/reject/", {}, format="json")
    unknown = client.post(f"/api/handoffs/{handed.pk}/reject/", {"reason": "meh"}, format="json")
    other_without_text = client.post(
        f"/api/handoffs/{handed.pk}/reject/", {"reason": "other"}, format="json"
    )

    assert [r.status_code for r in (missing, unknown, other_without_text)] == [400, 400, 400]
    assert "reason" in missing.json()
    assert "note" in other_without_text.json()
    assert Lead.objects.get(pk=handed.lead_id).stage == Stage.MQL


def test_a_rejected_lead_goes_to_nurture_and_marketing_hears_why(handed, marketer) -> None:
    response = api_for(handed.rep).post(
        f"/api/handoffs/{handed.pk}/reject/",
        {"reason": "bad_timing", "note": "Budget frozen until March"},
        format="json",
    )
    deliver_all()

    assert response.status_code == 200
    lead = Lead.objects.get(pk=handed.lead_id)
    assert lead.stage == Stage.NURTURE
    move = StageChange.objects.get(lead=lead, to_stage=Stage.NURTURE)
    assert move.reason == "Rejected by sales: Bad timing. Budget frozen until March"
    told = Notification.objects.get(user=marketer, kind="rejected")
    assert "Bad timing" in told.body


def test_the_generic_endpoint_obeys_the_handoff_rules(handed, sales_floor) -> None:
    client = api_for(handed.rep)

    skip_accept = client.post(f"/api/leads/{handed.lead_id}/transition/", {"to": "sal"})
    skip_reject = client.post(
        f"/api/leads/{handed.lead_id}/transition/", {"to": "nurture", "reason": "later"}
    )

    assert skip_accept.status_code == 409
    assert "accepts the handoff" in skip_accept.json()["detail"]
    assert skip_reject.status_code == 409


def test_sla_reminder_at_half_then_breach_escalates_and_reassigns(
    handed, sales_floor, manager, time_machine
) -> None:
    start = timezone.now()
    time_machine.move_to(start + timedelta(minutes=6))
    assert check_slas() == {"reminded": 1, "breached": 0}
    assert Delivery.objects.filter(handoff=handed, kind="reminder", user=handed.rep).exists()

    time_machine.move_to(start + timedelta(minutes=11))
    assert check_slas() == {"reminded": 0, "breached": 1}

    handed.refresh_from_db()
    assert handed.status == Handoff.Status.EXPIRED
    assert Delivery.objects.filter(handoff=handed, kind="escalation", user=manager).exists()
    new = Handoff.objects.get(lead=handed.lead, status=Handoff.Status.PENDING)
    assert new.previous == handed
    assert new.rep not in (handed.rep, None)
    assert Lead.objects.get(pk=handed.lead_id).owner == new.rep


def test_two_answers_at_once_one_wins(handed, admin_user) -> None:
    from handoff.handoffs import accept, reject
    from plumbing.errors import Conflict

    accept(handed, actor=handed.rep)
    with pytest.raises(Conflict):
        reject(handed, actor=admin_user, reason="no_budget")


@pytest.fixture
def accepted(handed):  # type: ignore[no-untyped-def]
    api_for(handed.rep).post(f"/api/handoffs/{handed.pk}/accept/")
    return Lead.objects.get(pk=handed.lead_id)


def answer_all(client: APIClient, lead: Lead, **overrides) -> None:  # type: ignore[no-untyped-def]
    answers = {}
    for question in QualifyingQuestion.objects.all():
        value = {"yes_no": True, "number": 10, "text": "Slow handoffs", "choice": "This quarter"}[
            question.answer_type
        ]
        answers[str(question.pk)] = overrides.get(question.category, value)
    response = client.put(f"/api/leads/{lead.pk}/answers/", {"answers": answers}, format="json")
    assert response.status_code == 200, response.json()


def test_qualification_refuses_sql_while_a_required_answer_is_missing_or_failing(accepted) -> None:
    client = api_for(accepted.owner)

    nothing = client.post(f"/api/leads/{accepted.pk}/qualify/")
    answer_all(client, accepted, timeline="No date")
    failing = client.post(f"/api/leads/{accepted.pk}/qualify/")
    answer_all(client, accepted)
    passing = client.post(f"/api/leads/{accepted.pk}/qualify/")

    assert nothing.status_code == 409
    assert "Not answered: Is there a budget" in nothing.json()["detail"]
    assert failing.status_code == 409
    assert "Does not meet the criteria: When do they want to start?" in failing.json()["detail"]
    assert passing.status_code == 200
    assert passing.json()["stage"] == "sql"


def test_answers_are_validated_by_type(accepted) -> None:
    budget = QualifyingQuestion.objects.get(category="budget")

    response = api_for(accepted.owner).put(
        f"/api/leads/{accepted.pk}/answers/",
        {"answers": {str(budget.pk): "maybe"}},
        format="json",
    )

    assert response.status_code == 400
    assert str(budget.pk) in response.json()


def test_unresponsive_only_after_the_contact_attempts(accepted) -> None:
    client = api_for(accepted.owner)
    url = f"/api/leads/{accepted.pk}/transition/"

    early = client.post(url, {"to": "nurture", "reason": "Unresponsive"})
    first = timezone.now() - timedelta(days=11)
    for day in range(6):
        ContactAttempt.objects.create(
            lead=accepted,
            rep=accepted.owner,
            kind="call",
            outcome="no_answer",
            at=first + timedelta(days=2 * day),
        )
    later = client.post(url, {"to": "nurture", "reason": "Unresponsive after 6 calls"})

    assert early.status_code == 409
    assert later.status_code == 200


def test_reps_log_attempts_and_see_the_next_one_due(accepted) -> None:
    client = api_for(accepted.owner)

    logged = client.post(
        f"/api/leads/{accepted.pk}/attempts/",
        {"kind": "call", "outcome": "voicemail"},
        format="json",
    )
    listing = client.get(f"/api/leads/{accepted.pk}/attempts/").json()

    assert logged.status_code == 201
    assert len(listing["attempts"]) == 1
    assert listing["next_attempt_due"] is not None
    assert listing["unresponsive_allowed"] is False


def test_an_sql_is_won_with_its_value_or_lost_with_a_reason(accepted) -> None:
    client = api_for(accepted.owner)
    answer_all(client, accepted)
    client.post(f"/api/leads/{accepted.pk}/qualify/")

    won = client.post(
        f"/api/leads/{accepted.pk}/convert/",
        {"deal_value": "18000", "closed_at": "2026-11-20"},
        format="json",
    )

    assert won.status_code == 200
    lead = Lead.objects.get(pk=accepted.pk)
    assert (lead.stage, lead.closed_at) == (Stage.CUSTOMER, date(2026, 11, 20))


def test_notifications_list_count_and_mark_read(handed) -> None:
    deliver_all()
    client = api_for(handed.rep)

    assert client.get("/api/notifications/unread-count/").json() == {"unread": 1}
    (item,) = client.get("/api/notifications/").json()["results"]
    client.post(f"/api/notifications/{item['id']}/read/")
    assert client.get("/api/notifications/unread-count/").json() == {"unread": 0}


def test_alerts_speak_the_reps_language_and_give_times_in_the_reps_time_zone(
    sales_floor, marketer
) -> None:
    from django.utils import timezone

    from handoff.handoffs import send_to_sales
    from leads.models import Preferences

    for rep in sales_floor["reps"]:
        Preferences.objects.create(user=rep, language="es", time_zone="America/Mexico_City")
    handoff = send_to_sales(lead_in(Stage.MQL, first_name="Diego"), actor=marketer)
    deliver_all()

    (email,) = [m for m in mail.outbox if handoff.rep.email in m.to]
    due = timezone.localtime(handoff.due_at, timezone.get_fixed_timezone(-360))
    assert email.subject.startswith("[Leadflow] Nuevo lead para ti")
    assert f"Responde antes de las {due:%H:%M} CST" in email.body
    assert Notification.objects.get(handoff=handoff).title.startswith("Nuevo lead para ti")
