"""The rollups answer "stage counts at a date", moves in a period and cohort reach exactly
as the history does — for every lead and for each campaign, channel, source and owner —
through live moves, loaded history, reassignments, edits, merges and their undoing,
compaction and rebuilds."""

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Count

from leads.capture.merges import merge, undo
from leads.lifecycle import StoryStep, load_leads, transition
from leads.models import Lead, StageChange, StayHistogram
from leads.records import assign_owner, update_lead
from leads.reports import rollup_reads, rollup_rebuilds, rollups
from leads.reports.metrics import NO_FILTERS, Filters, _stage_counts_from_history, stage_counts
from leads.stages import Stage
from tests.factories import CampaignFactory, LeadFactory

pytestmark = pytest.mark.django_db

FUNNEL_STAGES = rollups.FUNNEL_STAGES
PATHS = [
    [Stage.LEAD],
    [Stage.LEAD, Stage.MQL],
    [Stage.LEAD, Stage.MQL, Stage.NURTURE],
    [Stage.LEAD, Stage.MQL, Stage.NURTURE, Stage.MQL, Stage.SAL],  # MQL twice: counted once
    [Stage.LEAD, Stage.MQL, Stage.SAL, Stage.SQL],
    [Stage.LEAD, Stage.MQL, Stage.SAL, Stage.SQL, Stage.CUSTOMER],
    [Stage.LEAD, Stage.DISQUALIFIED],
]
START = datetime(2026, 9, 1, tzinfo=UTC)


def every_filter() -> list[Filters]:
    """No filter, and one per campaign, channel, source and owner the leads have."""
    leads = Lead.objects.all()
    found = [NO_FILTERS]
    found += [Filters(campaign=c) for c in leads.values_list("campaign", flat=True) if c]
    found += [Filters(channel=c) for c in leads.values_list("campaign__channel", flat=True) if c]
    found += [Filters(source=s) for s in leads.values_list("source", flat=True) if s]
    found += [Filters(owner=o) for o in leads.values_list("owner", flat=True) if o]
    return list(dict.fromkeys(found))


def answers_agree(dates: list[datetime]) -> None:
    for filters in every_filter():
        # Fewer dates for each slice than for the whole: the suite stays quick.
        for at in dates if filters == NO_FILTERS else dates[::3]:
            answer = stage_counts(at, filters)
            assert answer == _stage_counts_from_history(at, filters), (at, filters)
        slice = filters.move_slice()
        periods = zip(dates, dates[3:], strict=False)  # periods cutting days anywhere
        for start, end in periods if filters == NO_FILTERS else list(periods)[::3]:
            moved = rollup_reads.move_counts(start, end, slice=slice, among=filters.leads())
            keep = filters.campaign_ids()
            moved = {k: n for k, n in moved.items() if keep is None or k[2] in keep}
            assert moved == moves_in_history(start, end, filters), (start, end, filters)
            reach = rollup_reads.cohort_reach(
                start, end, filters.campaign_ids(), slice=slice, among=filters.leads()
            )
            assert reach == reach_in_history(start, end, filters), (start, end, filters)


def reach_in_history(start: datetime, end: datetime, filters: Filters) -> dict[str, int]:
    cohort = Lead.objects.filter(filters.leads(), created_at__gte=start, created_at__lt=end,
                                 merged_into__isnull=True)  # fmt: skip
    rows = (
        StageChange.objects.filter(lead__in=cohort.values("pk"), to_stage__in=FUNNEL_STAGES)
        .values_list("to_stage")
        .annotate(n=Count("lead", distinct=True))
        .order_by()
    )
    return dict(rows)


def moves_in_history(start: datetime, end: datetime, filters: Filters) -> dict:  # type: ignore[type-arg]
    rows = (
        StageChange.objects.filter(
            filters.moves(), at__gte=start, at__lt=end, lead__merged_into__isnull=True
        )
        .values_list("from_stage", "to_stage", "lead__campaign_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(f, t, c): n for f, t, c, n in rows}


def test_rollup_matches_the_history_through_loads_moves_merges_and_compaction(
    marketer, rep, other_rep
) -> None:
    rng = random.Random(5)
    campaigns = [CampaignFactory(channel="paid_search"), CampaignFactory(channel="events")]
    entries = []
    for i in range(60):
        path = rng.choice(PATHS)
        at = START + timedelta(hours=rng.uniform(0, 24 * 40))
        story = []
        for stage in path:
            story.append(StoryStep(stage, at))
            at += timedelta(hours=rng.uniform(0.5, 24 * 5))
        lead = Lead(
            email=f"r{i}@x.example",
            campaign=rng.choice([None, *campaigns]),
            source=rng.choice(["", "webinar", "google_ads"]),
            owner=rng.choice([None, rep, other_rep]),
        )
        entries.append((lead, story))
    load_leads(entries, reason="test")
    live = [LeadFactory() for _ in range(5)]  # created now, through the lifecycle
    transition(live[0], Stage.MQL, actor=None, reason="Scored")
    transition(live[1], Stage.DISQUALIFIED, actor=marketer, reason="Spam")
    dates = [START + timedelta(days=d, hours=rng.uniform(0, 24)) for d in range(0, 60, 3)]
    dates.append(datetime.now(UTC) + timedelta(minutes=1))
    answers_agree(dates)

    leads = list(Lead.objects.order_by("pk"))
    # A new owner, source or campaign moves the lead's whole history to its new slices.
    assign_owner(leads[2].pk, owner=other_rep if leads[2].owner_id == rep.pk else rep)
    assign_owner(leads[3].pk, owner=None)
    update_lead(leads[4], actor=marketer, changes={"source": "referral"})
    update_lead(leads[5], actor=marketer, changes={"campaign": campaigns[1]})
    answers_agree(dates)

    # A merge fills the primary's empty campaign and source from the duplicate's.
    update_lead(leads[0], actor=marketer, changes={"campaign": None, "source": ""})
    update_lead(leads[1], actor=marketer, changes={"campaign": campaigns[0], "source": "event"})
    record = merge(Lead.objects.get(pk=leads[0].pk), leads[1], actor=marketer)
    answers_agree(dates)  # the duplicate stops counting, the primary joins its slices
    undo(record, actor=marketer)
    answers_agree(dates)

    rows_before = [model.objects.count() for model, *_rest in rollups.ROLLUPS]
    stays_before = histogram_totals()
    rollups.compact(before=rollups.day_of(datetime.now(UTC)))
    rows_after = [model.objects.count() for model, *_rest in rollups.ROLLUPS]
    # Each rollup keeps one row per key at most; those appended to many times shrink.
    assert all(after <= before for after, before in zip(rows_after, rows_before, strict=True))
    assert rows_after[0] < rows_before[0]  # StageFlow
    assert rows_after[1] < rows_before[1]  # MoveCount
    assert histogram_totals() == stays_before
    answers_agree(dates)

    written = rollup_totals()
    rollup_rebuilds.rebuild()
    rollup_rebuilds.rebuild_moves()
    rollup_rebuilds.rebuild_reach()
    rollup_rebuilds.rebuild_stays()
    assert rollup_totals() == written  # kept move by move = rebuilt from the history at once
    answers_agree(dates)


def rollup_totals() -> list[dict]:  # type: ignore[type-arg]
    """Each rollup's net value per key, whatever rows it is spread over."""
    found = []
    for model, _day, keys, value in rollups.ROLLUPS:
        totals: dict = defaultdict(int)  # type: ignore[type-arg]
        for *key, n in model.objects.values_list(*keys, value):
            totals[tuple(key)] += n
        found.append({key: n for key, n in totals.items() if n})
    return found


def test_time_in_stage_from_the_histogram_is_within_its_buckets_of_the_exact_answer(
    marketer, rep, monkeypatch
) -> None:
    from leads.reports import metrics, stays

    rng = random.Random(9)
    entries = []
    for i in range(300):
        at = START + timedelta(hours=rng.uniform(0, 24 * 30))
        story = []
        for stage in rng.choice(PATHS[1:]):
            story.append(StoryStep(stage, at))
            at += timedelta(hours=rng.lognormvariate(3, 1))
        lead = Lead(email=f"t{i}@x.example", source=rng.choice(["webinar", "event"]),
                    owner=rep if i % 3 else None)  # fmt: skip
        entries.append((lead, story))
    load_leads(entries, reason="test")
    start, end = START + timedelta(days=2, hours=7), START + timedelta(days=25, hours=3)
    every_way = [NO_FILTERS, Filters(source="webinar"), Filters(owner=rep.pk)]

    # Few stays: exact, from the history; then as at scale, from the histogram.
    exact = [metrics.time_in_stage(start, end, filters) for filters in every_way]
    incremental = histogram_totals()
    monkeypatch.setattr(stays, "EXACT_STAYS", 0)
    approximate = [metrics.time_in_stage(start, end, filters) for filters in every_way]

    for filters, want, got in zip(every_way, exact, approximate, strict=True):
        for stage, row in want.items():
            assert got[stage]["moves"] == row["moves"], (filters, stage)
            for key in ("median_hours", "p90_hours"):
                # Percentiles of a few stays depend on interpolation more than on buckets.
                if row[key] is not None and row["moves"] >= 60:
                    assert got[stage][key] == pytest.approx(row[key], rel=0.06), (filters, key)
    assert exact[0]["mql"]["moves"] > 100
    assert 0 < exact[1]["mql"]["moves"] < exact[0]["mql"]["moves"]
    rollup_rebuilds.rebuild_stays()
    assert histogram_totals() == incremental  # written as moves happen = rebuilt at once


def histogram_totals() -> dict:  # type: ignore[type-arg]
    totals: dict = defaultdict(int)  # type: ignore[type-arg]
    for *key, n in StayHistogram.objects.values_list("day", "stage", "bucket", "slice", "n"):
        totals[tuple(key)] += n
    return {key: n for key, n in totals.items() if n}


def test_deleting_a_campaign_or_a_lead_keeps_the_rollups_right(admin_user, marketer) -> None:
    from rest_framework.test import APIClient

    from leads.records import delete_leads

    campaigns = [CampaignFactory(channel="paid_search"), CampaignFactory(channel="paid_search")]
    entries = []
    for i in range(12):
        at = START + timedelta(days=i)
        story = [StoryStep(stage, at + timedelta(days=n)) for n, stage in enumerate(PATHS[i % 7])]
        entries.append((Lead(email=f"d{i}@x.example", campaign=campaigns[i % 2]), story))
    leads = load_leads(entries, reason="test")
    dates = [START + timedelta(days=d, hours=5) for d in range(0, 24, 2)]

    client = APIClient()
    client.force_authenticate(admin_user)
    assert client.delete(f"/api/campaigns/{campaigns[0].pk}/").status_code == 204
    assert Lead.objects.filter(campaign__isnull=True).count() == 6  # the leads stay
    answers_agree(dates)  # … and left the deleted campaign's slices (the channel's too)
    delete_leads([leads[1].pk, leads[2].pk])
    answers_agree(dates)
