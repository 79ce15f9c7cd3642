"""Re-scoring every lead: after a version change, and for decay; the set-based path gives
exactly the engine's scores."""

import random
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.test import APIClient

from leads.models import Lead, StageChange
from leads.stages import Stage
from scoring import engine, rescoring
from scoring.criteria import spec_for
from scoring.engine import EventFact
from scoring.models import Event, FitRule, IntentRule, LeadScore, RescoreJob, ScoringModel
from scoring.preview import scores_for
from scoring.versions import activate, copy_to_draft
from tests.factories import CompanyFactory, LeadFactory

pytestmark = pytest.mark.django_db

TYPES = ["demo_request", "pricing_page_visit", "page_view", "email_click", "unsubscribe",
         "webinar_attended"]  # fmt: skip


def random_leads(count: int, *, seed: int = 11) -> list[Lead]:
    rng = random.Random(seed)
    companies = [
        CompanyFactory(industry=rng.choice(["Software", "Retail", "Financial services", ""]),
                       employees=rng.choice([None, 10, 60, 900, 7000]),
                       country=rng.choice(["ES", "US", "JP", ""]))
        for _ in range(6)
    ]  # fmt: skip
    leads = []
    now = timezone.now()
    for i in range(count):
        lead = LeadFactory(
            email=f"p{i}@{rng.choice(['gmail.com', 'corp.example', 'acme.example'])}",
            company=rng.choice([*companies, None]),
            title=rng.choice(["VP Sales", "Student", "", "Head of Marketing"]),
            attributes=rng.choice([
                {}, {"seniority": "vp", "department": "sales"}, {"seniority": "student"},
                {"seniority": "director", "department": "it", "budget": "50000"},
                {"seniority": "C-Level", "budget": 1200},
            ]),
        )  # fmt: skip
        Event.objects.bulk_create(
            Event(lead=lead, type=rng.choice(TYPES), source="web",
                  occurred_at=now - timedelta(days=rng.uniform(0, 90)),
                  properties={"url": rng.choice(["/pricing", "/blog", "/PRICING/pro"])})
            for _ in range(rng.randint(0, 8))
        )  # fmt: skip
        leads.append(lead)
    return leads


def add_tricky_rules(model: ScoringModel) -> None:
    FitRule.objects.create(model=model, attribute="attributes.budget", operator="gte", value=1000,
                           points=7, label="Budget")  # fmt: skip
    FitRule.objects.create(model=model, attribute="company.industry", operator="is_empty",
                           value=None, points=-3, label="No industry")  # fmt: skip
    FitRule.objects.create(model=model, attribute="title", operator="contains", value="market",
                           points=4, label="Marketing title")  # fmt: skip
    IntentRule.objects.create(model=model, event_type="page_view", property_key="url",
                              property_contains="/pricing", points=6, cap=18,
                              half_life_days=10, label="Pricing pages")  # fmt: skip


@pytest.mark.needs_postgres
def test_set_based_scores_equal_the_engines_on_random_leads(active_model) -> None:
    add_tricky_rules(active_model)
    spec = spec_for(ScoringModel.objects.get(pk=active_model.pk))
    leads = random_leads(60)
    at = timezone.now()

    set_based = scores_for(spec, [lead.pk for lead in leads], at)

    for lead in Lead.objects.filter(pk__in=[lead.pk for lead in leads]).select_related("company"):
        events = [EventFact(e.type, e.occurred_at, e.properties) for e in lead.events.all()]
        expected = engine.score_lead(spec, engine.facts_of(lead), events, at=at)
        got = set_based[lead.pk]
        assert (got.fit, got.intent, got.grade, got.qualifies) == (
            expected.fit, expected.intent, expected.grade, expected.qualifies,
        ), lead.pk  # fmt: skip
        assert got.intent_points == pytest.approx(expected.intent_points)


@pytest.mark.needs_postgres
def test_a_rescore_job_stores_the_engines_scores_on_random_leads(active_model) -> None:
    add_tricky_rules(active_model)
    spec = spec_for(ScoringModel.objects.get(pk=active_model.pk))
    good = CompanyFactory(industry="Software", employees=300, country="ES")
    hot = LeadFactory(company=good, attributes={"seniority": "vp", "department": "sales"})
    Event.objects.bulk_create(
        Event(lead=hot, type="demo_request", source="web", occurred_at=timezone.now())
        for _ in range(2)
    )
    leads = [*random_leads(60), hot]

    job = rescoring.start_job(reason=RescoreJob.Reason.DECAY)
    rescoring.run_job(job.pk)

    for lead in Lead.objects.filter(pk__in=[lead.pk for lead in leads]).select_related("company"):
        stored = LeadScore.objects.get(lead=lead)
        events = [EventFact(e.type, e.occurred_at, e.properties) for e in lead.events.all()]
        expected = engine.score_lead(spec, engine.facts_of(lead), events, at=stored.computed_at)
        assert (lead.fit, lead.intent, stored.fit, stored.intent, stored.grade, stored.hot) == (
            expected.fit, expected.intent, expected.fit, expected.intent, expected.grade,
            expected.hot,
        ), lead.pk  # fmt: skip
        assert stored.fit_points == pytest.approx(expected.fit_points)
        assert stored.intent_points == pytest.approx(expected.intent_points)
        assert stored.model_version == spec.version
        assert (lead.stage == Stage.MQL) == expected.qualifies, lead.pk
    assert Lead.objects.get(pk=hot.pk).stage == Stage.MQL
    assert "Fit" in StageChange.objects.get(lead=hot, to_stage=Stage.MQL).reason


def test_a_rescore_job_leaves_routing_its_promotions_to_a_worker(
    sales_floor, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from handoff import tasks
    from handoff.models import Handoff

    sent: list[dict] = []
    monkeypatch.setattr(tasks.route_new_mqls, "delay", sent.append)
    good = CompanyFactory(industry="Software", employees=300, country="ES")
    hot = LeadFactory(company=good, attributes={"seniority": "vp", "department": "sales"})
    Event.objects.bulk_create(
        Event(lead=hot, type="demo_request", source="web", occurred_at=timezone.now())
        for _ in range(2)
    )

    with django_capture_on_commit_callbacks(execute=True):
        rescoring.run_job(rescoring.start_job(reason=RescoreJob.Reason.DECAY).pk)

    assert Lead.objects.get(pk=hot.pk).stage == Stage.MQL
    assert [list(entered) for entered in sent] == [[hot.pk]]
    assert not Handoff.objects.filter(lead=hot).exists()  # the worker's task routes it
    tasks.route_new_mqls(sent[0])
    assert Handoff.objects.filter(lead=hot).exists()


def test_activating_a_new_version_rescores_every_lead_and_records_the_version(
    active_model, admin_user, django_capture_on_commit_callbacks
) -> None:
    random_leads(25, seed=3)
    draft = copy_to_draft(active_model, actor=admin_user)
    draft.mql_fit, draft.mql_intent = 0, 1  # anyone with a little intent qualifies
    draft.save()
    FitRule.objects.create(model=draft, attribute="email", operator="ends_with",
                           value="@corp.example", points=90, label="Corporate domain")  # fmt: skip

    with django_capture_on_commit_callbacks() as callbacks:
        job = activate(draft, actor=admin_user)
    assert len(callbacks) == 1  # the background task is sent once the activation commits
    rescoring.run_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (RescoreJob.Status.DONE, 25, 25)
    assert set(LeadScore.objects.values_list("model_version", flat=True)) == {draft.version}
    corporate = Lead.objects.filter(email__endswith="@corp.example")
    assert corporate.exists()
    assert all(lead.fit == 100 for lead in corporate)
    promoted = StageChange.objects.filter(to_stage=Stage.MQL, actor=None)
    assert job.promoted == promoted.count() > 0
    assert set(
        Lead.objects.filter(pk__in=promoted.values("lead")).values_list("stage", flat=True)
    ) == {Stage.MQL}
    assert ScoringModel.objects.get(pk=active_model.pk).status == ScoringModel.Status.RETIRED


def test_after_a_job_the_planner_knows_every_score_row_has_the_new_version(
    active_model, admin_user
) -> None:
    # Stale, its statistics would say no row has the version the drains look for.
    random_leads(25, seed=4)
    rescoring.run_job(rescoring.start_job(reason=RescoreJob.Reason.MANUAL).pk)
    draft = copy_to_draft(active_model, actor=admin_user)

    rescoring.run_job(activate(draft, actor=admin_user).pk)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_vals::text::int[] FROM pg_stats"
            " WHERE tablename = 'scoring_leadscore' AND attname = 'model_version'"
        )
        assert cursor.fetchone() == ([draft.version],)


def test_the_decay_run_lowers_intent_as_time_passes(active_model, time_machine) -> None:
    lead = LeadFactory()
    Event.objects.create(lead=lead, type="demo_request", source="web", occurred_at=timezone.now())
    job = rescoring.start_job(reason=RescoreJob.Reason.DECAY)
    rescoring.run_job(job.pk)
    fresh = Lead.objects.get(pk=lead.pk).intent

    time_machine.move_to(timezone.now() + timedelta(days=60))
    rescoring.run_job(rescoring.start_job(reason=RescoreJob.Reason.DECAY).pk)

    assert fresh == 40
    assert Lead.objects.get(pk=lead.pk).intent == 10  # two half-lives of 30 days


def test_only_one_job_runs_at_a_time(active_model) -> None:
    assert rescoring.start_job(reason=RescoreJob.Reason.DECAY) is not None
    assert rescoring.start_job(reason=RescoreJob.Reason.DECAY) is None


def test_progress_is_readable_through_the_api(active_model, marketer) -> None:
    random_leads(5)
    job = rescoring.start_job(reason=RescoreJob.Reason.MANUAL)
    rescoring.run_job(job.pk)
    client = APIClient()
    client.force_authenticate(marketer)

    body = client.get(f"/api/rescore-jobs/{job.pk}/").json()

    assert (body["status"], body["done"], body["total"], body["percent"]) == ("done", 5, 5, 100)


def running_job_in_parts() -> RescoreJob:
    """A job as its first worker leaves it: running, split into parts of BATCH leads."""
    job = rescoring.start_job(reason=RescoreJob.Reason.MANUAL)
    claimed = RescoreJob.objects.filter(pk=job.pk).update(
        status=RescoreJob.Status.RUNNING, total=Lead.objects.count()
    )
    assert claimed
    for first, last in rescoring._id_ranges():
        job.parts.create(first_id=first, last_id=last)
    return job


def test_workers_share_a_job_by_parts_and_a_dead_workers_part_is_taken_over(
    active_model, monkeypatch, time_machine
) -> None:
    random_leads(12)
    monkeypatch.setattr(rescoring, "BATCH", 5)
    monkeypatch.setattr(rescoring, "_ask_for_help", lambda job_id: None)
    # The first worker splits the job, then "dies" after claiming one part.
    job = running_job_in_parts()
    assert job.parts.count() == 3
    dead = rescoring._claim_part(job.pk)

    # A helper takes the other two parts but may not close the job while one is claimed.
    helped = rescoring.work_on(job.pk)
    assert helped.status == RescoreJob.Status.RUNNING
    assert helped.done == Lead.objects.count() - (dead.last_id - dead.first_id + 1)
    assert LeadScore.objects.filter(lead_id__gte=dead.first_id,
                                    lead_id__lte=dead.last_id).count() == 0  # fmt: skip

    # Once the lease runs out, the beat sweep takes the dead worker's part and closes.
    time_machine.move_to(timezone.now() + rescoring.PART_LEASE + timedelta(seconds=1))
    assert rescoring.resume_stalled() == 1
    job.refresh_from_db()
    assert (job.status, job.done, job.percent) == (RescoreJob.Status.DONE, 12, 100)
    assert LeadScore.objects.count() == 12


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_helper_takes_parts_while_another_worker_writes_the_jobs_progress(
    active_model, monkeypatch
) -> None:
    random_leads(6)
    monkeypatch.setattr(rescoring, "BATCH", 3)
    job = running_job_in_parts()
    progress_written = threading.Event()
    claim_tried = threading.Event()

    def other_worker() -> None:
        # Inside a part's transaction: the job's row stays locked until it commits.
        try:
            with transaction.atomic():
                RescoreJob.objects.filter(pk=job.pk).update(done=F("done") + 0)
                progress_written.set()
                claim_tried.wait(timeout=15)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert progress_written.wait(timeout=15)
        part = rescoring._claim_part(job.pk)
    finally:
        claim_tried.set()
        thread.join(timeout=15)

    assert part is not None, "the helper found no part and would quit"
    assert part.job_id == job.pk
