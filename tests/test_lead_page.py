"""The lead page: who, the story newest first, and why the scores are what they are."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from handoff.models import ContactAttempt, Handoff
from leads.stages import Stage
from scoring.live import rescore_leads
from scoring.models import Event
from tests.factories import CompanyFactory, lead_in

pytestmark = pytest.mark.django_db


def test_the_story_and_the_reasons_are_on_the_page(
    client: Client, rep, active_model, handoff_defaults, django_assert_max_num_queries
) -> None:
    lead = lead_in(
        Stage.SAL,
        owner=rep,
        first_name="Marta",
        last_name="Ruiz",
        company=CompanyFactory(name="Acme", industry="Software"),
        attributes={"seniority": "vp"},
    )
    now = timezone.now()
    Event.objects.create(
        lead=lead,
        type="demo_request",
        source="website",
        occurred_at=now - timedelta(hours=3),
        properties={"url": "/demo"},
    )
    rescore_leads([lead.pk], at=now)  # as scoring stores it: the page explains that score
    Handoff.objects.create(lead=lead, rep=rep, status="accepted", answered_at=now)
    ContactAttempt.objects.create(
        lead=lead, rep=rep, kind="call", outcome="voicemail", at=now - timedelta(minutes=5)
    )
    client.force_login(rep)

    with django_assert_max_num_queries(25):
        page = client.get(f"/leads/{lead.pk}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Marta Ruiz" in html
    assert "Demo requests" in html  # the rule that fired
    assert "Decision-maker seniority" in html
    assert html.index("Call: Voicemail") < html.index("Demo request<")  # newest first
    assert "Handed to" in html


def test_a_lead_you_cannot_see_is_404(client: Client, rep, other_rep, active_model) -> None:
    lead = lead_in(Stage.SAL, owner=other_rep)
    client.force_login(rep)

    assert client.get(f"/leads/{lead.pk}/").status_code == 404


def test_a_rep_answers_the_questions_and_makes_the_lead_an_sql_from_the_page(
    client: Client, rep, active_model, handoff_defaults
) -> None:
    from handoff.models import QualifyingQuestion

    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)
    too_early = client.post(f"/leads/{lead.pk}/move/", {"to": "sql", "from": "sal"}, follow=True)
    answers = {}
    for q in QualifyingQuestion.objects.all():
        answers[f"q{q.pk}"] = {
            "yes_no": "yes",
            "number": "12",
            "text": "Slow follow-up",
            "choice": "This month",
        }[q.answer_type]

    client.post(f"/leads/{lead.pk}/answers/", answers)
    moved = client.post(f"/leads/{lead.pk}/move/", {"to": "sql", "from": "sal"}, follow=True)

    assert "Not yet an SQL" in too_early.content.decode()
    assert "Moved to SQL" in moved.content.decode()
    lead.refresh_from_db()
    assert lead.stage == Stage.SQL


def test_a_move_without_a_needed_reason_is_refused_with_the_message(
    client: Client, marketer, active_model
) -> None:
    lead = lead_in(Stage.MQL)
    client.force_login(marketer)

    page = client.post(
        f"/leads/{lead.pk}/move/", {"to": "disqualified", "from": "mql"}, follow=True
    )

    assert "this move needs a reason" in page.content.decode()
    lead.refresh_from_db()
    assert lead.stage == Stage.MQL


def test_notes_are_added_on_the_page_and_through_the_api_and_join_the_story(
    client, rep, sales_floor, active_model
) -> None:
    from rest_framework.test import APIClient

    from leads.stages import Stage
    from tests.factories import lead_in

    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)
    client.post(f"/leads/{lead.pk}/notes/", {"text": "Budget approved in Q1"})
    empty = client.post(f"/leads/{lead.pk}/notes/", {"text": "   "}, follow=True)
    api = APIClient()
    api.force_authenticate(rep)
    created = api.post(f"/api/leads/{lead.pk}/notes/", {"text": "Call back Tuesday"})
    refused = api.post(f"/api/leads/{lead.pk}/notes/", {"text": ""})

    assert "Write something first." in empty.content.decode()
    assert created.status_code == 201
    assert refused.status_code == 400
    assert [n["text"] for n in api.get(f"/api/leads/{lead.pk}/notes/").json()] == [
        "Call back Tuesday", "Budget approved in Q1"]  # fmt: skip
    story = [e.detail for e in client.get(f"/leads/{lead.pk}/").context["timeline"]]
    assert "Budget approved in Q1" in story


def test_a_rep_cannot_add_notes_to_another_reps_lead(client, sales_floor, active_model) -> None:
    from leads.stages import Stage
    from tests.factories import lead_in

    mine, theirs = sales_floor["reps"][:2]
    lead = lead_in(Stage.SAL, owner=theirs)
    client.force_login(mine)
    assert client.post(f"/leads/{lead.pk}/notes/", {"text": "hi"}).status_code == 404
    assert not lead.notes.exists()


def test_the_score_trend_is_drawn_from_the_score_history(client, marketer, active_model) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from scoring.models import ScoreHistory
    from tests.factories import LeadFactory

    lead = LeadFactory()
    start = timezone.now() - timedelta(days=3)
    for day, (fit, intent) in enumerate([(20, 0), (40, 50), (60, 100)]):
        ScoreHistory.objects.create(lead=lead, model_version=1, fit=fit, intent=intent,
                                    grade="B2", at=start + timedelta(days=day))  # fmt: skip
    client.force_login(marketer)

    trend = client.get(f"/leads/{lead.pk}/").context["trend"]

    intents = [float(point.split(",")[1]) for point in trend.intent.split()]
    assert intents[-3:] == [60.0, 30.0, 0.0]  # oldest left; 100 intent at the top (y = 0)
