"""Contact attempts from the lead page and the inbox, counted against the admin's
"unresponsive" rule; the unresponsive move opens once the rule is met."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from handoff.models import ContactAttempt, HandoffSettings
from handoff.qualification import attempts_progress
from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def three_over_a_week(handoff_defaults) -> HandoffSettings:
    HandoffSettings.objects.filter(pk=1).update(attempts_required=3, attempts_span_days=7)
    return HandoffSettings.current()


def attempt(lead, rep, days_ago: float) -> ContactAttempt:
    at = timezone.now() - timedelta(days=days_ago)
    return ContactAttempt.objects.create(
        lead=lead, rep=rep, kind="call", outcome="no_answer", at=at
    )


def test_the_progress_counts_attempts_and_the_days_they_cover(rep, three_over_a_week) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    assert attempts_progress(lead).made == 0
    attempt(lead, rep, days_ago=8)
    attempt(lead, rep, days_ago=1)
    progress = attempts_progress(lead)
    assert (progress.made, progress.required, progress.span_days) == (2, 3, 7)
    assert progress.days_covered == 7
    assert not progress.met

    attempt(lead, rep, days_ago=0)

    assert attempts_progress(lead).met


def test_three_attempts_on_one_day_do_not_meet_a_weeks_rule(rep, three_over_a_week) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    for _ in range(3):
        attempt(lead, rep, days_ago=0)

    progress = attempts_progress(lead)

    assert progress.made == 3
    assert not progress.met


def test_a_rep_logs_an_attempt_on_the_lead_page_and_sees_the_count(
    client: Client, rep, three_over_a_week
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)
    assert "0 of 3 attempts over 7 days" in client.get(f"/leads/{lead.pk}/").content.decode()

    panel = client.post(
        f"/leads/{lead.pk}/attempts/",
        {"kind": "call", "outcome": "voicemail", "note": "Left a message"},
        **HTMX,
    ).content.decode()

    assert "1 of 3 attempts over 7 days" in panel
    assert "Contact attempt logged." in panel
    assert "Call: Voicemail — Left a message" in panel
    saved = ContactAttempt.objects.get(lead=lead)
    assert (saved.kind, saved.outcome, saved.note, saved.rep) == (
        "call",
        "voicemail",
        "Left a message",
        rep,
    )


def test_an_attempt_without_an_outcome_is_refused_and_keeps_the_note(
    client: Client, rep, three_over_a_week
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)

    panel = client.post(
        f"/leads/{lead.pk}/attempts/", {"kind": "email", "outcome": "", "note": "Sent deck"}, **HTMX
    ).content.decode()

    assert "Choose an outcome." in panel
    assert 'value="Sent deck"' in panel
    assert not ContactAttempt.objects.filter(lead=lead).exists()


def test_the_unresponsive_move_appears_once_the_rule_is_met_and_works(
    client: Client, rep, three_over_a_week
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)
    attempt(lead, rep, days_ago=8)
    attempt(lead, rep, days_ago=3)
    assert "Mark unresponsive" not in client.get(f"/leads/{lead.pk}/").content.decode()

    panel = client.post(
        f"/leads/{lead.pk}/attempts/", {"kind": "call", "outcome": "no_answer"}, **HTMX
    ).content.decode()
    assert "3 of 3 attempts over 7 days" in panel
    assert "Mark unresponsive" in panel

    client.post(
        f"/leads/{lead.pk}/move/",
        {"form": "unresponsive", "from": "sal", "to": "disqualified", "reason": "unresponsive"},
    )
    lead.refresh_from_db()
    assert lead.stage == Stage.DISQUALIFIED
    story = client.get(f"/leads/{lead.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Sin respuesta" in story  # the stored reason, read in the reader's language


def test_the_inbox_logs_an_attempt_in_the_sals_card(client: Client, rep, three_over_a_week):
    lead = lead_in(Stage.SAL, owner=rep, first_name="Nora", last_name="Vela")
    client.force_login(rep)
    assert "0 of 3 attempts over 7 days" in client.get("/inbox/").content.decode()

    panel = client.post(
        f"/leads/{lead.pk}/attempts/",
        {"kind": "meeting", "outcome": "connected", "next": "/inbox/"},
        **HTMX,
    ).content.decode()

    assert "1 of 3 attempts over 7 days" in panel
    assert 'name="next" value="/inbox/"' in panel  # the next unresponsive move returns there
    assert ContactAttempt.objects.filter(lead=lead).count() == 1


def test_another_reps_lead_takes_no_attempts(client: Client, rep, other_rep, three_over_a_week):
    lead = lead_in(Stage.SAL, owner=other_rep)
    client.force_login(rep)

    answer = client.post(f"/leads/{lead.pk}/attempts/", {"kind": "call", "outcome": "connected"})

    assert answer.status_code == 404
    assert not ContactAttempt.objects.filter(lead=lead).exists()


def test_a_marketer_may_not_log_attempts(client: Client, rep, marketer, three_over_a_week):
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(marketer)

    answer = client.post(f"/leads/{lead.pk}/attempts/", {"kind": "call", "outcome": "connected"})

    assert answer.status_code == 403
    assert "Log attempt" not in client.get(f"/leads/{lead.pk}/").content.decode()


def test_the_inbox_reads_its_sals_in_a_fixed_number_of_queries(
    client: Client, rep, three_over_a_week, django_assert_max_num_queries
) -> None:
    client.force_login(rep)
    for _ in range(2):
        attempt(lead_in(Stage.SAL, owner=rep), rep, days_ago=1)
    client.get("/inbox/")  # warm the session and the caches
    with django_assert_max_num_queries(40) as few:
        client.get("/inbox/")
    for _ in range(8):
        attempt(lead_in(Stage.SAL, owner=rep), rep, days_ago=1)

    with django_assert_max_num_queries(len(few)):
        page = client.get("/inbox/")

    assert len(page.context["sals"]) == 10
