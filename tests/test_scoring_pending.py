"""Big batches are answered at once and scored by the worker within a second: every event
counted exactly once, whichever path scores the lead first."""

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from leads.models import Lead, StageChange
from leads.stages import Stage
from scoring import pending
from scoring.live import rescore_leads
from scoring.models import Event, LeadScore, PendingEvent
from scoring.tasks import drain_pending_scores
from tests.factories import CompanyFactory, LeadFactory
from tests.waiting import wait_until

TYPES = ["page_view", "pricing_page_visit", "email_open", "content_download", "email_click"]


@pytest.fixture
def sender(source_key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {source_key}")
    return client


def big_batch(lead_ids: list[int], *, prefix: str = "b", size: int = pending.INLINE_MAX + 20):
    return [
        {
            "id": f"{prefix}-{i}",
            "type": TYPES[i % len(TYPES)],
            "lead_id": lead_ids[i % len(lead_ids)],
            "properties": {"url": "/pricing" if i % 3 == 0 else "/blog"},
        }
        for i in range(size)
    ]


def intent_points(lead_id: int) -> float:
    return LeadScore.objects.get(lead_id=lead_id).intent_points


def from_scratch(lead_id: int) -> float:
    with transaction.atomic():
        rescore_leads([lead_id], at=timezone.now())
    return intent_points(lead_id)


@pytest.mark.django_db
def test_a_big_batch_is_answered_at_once_and_the_drain_scores_every_event_once(sender) -> None:
    leads = [LeadFactory().pk for _ in range(3)]

    response = sender.post("/api/events/", big_batch(leads), format="json")

    assert response.status_code == 200
    assert {r["status"] for r in response.json()["results"]} == {"created"}
    assert PendingEvent.objects.count() == pending.INLINE_MAX + 20
    assert not LeadScore.objects.filter(lead_id__in=leads).exists()

    assert pending.drain() == pending.INLINE_MAX + 20

    assert PendingEvent.objects.count() == 0
    drained = {pk: intent_points(pk) for pk in leads}
    assert all(points > 0 for points in drained.values())
    assert Lead.objects.get(pk=leads[0]).intent > 0
    # Draining again finds nothing and changes nothing; scoring from scratch agrees.
    assert pending.drain() == 0
    assert {pk: intent_points(pk) for pk in leads} == drained
    for pk in leads:
        assert from_scratch(pk) == pytest.approx(drained[pk], rel=1e-6)


@pytest.mark.django_db
def test_a_small_batch_is_still_scored_before_the_answer(sender) -> None:
    lead = LeadFactory()

    sender.post("/api/events/", big_batch([lead.pk], size=pending.INLINE_MAX), format="json")

    assert PendingEvent.objects.count() == 0
    assert Lead.objects.get(pk=lead.pk).intent > 0


@pytest.mark.django_db
def test_a_lead_rescored_while_its_events_wait_counts_them_once(sender) -> None:
    lead = LeadFactory()
    sender.post("/api/events/", big_batch([lead.pk], prefix="early", size=3), format="json")
    sender.post("/api/events/", big_batch([lead.pk], prefix="late"), format="json")

    # A re-score (lead edited, new version, decay run) builds the state before the drain:
    # it leaves the waiting events to the drain instead of counting them too.
    with transaction.atomic():
        rescore_leads([lead.pk], at=timezone.now())
    before_drain = intent_points(lead.pk)
    pending.drain()

    assert intent_points(lead.pk) > before_drain
    assert intent_points(lead.pk) == pytest.approx(from_scratch(lead.pk), rel=1e-6)


@pytest.mark.django_db
def test_deleting_waiting_events_takes_their_place_in_the_queue_with_them(sender) -> None:
    kept, erased = LeadFactory(), LeadFactory()
    sender.post("/api/events/", big_batch([kept.pk, erased.pk]), format="json")
    waiting_for_kept = Event.objects.filter(lead=kept).count()

    erased.delete()  # an erasure request, say: its events go with it

    assert PendingEvent.objects.count() == waiting_for_kept
    assert pending.drain() == waiting_for_kept
    assert intent_points(kept.pk) > 0


@pytest.mark.django_db
def test_a_waiting_event_deleted_behind_the_orms_back_is_dropped_by_the_drain(sender) -> None:
    lead = LeadFactory()
    sender.post("/api/events/", big_batch([lead.pk]), format="json")
    gone = Event.objects.filter(lead=lead).order_by("pk").first()
    # No foreign key holds a waiting event in place: a raw delete leaves its queue row.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM scoring_event WHERE id = %s", [gone.pk])

    assert pending.drain() == pending.INLINE_MAX + 19
    assert PendingEvent.objects.count() == 0
    assert intent_points(lead.pk) == pytest.approx(from_scratch(lead.pk), rel=1e-6)


def scanned_whole(table: str = "scoring_leadscore") -> int:
    """How many times this transaction read the table from end to end."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_claim_reads_only_its_events_not_every_event_stored(sender) -> None:
    """The events table only grows: a claim that read all of it got slower every day."""
    lead = LeadFactory()
    Event.objects.bulk_create(
        Event(lead=lead, type="page_view", source="old", occurred_at=timezone.now())
        for _ in range(5000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE scoring_event")
        cursor.execute("ANALYZE scoring_pendingevent")
    from_scratch(lead.pk)  # scored: the drain folds the new events into its state
    sender.post("/api/events/", big_batch([lead.pk], size=300), format="json")
    scans_before = scanned_whole("scoring_event")

    assert pending.drain() == 300

    assert scanned_whole("scoring_event") == scans_before


@pytest.mark.django_db
def test_a_drain_reads_only_its_leads_score_rows_even_when_statistics_are_stale(
    sender, active_model
) -> None:
    # Right after a re-score gave every score row the new version, the planner's
    # statistics still say no row has it. A drain must not then scan every score row
    # (once for each, it did: minutes at a million leads).
    leads = Lead.objects.bulk_create(Lead(email=f"lead{i}@stale.example") for i in range(3000))
    LeadScore.objects.bulk_create(
        LeadScore(lead=lead, model_version=active_model.version + 1, grade="D4",
                  intent_state={"ref": timezone.now().timestamp(), "sums": {}, "counts": {}},
                  computed_at=timezone.now())
        for lead in leads
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE scoring_leadscore")
    LeadScore.objects.update(model_version=active_model.version)
    touched = [lead.pk for lead in leads[:600]]
    sender.post("/api/events/", big_batch(touched, size=1000), format="json")
    scans_before = scanned_whole()

    assert pending.drain() == 1000

    assert scanned_whole() == scans_before
    assert all(points > 0 for points in LeadScore.objects.filter(lead_id__in=touched)
               .values_list("intent_points", flat=True))  # fmt: skip


def post_a_qualifying_burst(sender) -> Lead:
    """A big batch of demo requests for a well-fitting lead: the drain makes it MQL."""
    company = CompanyFactory(industry="Software", employees=300, country="ES")
    lead = LeadFactory(company=company, attributes={"seniority": "vp", "department": "sales"})
    batch = [
        {"id": f"demo-{i}", "type": "demo_request", "lead_id": lead.pk}
        for i in range(pending.INLINE_MAX + 1)
    ]
    sender.post("/api/events/", batch, format="json")
    return lead


@pytest.mark.django_db
def test_the_drain_promotes_a_lead_crossing_the_thresholds_exactly_once(sender) -> None:
    lead = post_a_qualifying_burst(sender)

    assert Lead.objects.get(pk=lead.pk).stage == Stage.LEAD
    pending.drain()
    pending.drain()

    assert Lead.objects.get(pk=lead.pk).stage == Stage.MQL
    moves = StageChange.objects.filter(lead=lead, to_stage=Stage.MQL)
    assert moves.count() == 1
    assert "Fit" in moves.get().reason


@pytest.mark.django_db
def test_without_the_broker_the_events_wait_for_beats_drain(
    sender, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    lead = LeadFactory()
    queued: list[str] = []

    def broker_down() -> None:
        queued.append("tried")
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(drain_pending_scores, "delay", broker_down)
    pending.cache.delete(pending.SCHEDULED_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        response = sender.post("/api/events/", big_batch([lead.pk]), format="json")

    assert response.status_code == 200
    assert queued == ["tried"]
    assert Event.objects.filter(lead=lead).count() == pending.INLINE_MAX + 20
    assert PendingEvent.objects.count() == pending.INLINE_MAX + 20
    drain_pending_scores()  # what beat runs every minute
    assert PendingEvent.objects.count() == 0
    assert Lead.objects.get(pk=lead.pk).intent > 0


@pytest.mark.needs_redis
def test_a_real_worker_scores_a_big_batch_within_seconds(celery_worker, source_key) -> None:
    leads = [LeadFactory().pk for _ in range(4)]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {source_key}")
    pending.cache.delete(pending.SCHEDULED_KEY)

    response = client.post("/api/events/", big_batch(leads), format="json")

    assert response.status_code == 200
    wait_until(lambda: not PendingEvent.objects.exists(), timeout=15)
    assert LeadScore.objects.filter(lead_id__in=leads, intent_points__gt=0).count() == 4


@pytest.mark.django_db
def test_a_rescore_job_running_while_events_wait_counts_them_once(sender) -> None:
    from scoring import rescoring
    from scoring.models import RescoreJob

    leads = [LeadFactory().pk for _ in range(3)]
    sender.post("/api/events/", big_batch(leads), format="json")

    job = rescoring.start_job(reason=RescoreJob.Reason.DECAY)
    rescoring.run_job(job.pk)
    pending.drain()

    for pk in leads:
        assert intent_points(pk) == pytest.approx(from_scratch(pk), rel=1e-6)


@pytest.mark.needs_postgres
@pytest.mark.django_db
def test_the_drain_in_sql_gives_the_engines_scores_on_random_leads(active_model) -> None:
    import random
    from datetime import timedelta

    from scoring import engine
    from scoring.criteria import spec_for
    from scoring.engine import EventFact
    from scoring.ingest import ingest
    from scoring.models import ScoringModel
    from tests.test_scoring_rescore import add_tricky_rules, random_leads

    add_tricky_rules(active_model)
    spec = spec_for(ScoringModel.objects.get(pk=active_model.pk))
    good = CompanyFactory(industry="Software", employees=300, country="ES")
    fits = [
        LeadFactory(company=good, attributes={"seniority": "vp", "department": "sales"}).pk
        for _ in range(4)
    ]
    scored_before = [lead.pk for lead in random_leads(40, seed=5)] + fits
    with transaction.atomic():
        rescore_leads(scored_before, at=timezone.now())
    # Leads with no state yet are rebuilt by the engine.
    never_scored = [LeadFactory(attributes={"seniority": "vp"}).pk for _ in range(6)]
    rng = random.Random(7)
    types = ["demo_request", "pricing_page_visit", "page_view", "email_click", "unsubscribe",
             "webinar_attended", "email_bounce"]  # fmt: skip
    now = timezone.now()
    batch = [
        {
            "id": f"r-{i}",
            "type": rng.choice(types),
            "lead_id": rng.choice(scored_before + never_scored),
            "occurred_at": (now - timedelta(days=rng.uniform(0, 60))).isoformat(),
            "properties": {"url": rng.choice(["/pricing", "/blog", "/PRICING/pro"])},
        }
        for i in range(400)
    ] + [{"id": f"demo-{pk}-{i}", "type": "demo_request", "lead_id": pk}
         for pk in fits[:3] for i in range(2)]  # fmt: skip

    ingest(batch, source="website", source_kind="first_party")
    assert pending.drain(claim=150) == 406  # several claims, some leads in more than one

    for lead in Lead.objects.filter(pk__in=scored_before + never_scored).select_related("company"):
        state = LeadScore.objects.get(lead=lead)
        events = [EventFact(e.type, e.occurred_at, e.properties) for e in lead.events.all()]
        expected = engine.score_lead(spec, engine.facts_of(lead), events, at=state.computed_at)
        assert (lead.fit, lead.intent, state.grade, state.hot) == (
            expected.fit, expected.intent, expected.grade, expected.hot
        ), lead.pk  # fmt: skip
        assert state.intent_points == pytest.approx(expected.intent_points, abs=1e-6)
        if expected.qualifies:  # (one that qualified on an earlier claim stays MQL)
            assert lead.stage == Stage.MQL, lead.pk
    promoted = Lead.objects.filter(pk__in=scored_before + never_scored, stage=Stage.MQL)
    assert 0 < promoted.count() < len(scored_before + never_scored)
    moves = StageChange.objects.filter(lead__in=promoted, to_stage=Stage.MQL)
    assert moves.count() == promoted.count()
    assert all("Fit" in move.reason for move in moves)


def drain_a_promotion(sender, monkeypatch, capture) -> tuple[Lead, list[dict]]:
    """A burst makes a lead MQL through the drain, run as the worker runs it (a task);
    returns it and the routing tasks sent."""
    from handoff import tasks
    from scoring.tasks import drain_pending_scores

    sent: list[dict] = []
    monkeypatch.setattr(tasks.route_new_mqls, "delay", sent.append)
    lead = post_a_qualifying_burst(sender)
    with capture(execute=True):
        drain_pending_scores.apply()
    assert Lead.objects.get(pk=lead.pk).stage == Stage.MQL
    return lead, sent


@pytest.mark.django_db
def test_with_one_queue_the_drain_routes_its_new_mqls_itself(
    sender, sales_floor, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """A task would wait behind the drain on the only worker: routing here is quicker."""
    from handoff.models import Handoff

    lead, sent = drain_a_promotion(sender, monkeypatch, django_capture_on_commit_callbacks)

    assert sent == []
    assert Handoff.objects.get(lead=lead).rep is not None


@pytest.mark.django_db
def test_with_an_alerts_worker_the_drain_leaves_routing_to_it(
    sender, sales_floor, monkeypatch, settings, django_capture_on_commit_callbacks
) -> None:
    """Separate queues: the drain goes on scoring while the alerts worker routes."""
    from handoff import tasks
    from handoff.models import Handoff

    settings.CELERY_SEPARATE_QUEUES = True
    lead, sent = drain_a_promotion(sender, monkeypatch, django_capture_on_commit_callbacks)

    assert [list(entered) for entered in sent] == [[lead.pk]]
    assert not Handoff.objects.filter(lead=lead).exists()
    tasks.route_new_mqls(sent[0])
    assert Handoff.objects.get(lead=lead).rep is not None
