"""The SLA clock in business hours, and what happens after the sale."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from handoff.aftersale import create_follow_ups
from handoff.hours import add_business_minutes
from handoff.models import FollowUp, Notification, TeamHours
from leads.models import Lead
from leads.stages import Stage
from tests.factories import TeamFactory, lead_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def madrid_hours() -> TeamHours:
    return TeamHours(
        team=TeamFactory(),
        always_on=False,
        time_zone="Europe/Madrid",
        weekdays=[0, 1, 2, 3, 4],
        starts=time(9),
        ends=time(18),
    )


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        # Tuesday 10:00 Madrid (09:00 UTC) + 5 min: inside the day.
        (datetime(2026, 11, 24, 9, 0, tzinfo=UTC), 5, datetime(2026, 11, 24, 9, 5, tzinfo=UTC)),
        # Tuesday 17:58 Madrid + 5 min: 2 today, 3 on Wednesday from 09:00.
        (datetime(2026, 11, 24, 16, 58, tzinfo=UTC), 5, datetime(2026, 11, 25, 8, 3, tzinfo=UTC)),
        # Friday 20:00 Madrid + 5 min: Monday 09:05.
        (datetime(2026, 11, 27, 19, 0, tzinfo=UTC), 5, datetime(2026, 11, 30, 8, 5, tzinfo=UTC)),
    ],
)
def test_the_sla_clock_counts_only_business_hours(madrid_hours, start, minutes, due) -> None:
    assert add_business_minutes(start, minutes, madrid_hours) == due


def test_without_hours_the_clock_always_runs() -> None:
    start = datetime(2026, 11, 28, 23, 0, tzinfo=UTC)  # a Saturday night

    assert add_business_minutes(start, 5, None) == start + timedelta(minutes=5)


def test_a_customer_gets_a_follow_up_and_a_survey_after_the_set_days(
    handoff_defaults, rep, client: Client
) -> None:
    won = lead_in(Stage.CUSTOMER, owner=rep, email="happy@customer.example")
    Lead.objects.filter(pk=won.pk).update(stage_changed_at=timezone.now() - timedelta(days=31))
    recent = lead_in(Stage.CUSTOMER, owner=rep)
    Lead.objects.filter(pk=recent.pk).update(stage_changed_at=timezone.now() - timedelta(days=3))

    assert create_follow_ups() == 1
    assert create_follow_ups() == 0  # once per customer

    follow_up = FollowUp.objects.get()
    assert follow_up.lead_id == won.pk
    assert Notification.objects.filter(user=rep, kind="follow_up", lead=won).exists()
    (survey_email,) = mail.outbox
    assert survey_email.to == ["happy@customer.example"]
    assert f"/survey/{follow_up.token}/" in survey_email.body

    page = client.get(f"/survey/{follow_up.token}/")
    refused = client.post(f"/survey/{follow_up.token}/", {"score": "11"})
    answered = client.post(f"/survey/{follow_up.token}/", {"score": "9"})

    assert page.status_code == 200
    assert refused.status_code == 200
    assert "from 0 to 10" in refused.content.decode()
    assert answered.status_code == 200
    follow_up.refresh_from_db()
    assert (follow_up.score, follow_up.category, follow_up.referral_source) == (
        9,
        "promoter",
        True,
    )

    again = client.post(f"/survey/{follow_up.token}/", {"score": "0"})

    assert again.status_code == 409
    assert "only the first answer counts" in again.content.decode()
    follow_up.refresh_from_db()
    assert (follow_up.score, follow_up.category) == (9, "promoter")


@pytest.mark.parametrize(
    ("score", "category"),
    [(10, "promoter"), (8, "passive"), (7, "passive"), (6, "detractor"), (0, "detractor")],
)
def test_survey_answers_are_classified(score: int, category: str) -> None:
    from handoff.aftersale import category_for

    assert category_for(score) == category


def test_an_unknown_survey_link_is_404(client: Client) -> None:
    assert client.get("/survey/nope/").status_code == 404
