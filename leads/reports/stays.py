"""Time in stage, measured: exact from the history while a period holds few stays, from
the stay histogram (``leads.reports.rollups``) beyond.
``leads.reports.metrics.time_in_stage`` defines the number and asks here."""

import statistics
from collections import defaultdict
from datetime import datetime
from itertools import pairwise
from typing import Any

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import Lead as NextValue

from leads import sql
from leads.models import StageChange
from leads.reports import rollup_reads, rollups
from plumbing.numbers import percentile
from plumbing.sql import on_postgresql

# Up to this many stays in a period (of every lead: what the exact query reads, whatever
# the filters), percentiles are exact, from the history; beyond, they come from the stay
# histogram, within its 5% buckets, in a few milliseconds.
EXACT_STAYS = 50_000


def _total(histogram: dict[str, dict[int, int]]) -> int:
    return sum(n for buckets in histogram.values() for n in buckets.values())


def from_histogram(
    start: datetime, end: datetime, slices: list[str], moves: Q
) -> dict[str, Any] | None:
    """From the stay histogram's ``slices`` (the partial days at the ends from the moves
    that ``moves`` selects); None while the period is small enough to be exact."""
    first, end_day = rollup_reads.whole_days(start, end)
    histogram = rollup_reads.stay_histogram(first, end_day, slices)
    every_lead = histogram if slices == [""] else rollup_reads.stay_histogram(first, end_day)
    if _total(every_lead) <= EXACT_STAYS:
        return None
    # Stays that began in the partial days at either end, bucketed the same way.
    for low, high in rollup_reads.partial_days(start, end):
        if low < high:
            for stage, seconds in _stay_seconds(low, high, moves):
                histogram[stage][rollups.bucket_of(seconds)] += 1
    return {
        stage: {
            "moves": sum(buckets.values()),
            "median_hours": round(_bucket_percentile(buckets, 50) / 3600, 2),
            "p90_hours": round(_bucket_percentile(buckets, 90) / 3600, 2),
        }
        for stage, buckets in histogram.items()
        if sum(buckets.values())
    }


def _bucket_percentile(buckets: dict[int, int], pct: float) -> float:
    total = sum(buckets.values())
    rank = pct / 100 * (total - 1)
    seen = 0
    for bucket in sorted(buckets):
        seen += buckets[bucket]
        if seen > rank:
            return rollups.bucket_seconds(bucket)
    return rollups.bucket_seconds(max(buckets))


def _stay_seconds(start: datetime, end: datetime, moves: Q) -> list[tuple[str, float]]:
    """(stage, seconds) of each stay that began in [start, end) and has ended."""
    entered = _entered(start, end, moves)
    rows = StageChange.objects.filter(lead__in=entered.values("lead_id")).order_by(
        "lead_id", "at", "pk"
    )
    stays = []
    for (lead, at, stage), (next_lead, next_at, _s) in pairwise(
        rows.values_list("lead_id", "at", "to_stage")
    ):
        if lead == next_lead and start <= at < end:
            stays.append((stage, (next_at - at).total_seconds()))
    return stays


def exact(start: datetime, end: datetime, moves: Q) -> dict[str, Any]:
    """From the history of the leads that moved in the period (``moves`` selects them)."""
    if on_postgresql():
        return _exact_in_sql(start, end, moves)
    return _exact_in_python(start, end, moves)


def _entered(start: datetime, end: datetime, moves: Q) -> QuerySet[StageChange]:
    return StageChange.objects.filter(
        moves, at__gte=start, at__lt=end, lead__merged_into__isnull=True
    )


def _exact_in_sql(start: datetime, end: datetime, moves: Q) -> dict[str, Any]:
    """The window and the percentiles in PostgreSQL."""
    movers = _entered(start, end, moves).values("lead_id")
    return {
        stage: {
            "moves": n,
            "median_hours": round(float(p50) / 3600, 2),
            "p90_hours": round(float(p90) / 3600, 2),
        }
        for stage, n, p50, p90 in sql.stay_percentiles(movers, start, end)
    }


def _exact_in_python(start: datetime, end: datetime, moves: Q) -> dict[str, Any]:
    """SQLite (the embedded default, small data): the same window, percentiles in Python."""
    movers = _entered(start, end, moves).values("lead")
    history = (
        StageChange.objects.filter(lead__in=movers)
        .annotate(
            left_at=Window(
                NextValue("at"), partition_by=[F("lead_id")], order_by=[F("at"), F("pk")]
            )
        )
        .values("to_stage", "at", "left_at")
    )
    hours: dict[str, list[float]] = defaultdict(list)
    for row in history:
        if start <= row["at"] < end and row["left_at"] is not None:
            hours[row["to_stage"]].append((row["left_at"] - row["at"]).total_seconds() / 3600)
    return {
        stage: {
            "moves": len(values),
            "median_hours": round(statistics.median(values), 2),
            "p90_hours": round(percentile(sorted(values), 90), 2),
        }
        for stage, values in hours.items()
    }
