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

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from leads.models import Campaign, Lead, SalesCost, SpendEntry, StageChange
from leads.reports import rollup_reads, rollups, stays
from leads.stages import DISPLAY_ORDER, FUNNEL, Stage
from plumbing.numbers import ratio


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


def stage_counts(at: datetime, filters: Filters = NO_FILTERS) -> dict[str, int]:
    """Leads in each stage at ``at``: from the daily stage-flow rollup (the filters' slices)
    plus the moves of ``at``'s own day; filters it has no slice for, from the history."""
    slices = filters.flow_slices()
    if slices is None:
        return _stage_counts_from_history(at, filters)
    day = rollups.day_of(at)
    counts: dict[str, int] = defaultdict(int, rollup_reads.counts_before(day, slices))
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
        reached = rollup_reads.cohort_reach(
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
        moved = rollup_reads.move_counts(start, end, slice=slice, among=filters.leads())
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
    found = None if slices is None else stays.from_histogram(start, end, slices, filters.moves())
    if found is None:
        found = stays.exact(start, end, filters.moves())
    return {
        stage.value: found.get(stage.value, {"moves": 0, "median_hours": None, "p90_hours": None})
        for stage in DISPLAY_ORDER
    }


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
        moved = rollup_reads.move_counts(start, end, slice=slice, among=filters.leads())
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
