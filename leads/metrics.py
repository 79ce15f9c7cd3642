"""The core's numbers: stage counts, conversion, velocity and cost per stage.

Definitions (also in README.md):
- Periods are half-open: [start, end). A move at end - 1 µs is in; one at end is not.
- Stage counts at a date: leads whose latest move at or before that date is into the stage.
- Conversion by cohort: of the leads created in the period, how many ever reached each
  funnel stage; the rate from one stage to the next is reached(next) ÷ reached(stage).
- Conversion by period: moves that happened in the period; the rate from a stage to the
  next is moves stage→next ÷ moves into stage.
- Time in stage: for moves into a stage in the period that have been followed by another
  move, the time until that next move: median and 90th percentile, in hours.
- Cost per lead / MQL / SQL / customer: spend in the period (each entry counted for the
  share of its days inside the period; sales cost too when asked) ÷ leads that reached
  that stage in the period. No leads, or no spend: None ("n/a"), never a division error.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Lead as NextValue
from django.utils import timezone

from leads import rollups
from leads.models import Campaign, Lead, SalesCost, SpendEntry, StageChange
from leads.stages import DISPLAY_ORDER, FUNNEL, Stage


@dataclass(frozen=True)
class Filters:
    campaign: int | None = None
    channel: str | None = None
    source: str | None = None
    owner: int | None = None

    def leads(self) -> Q:
        q = Q()
        if self.campaign:
            q &= Q(campaign_id=self.campaign)
        if self.channel:
            q &= Q(campaign__channel=self.channel)
        if self.source:
            q &= Q(source=self.source)
        if self.owner:
            q &= Q(owner_id=self.owner)
        return q

    def campaign_ids(self) -> set[int | None] | None:
        """The campaigns the filters keep, None for all."""
        if not (self.campaign or self.channel):
            return None
        campaigns = Campaign.objects.all()
        if self.campaign:
            campaigns = campaigns.filter(pk=self.campaign)
        if self.channel:
            campaigns = campaigns.filter(channel=self.channel)
        return set(campaigns.values_list("pk", flat=True))

    def flow_slices(self) -> list[str] | None:
        """The slices of the stage-flow and stay rollups that add up to these filters; None
        when they combine a campaign or channel, a source and an owner (read from history)."""
        if sum(bool(v) for v in (self.campaign or self.channel, self.source, self.owner)) > 1:
            return None
        if self.source:
            return [rollups.source_slice(self.source)]
        if self.owner:
            return [rollups.owner_slice(self.owner)]
        campaigns = self.campaign_ids()
        if campaigns is None:
            return [""]
        return [rollups.campaign_slice(c) for c in campaigns if c is not None]

    def move_slice(self) -> str | None:
        """The slice of the move and cohort rollups, which filter campaigns on a column of
        their own; None when a source and an owner are both asked (read from history)."""
        if self.source and self.owner:
            return None
        if self.source:
            return rollups.source_slice(self.source)
        if self.owner:
            return rollups.owner_slice(self.owner)
        return ""

    def moves(self) -> Q:
        """The same filters, through a stage change's lead."""
        return Q(lead__in=Lead.objects.filter(self.leads()).values("pk")) if self.leads() else Q()


NO_FILTERS = Filters()


def ratio(part: float | int | Decimal, whole: float | int | Decimal) -> float | None:
    return round(float(part) / float(whole), 4) if whole else None


def stage_counts(at: datetime, filters: Filters = NO_FILTERS) -> dict[str, int]:
    """Leads in each stage at ``at``: from the daily stage-flow rollup (the filters' slices)
    plus the moves of ``at``'s own day; filters it has no slice for, from the history."""
    slices = filters.flow_slices()
    if slices is None:
        return _stage_counts_from_history(at, filters)
    day = rollups.day_of(at)
    counts: dict[str, int] = defaultdict(int, rollups.counts_before(day, slices))
    same_day = StageChange.objects.filter(
        filters.moves(), at__gte=rollups.start_of_day(day), at__lte=at,
        lead__merged_into__isnull=True,
    )  # fmt: skip
    for source, target, n in (
        same_day.values_list("from_stage", "to_stage").annotate(n=Count("pk")).order_by()
    ):
        counts[target] += n
        if source:
            counts[source] -= n
    return {stage.value: counts.get(stage.value, 0) for stage in DISPLAY_ORDER}


def _stage_counts_from_history(at: datetime, filters: Filters) -> dict[str, int]:
    """Counted from today's stages, corrected for the leads that moved after ``at``: the
    first move each made after ``at`` says where it was then. Recent dates stay fast."""
    leads = Lead.objects.filter(filters.leads(), created_at__lte=at, merged_into__isnull=True)
    counts: dict[str, int] = defaultdict(int)
    for stage, n in leads.values_list("stage").annotate(n=Count("pk")).order_by():
        counts[stage] += n
    then = (
        StageChange.objects.filter(lead=OuterRef("pk"), at__gt=at)
        .order_by("at", "pk")
        .values("from_stage")[:1]
    )
    moved = leads.filter(pk__in=StageChange.objects.filter(at__gt=at).values("lead_id"))
    for now_stage, then_stage, n in (
        moved.annotate(then=Subquery(then))
        .values_list("stage", "then")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[now_stage] -= n
        counts[then_stage] += n
    return {stage.value: counts.get(stage.value, 0) for stage in DISPLAY_ORDER}


def conversion_by_cohort(
    start: datetime, end: datetime, filters: Filters = NO_FILTERS
) -> list[dict[str, Any]]:
    slice = filters.move_slice()
    if slice is not None:
        reached = rollups.cohort_reach(
            start, end, filters.campaign_ids(), slice=slice, among=filters.leads()
        )
    else:
        cohort = Lead.objects.filter(filters.leads(), created_at__gte=start, created_at__lt=end,
                                     merged_into__isnull=True)  # fmt: skip
        reached = dict(
            StageChange.objects.filter(lead__in=cohort.values("pk"), to_stage__in=FUNNEL)
            .values_list("to_stage")
            .annotate(n=Count("lead", distinct=True))
            .order_by()
        )
    return _steps(
        lambda stage: reached.get(stage, 0), lambda source, target: reached.get(target, 0)
    )


def conversion_by_period(
    start: datetime, end: datetime, filters: Filters = NO_FILTERS
) -> list[dict[str, Any]]:
    entered: dict[str, int] = defaultdict(int)
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    slice = filters.move_slice()
    if slice is not None:
        keep = filters.campaign_ids()
        moved = rollups.move_counts(start, end, slice=slice, among=filters.leads())
        for (source, target, campaign), n in moved.items():
            if keep is None or campaign in keep:
                entered[target] += n
                pairs[(source, target)] += n
    else:
        moves = StageChange.objects.filter(
            filters.moves(), at__gte=start, at__lt=end, lead__merged_into__isnull=True
        )
        for source, target, n in (
            moves.values_list("from_stage", "to_stage").annotate(n=Count("pk")).order_by()
        ):
            entered[target] += n
            pairs[(source, target)] += n
    return _steps(lambda stage: entered.get(stage, 0), lambda s, t: pairs.get((s, t), 0))


def _steps(count: Any, moved: Any) -> list[dict[str, Any]]:
    rows = []
    for source, target in pairwise(FUNNEL):
        base, converted = count(source.value), moved(source.value, target.value)
        rows.append(
            {
                "from": source.value,
                "to": target.value,
                "count": base,
                "converted": converted,
                "rate": ratio(converted, base),
            }
        )
    return rows


def time_in_stage(
    start: datetime, end: datetime, filters: Filters = NO_FILTERS
) -> dict[str, dict[str, Any]]:
    slices = filters.flow_slices()
    found = None if slices is None else _time_in_stage_from_rollup(start, end, slices, filters)
    if found is None:
        if connection.vendor == "postgresql":
            found = _time_in_stage_sql(start, end, filters)
        else:
            found = _time_in_stage_python(start, end, filters)
    return {
        stage.value: found.get(stage.value, {"moves": 0, "median_hours": None, "p90_hours": None})
        for stage in DISPLAY_ORDER
    }


# Up to this many stays in a period (of every lead: what the exact query reads, whatever
# the filters), percentiles are exact, from the history; beyond, they come from the stay
# histogram, within its 5% buckets, in a few milliseconds.
EXACT_STAYS = 50_000


def _stays(histogram: dict[str, dict[int, int]]) -> int:
    return sum(n for buckets in histogram.values() for n in buckets.values())


def _time_in_stage_from_rollup(
    start: datetime, end: datetime, slices: list[str], filters: Filters
) -> dict[str, Any] | None:
    first, end_day = rollups.whole_days(start, end)
    histogram = rollups.stay_histogram(first, end_day, slices)
    every_lead = histogram if slices == [""] else rollups.stay_histogram(first, end_day)
    if _stays(every_lead) <= EXACT_STAYS:
        return None
    # Stays that began in the partial days at either end, bucketed the same way.
    for low, high in rollups.partial_days(start, end):
        if low < high:
            for stage, seconds in _stay_seconds(low, high, filters):
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


def _stay_seconds(start: datetime, end: datetime, filters: Filters) -> list[tuple[str, float]]:
    """(stage, seconds) of each stay that began in [start, end) and has ended."""
    entered = StageChange.objects.filter(
        filters.moves(), at__gte=start, at__lt=end, lead__merged_into__isnull=True
    )
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


def _time_in_stage_sql(start: datetime, end: datetime, filters: Filters) -> dict[str, Any]:
    """The window and the percentiles in PostgreSQL (percentile_cont interpolates linearly,
    as ``percentile`` does)."""
    movers = StageChange.objects.filter(filters.moves(), at__gte=start, at__lt=end)
    movers_sql, movers_params = movers.values("lead_id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            # Only moves from ``start`` on: the move after one in the period is never earlier.
            "WITH m AS (SELECT to_stage, at, LEAD(at) OVER (PARTITION BY lead_id ORDER BY at, id)"
            f" AS left_at FROM leads_stagechange WHERE lead_id IN ({movers_sql}) AND at >= %s)"
            " SELECT to_stage, count(*),"
            " percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM left_at - at)),"
            " percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM left_at - at))"
            " FROM m WHERE at < %s AND left_at IS NOT NULL GROUP BY to_stage",
            [*movers_params, start, end],
        )
        return {
            stage: {
                "moves": n,
                "median_hours": round(float(p50) / 3600, 2),
                "p90_hours": round(float(p90) / 3600, 2),
            }
            for stage, n, p50, p90 in cursor.fetchall()
        }


def _time_in_stage_python(start: datetime, end: datetime, filters: Filters) -> dict[str, Any]:
    movers = StageChange.objects.filter(filters.moves(), at__gte=start, at__lt=end).values("lead")
    moves = (
        StageChange.objects.filter(lead__in=movers)
        .annotate(
            left_at=Window(
                NextValue("at"), partition_by=[F("lead_id")], order_by=[F("at"), F("pk")]
            )
        )
        .values("to_stage", "at", "left_at")
    )
    hours: dict[str, list[float]] = defaultdict(list)
    for row in moves:
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


def percentile(ordered: list[float], pct: float) -> float:
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def prorated(entries: QuerySet[Any], start: date, end: date) -> dict[Any, Decimal]:
    """Each entry's amount for the days of [start, end) it covers, summed per key."""
    totals: dict[Any, Decimal] = defaultdict(Decimal)
    for key, amount, first, last in entries:
        days = (last - first).days + 1
        overlap = (min(last, end - timedelta(days=1)) - max(first, start)).days + 1
        if overlap > 0:
            totals[key] += amount * overlap / days
    return totals


COST_STAGES = (Stage.LEAD, Stage.MQL, Stage.SQL, Stage.CUSTOMER)


def cost_per_stage(
    start: datetime,
    end: datetime,
    *,
    by: str = "campaign",
    include_sales: bool = False,
    filters: Filters = NO_FILTERS,
) -> list[dict[str, Any]]:
    """Spend ÷ leads reaching each stage in the period, per campaign or per channel."""
    key = "campaign_id" if by == "campaign" else "campaign__channel"
    first_day, last_day = timezone.localdate(start), timezone.localdate(end)
    spend_rows = SpendEntry.objects.filter(ends_on__gte=first_day, starts_on__lt=last_day)
    if filters.campaign:
        spend_rows = spend_rows.filter(campaign_id=filters.campaign)
    if filters.channel:
        spend_rows = spend_rows.filter(campaign__channel=filters.channel)
    spend = prorated(
        spend_rows.values_list(key, "amount", "starts_on", "ends_on"),
        first_day,
        last_day,
    )
    reached: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    slice = filters.move_slice()
    if slice is not None:
        keep = filters.campaign_ids()
        channels = dict(Campaign.objects.values_list("pk", "channel"))
        moved = rollups.move_counts(start, end, slice=slice, among=filters.leads())
        for (_source, stage, campaign), n in moved.items():
            if stage in COST_STAGES and (keep is None or campaign in keep):
                reached[campaign if by == "campaign" else channels.get(campaign)][stage] += n
    else:
        moves = StageChange.objects.filter(
            filters.moves(), at__gte=start, at__lt=end, to_stage__in=COST_STAGES,
            lead__merged_into__isnull=True,
        )  # fmt: skip
        for group, stage, n in (
            moves.values_list(f"lead__{key}", "to_stage").annotate(n=Count("pk")).order_by()
        ):
            reached[group][stage] += n
    rows = []
    for group in sorted(set(spend) | set(reached), key=lambda g: (g is None, str(g))):
        row: dict[str, Any] = {by: group, "spend": round(spend.get(group, Decimal(0)), 2)}
        for stage in COST_STAGES:
            count = reached[group][stage.value]
            row[f"{stage.value}s"] = count
            row[f"cost_per_{stage.value}"] = _cost(row["spend"], count)
        rows.append(row)
    if include_sales:
        sales = sum(
            prorated(
                SalesCost.objects.filter(
                    ends_on__gte=first_day, starts_on__lt=last_day
                ).values_list("currency", "amount", "starts_on", "ends_on"),
                first_day,
                last_day,
            ).values(),
            Decimal(0),
        )
        total_spend = sum((r["spend"] for r in rows), Decimal(0)) + sales
        total = {by: "all", "spend": round(total_spend, 2), "sales_cost": round(sales, 2)}
        for stage in COST_STAGES:
            count = sum(r[f"{stage.value}s"] for r in rows)
            total[f"{stage.value}s"] = count
            total[f"cost_per_{stage.value}"] = _cost(total["spend"], count)
        rows.append(total)
    return rows


def _cost(spend: Decimal, count: int) -> Decimal | None:
    if not count or not spend:
        return None
    return round(spend / count, 2)
