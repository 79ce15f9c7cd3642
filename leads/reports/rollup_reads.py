"""Reading the stage rollups (``leads.reports.rollups`` keeps them): whole UTC days come from a
slice's rows, the partial days at a period's ends from the history itself."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from leads.models import CohortReach, Lead, MoveCount, StageChange, StageFlow, StayHistogram
from leads.reports.rollups import FUNNEL_STAGES, day_of, start_of_day


def stay_histogram(
    first_day: date, end_day: date, slices: Sequence[str] = ("",)
) -> dict[str, dict[int, int]]:
    """Stage → bucket → stays that began on days in [first_day, end_day), in ``slices``."""
    found: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for stage, bucket, n in (
        StayHistogram.objects.filter(day__gte=first_day, day__lt=end_day, slice__in=slices)
        .values_list("stage", "bucket")
        .annotate(total=Sum("n"))
        .order_by()
    ):
        found[stage][bucket] += n
    return found


def whole_days(start: datetime, end: datetime) -> tuple[date, date]:
    """The UTC days wholly inside [start, end), as [first, end) (empty when none)."""
    first = day_of(start) if start == start_of_day(day_of(start)) else (
        day_of(start) + timedelta(days=1))  # fmt: skip
    return first, max(first, day_of(end))


def partial_days(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The parts of [start, end) outside its whole days: read from the history itself."""
    first, end_day = whole_days(start, end)
    if first >= end_day:
        return [(start, end)]
    return [(start, start_of_day(first)), (start_of_day(end_day), end)]


EVERY_LEAD = Q()


def _moves_among(among: Q, **lookups: Any) -> QuerySet[StageChange]:
    """Moves of the live leads ``among`` selects (a Q over leads), from the history itself."""
    moves = StageChange.objects.filter(lead__merged_into__isnull=True, **lookups)
    return moves.filter(lead__in=Lead.objects.filter(among).values("pk")) if among else moves


def cohort_reach(
    start: datetime,
    end: datetime,
    campaigns: set[int | None] | None,
    *,
    slice: str = "",
    among: Q = EVERY_LEAD,
) -> dict[str, int]:
    """Of the leads created in [start, end): how many ever reached each funnel stage. The
    whole days come from ``slice`` of the rollup, the partial ones from the leads ``among``
    selects (the same leads, as a Q over leads)."""
    first_full, end_full = whole_days(start, end)
    reached: dict[str, int] = defaultdict(int)
    if first_full < end_full:
        rows = CohortReach.objects.filter(
            cohort_day__gte=first_full, cohort_day__lt=end_full, slice=slice
        )
        if campaigns is not None:
            rows = rows.filter(campaign_id__in=[c for c in campaigns if c is not None])
        for stage, n in rows.values_list("stage").annotate(total=Sum("n")).order_by():
            reached[stage] += n
    for low, high in partial_days(start, end):
        if low >= high:
            continue
        cohort = Lead.objects.filter(among, created_at__gte=low, created_at__lt=high,
                                     merged_into__isnull=True)  # fmt: skip
        if campaigns is not None:
            cohort = cohort.filter(campaign_id__in=[c for c in campaigns if c is not None])
        for stage, n in (
            StageChange.objects.filter(lead__in=cohort.values("pk"), to_stage__in=FUNNEL_STAGES)
            .values_list("to_stage")
            .annotate(n=Count("lead", distinct=True))
            .order_by()
        ):
            reached[stage] += n
    return {stage: n for stage, n in reached.items() if n}


def move_counts(
    start: datetime, end: datetime, *, slice: str = "", among: Q = EVERY_LEAD
) -> dict[tuple[str, str, int | None], int]:
    """Moves in [start, end) by (from, to, campaign): whole UTC days from ``slice`` of
    MoveCount, the partial days at either end from the history of the leads ``among``
    selects."""
    first_full, end_full = whole_days(start, end)
    counts: dict[tuple[str, str, int | None], int] = defaultdict(int)
    if first_full < end_full:
        rows = (
            MoveCount.objects.filter(day__gte=first_full, day__lt=end_full, slice=slice)
            .values_list("from_stage", "to_stage", "campaign_id")
            .annotate(total=Sum("n"))
            .order_by()
        )
        for source, target, campaign, n in rows:
            counts[(source, target, campaign)] += n
    for low, high in partial_days(start, end):
        if low >= high:
            continue
        rows = (
            _moves_among(among, at__gte=low, at__lt=high)
            .values_list("from_stage", "to_stage", "lead__campaign_id")
            .annotate(total=Count("pk"))
            .order_by()
        )
        for source, target, campaign, n in rows:
            counts[(source, target, campaign)] += n
    return {key: n for key, n in counts.items() if n}


def counts_before(day: date, slices: Sequence[str] = ("",)) -> dict[str, int]:
    """Net leads in each stage at the start of ``day`` (UTC), in ``slices``."""
    return dict(
        StageFlow.objects.filter(day__lt=day, slice__in=slices)
        .values_list("stage")
        .annotate(n=Sum("delta"))
        .order_by()
    )
