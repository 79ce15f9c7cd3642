"""The commands an operator needs: each does its one job and says what it did."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from handoff.models import Delivery
from leads.roles import Role, roles_of
from scoring.models import Event, LeadScore, RescoreJob, SourceApiKey
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def run(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_create_admin_takes_the_password_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("LEADFLOW_ADMIN_PASSWORD", "a-long-and-fine-passphrase")
    assert "ops is an admin." in run("create_admin", "--username", "ops", "--email", "o@x.io")
    user = get_user_model().objects.get(username="ops")
    assert Role.ADMIN in roles_of(user)
    assert user.is_staff
    assert user.check_password("a-long-and-fine-passphrase")

    monkeypatch.setenv("LEADFLOW_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError):
        run("create_admin", "--username", "weak")


def test_rotate_api_key_issues_a_new_key_and_revokes_the_old(active_model) -> None:
    old, _secret = SourceApiKey.objects.create_key(name="webinar-tool", source="webinars",
                                                  requests_per_minute=120)  # fmt: skip
    out = run("rotate_api_key", "webinar-tool")

    new_secret = out.split("(shown once): ")[1].split()[0]
    old.refresh_from_db()
    new = SourceApiKey.objects.get_from_key(new_secret)
    assert old.revoked
    assert (new.source, new.requests_per_minute, new.revoked) == ("webinars", 120, False)


def test_rescore_all_scores_every_lead(active_model) -> None:
    leads = [LeadFactory() for _ in range(3)]
    LeadScore.objects.all().delete()

    out = run("rescore_all")

    assert "Re-scored 3 leads" in out
    assert LeadScore.objects.filter(lead__in=leads).count() == 3
    assert RescoreJob.objects.get().status == RescoreJob.Status.DONE


def test_purge_events_deletes_only_what_is_past_retention(active_model) -> None:
    lead = LeadFactory()
    now = timezone.now()
    for days in (10, 800, 900):
        Event.objects.create(lead=lead, type="page_view", source="web",
                             occurred_at=now - timedelta(days=days))  # fmt: skip

    assert "2 events are older than 730 days." in run("purge_events", "--dry-run")
    assert "Deleted 2 events" in run("purge_events")
    assert Event.objects.count() == 1


def test_replay_outbox_sends_what_waits_and_retries_failures(sales_floor, marketer) -> None:
    from handoff.handoffs import send_to_sales
    from leads.stages import Stage
    from tests.factories import lead_in

    handoff = send_to_sales(lead_in(Stage.MQL), actor=marketer)
    email = Delivery.objects.get(handoff=handoff, channel="email")
    Delivery.objects.filter(pk=email.pk).update(status=Delivery.Status.FAILED, attempts=8)

    out = run("replay_outbox", "--failed")

    assert "1 failed alerts back in the outbox." in out
    email.refresh_from_db()
    assert email.status == Delivery.Status.SENT


def test_check_heartbeat_fails_when_beat_is_stale(time_machine) -> None:
    from leads.models import Heartbeat

    with pytest.raises(CommandError, match="no beat heartbeat yet"):
        run("check_heartbeat")
    Heartbeat.record(kind=Heartbeat.Kind.BEAT, name="beat")
    assert "beat heartbeat" in run("check_heartbeat", "--max-age", "60")
    time_machine.move_to(timezone.now() + timedelta(minutes=5))
    with pytest.raises(CommandError, match="old"):
        run("check_heartbeat", "--max-age", "60")
