"""Rollups of the stage history, so reports over millions of moves sum a few thousand
rows: StageFlow (net leads into and out of each stage per day, UTC) answers stage counts at
a date; MoveCount (moves per day, transition and the lead's campaign) answers conversion by
period and cost per stage; CohortReach and StayHistogram answer conversion by cohort and
time in stage. This module writes them; ``leads.reports.rollup_reads`` reads them and
``leads.reports.rollup_rebuilds`` rebuilds them from the history.

Every row belongs to a slice (``LeadKeys.slices``): the whole, or the leads of one campaign,
source or owner, so a report filtered on one of them sums as few rows as an unfiltered
one. A lead counts in the slices of its values now: when one changes, ``rekeyed`` takes its
history out under the old values and puts it back under the new.

Written in the transaction of every move (a consistency hook on STAGE_CHANGED, and
directly by ``load_leads``); merged-away leads take their history out of it and an undone
merge puts it back, as the unrolled stage counts exclude merged leads. Rows are only ever
appended; ``compact`` folds past days into one row per key.
"""

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from itertools import pairwise
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Max, Sum

from leads import hooks, sql
from leads.models import CohortReach, Lead, MoveCount, StageChange, StageFlow, StayHistogram
from leads.stages import FUNNEL
from plumbing.sql import on_postgresql

FUNNEL_STAGES = [stage.value for stage in FUNNEL]


def day_of(at: datetime) -> date:
    return at.astimezone(UTC).date()


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


# The lead fields the slices follow: changing one re-keys the lead's history (``rekeyed``).
SLICED_FIELDS = frozenset({"campaign", "campaign_id", "source", "owner", "owner_id"})


def campaign_slice(campaign: int) -> str:
    return f"campaign:{campaign}"


def source_slice(source: str) -> str:
    return f"source:{source}"


def owner_slice(owner: int) -> str:
    return f"owner:{owner}"


class LeadKeys(NamedTuple):
    """What the rollups need of a lead: its slice values and its cohort day."""

    campaign: int | None
    source: str
    owner: int | None
    created: datetime | None

    def slices(self, *, by_campaign: bool = True) -> list[str]:
        """The whole, and one slice per value the lead has. MoveCount and CohortReach keep
        the campaign in a column of their own (``by_campaign=False``)."""
        found = [""]
        if by_campaign and self.campaign is not None:
            found.append(campaign_slice(self.campaign))
        if self.source:
            found.append(source_slice(self.source))
        if self.owner is not None:
            found.append(owner_slice(self.owner))
        return found


UNKNOWN_LEAD = LeadKeys(None, "", None, None)


def _keys_of(lead_ids: Collection[int]) -> dict[int, LeadKeys]:
    rows = Lead.objects.filter(pk__in=lead_ids).values_list(
        "pk", "campaign_id", "source", "owner_id", "created_at"
    )
    return {pk: LeadKeys(*keys) for pk, *keys in rows}


# Each rollup's key; a rollup row is its key and a count.
FlowKey = tuple[date, str, str]  # day, stage, slice
MoveKey = tuple[date, str, str, int | None, str]  # day, from, to, campaign, slice
ReachKey = tuple[date, str, int | None, str]  # cohort day, stage, campaign, slice
StayKey = tuple[date, str, int, str]  # day entered, stage, bucket, slice
Move = tuple[datetime, int, str]  # at, pk, to_stage


def record_moves(changes: Iterable[StageChange], *, sign: int = 1) -> None:
    """Add these moves (or, with ``sign=-1``, take them out)."""
    changes = list(changes)
    if not changes:
        return
    leads = _keys_of({c.lead_id for c in changes})
    _write(_rows(changes, leads, _history_outside(changes), sign=sign))


def record_stage_changed(event: hooks.StageChanged) -> None:
    """The core's own consistency hook: every live move counts in the same transaction."""
    record_moves(event.changes)


class Rows(NamedTuple):
    """What some moves add to (or take from) each rollup, by key."""

    flow: dict[FlowKey, int]
    moves: dict[MoveKey, int]
    reach: dict[ReachKey, int]
    stays: dict[StayKey, int]


def _rows(
    changes: list[StageChange],
    leads: dict[int, LeadKeys],
    earlier: dict[int, list[Move]],
    *,
    sign: int,
) -> Rows:
    flow: dict[FlowKey, int] = defaultdict(int)
    moves: dict[MoveKey, int] = defaultdict(int)
    for change in changes:
        day, lead = day_of(change.at), leads.get(change.lead_id, UNKNOWN_LEAD)
        for name in lead.slices():
            flow[(day, change.to_stage, name)] += sign
            if change.from_stage:
                flow[(day, change.from_stage, name)] -= sign
        for name in lead.slices(by_campaign=False):
            moves[(day, change.from_stage, change.to_stage, lead.campaign, name)] += sign
    return Rows(
        flow,
        moves,
        _first_reaches(changes, earlier, leads, sign=sign),
        _stays_ended(changes, earlier, leads, sign=sign),
    )


def _write(*parts: Rows) -> None:
    """Append the sums of ``parts``, key by key, leaving out what cancels."""

    def total(name: str) -> dict[Any, int]:
        summed: dict[Any, int] = defaultdict(int)
        for part in parts:
            for key, n in getattr(part, name).items():
                summed[key] += n
        return {key: n for key, n in summed.items() if n}

    append_flow(total("flow"))
    append_moves(total("moves"))
    append_reach(total("reach"))
    append_stays(total("stays"))


def _history_outside(changes: list[StageChange]) -> dict[int, list[Move]]:
    """The moves these leads made outside this batch (one query for both rollups below)."""
    batch = [c.pk for c in changes if c.pk]
    outside: dict[int, list[Move]] = defaultdict(list)
    for lead_id, at, pk, stage in (
        StageChange.objects.filter(lead_id__in={c.lead_id for c in changes})
        .exclude(pk__in=batch)
        .values_list("lead_id", "at", "pk", "to_stage")
    ):
        outside[lead_id].append((at, pk, stage))
    return outside


BUCKET_BASE = 1.05  # each bucket 5% longer than the one before: percentiles within ~2.5%


def bucket_of(seconds: float) -> int:
    return 0 if seconds < 1 else int(math.log(seconds) / math.log(BUCKET_BASE))


def bucket_seconds(bucket: int) -> float:
    """The middle (geometric) of a bucket."""
    return BUCKET_BASE ** (bucket + 0.5) if bucket else 0.5


def _stays_ended(
    changes: list[StageChange],
    earlier: dict[int, list[Move]],
    leads: dict[int, LeadKeys],
    *,
    sign: int,
) -> dict[StayKey, int]:
    """The stays these moves ended: each move pairs with the lead's move before it (the
    one before the batch's first move comes from ``earlier``)."""
    batch = {c.pk for c in changes if c.pk}
    by_lead: dict[int, list[Move]] = defaultdict(list)
    for change in changes:
        by_lead[change.lead_id].append((change.at, change.pk or 0, change.to_stage))
    for lead_id in by_lead:
        by_lead[lead_id] += earlier.get(lead_id, [])
    stays: dict[StayKey, int] = defaultdict(int)
    for lead_id, moves in by_lead.items():
        slices = leads.get(lead_id, UNKNOWN_LEAD).slices()
        moves.sort()
        for (entered, _pk, stage), (left, pk, _next) in pairwise(moves):
            if pk in batch:
                bucket = bucket_of((left - entered).total_seconds())
                for name in slices:
                    stays[(day_of(entered), stage, bucket, name)] += sign
    return stays


def _first_reaches(
    changes: list[StageChange],
    earlier: dict[int, list[Move]],
    leads: dict[int, LeadKeys],
    *,
    sign: int,
) -> dict[ReachKey, int]:
    """Each (lead, funnel stage) reached in these changes and never outside them."""
    reached = {(c.lead_id, c.to_stage) for c in changes if c.to_stage in FUNNEL_STAGES}
    before = {(lead, stage) for lead, moves in earlier.items() for _at, _pk, stage in moves}
    counts: dict[ReachKey, int] = defaultdict(int)
    for lead_id, stage in reached - before:
        lead = leads.get(lead_id)
        if lead is not None:
            for name in lead.slices(by_campaign=False):
                counts[(day_of(lead.created), stage, lead.campaign, name)] += sign
    return counts


def take_out_history(lead_ids: Sequence[int]) -> None:
    """A lead merged away no longer counts, on any date."""
    record_moves(StageChange.objects.filter(lead_id__in=lead_ids).only(
        "lead_id", "at", "from_stage", "to_stage"), sign=-1)  # fmt: skip


def put_back_history(lead_ids: Sequence[int]) -> None:
    record_moves(StageChange.objects.filter(lead_id__in=lead_ids).only(
        "lead_id", "at", "from_stage", "to_stage"))  # fmt: skip


@contextmanager
def rekeyed(lead_ids: Iterable[int]) -> Iterator[None]:
    """Around a change of the leads' campaign, source or owner: their history leaves the
    old slices and joins the new ones, in the caller's transaction. Only the slices that
    changed get rows (the rest cancels out). Merged-away leads are out of the rollups
    already and stay out."""
    lead_ids = set(lead_ids)
    if not lead_ids:
        yield
        return
    with transaction.atomic():
        live = list(
            Lead.objects.select_for_update()
            .filter(pk__in=lead_ids, merged_into__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        before = _keys_of(live)
        yield
        after = _keys_of(live)
        moved = [pk for pk in live if before.get(pk) != after.get(pk)]
        if moved:
            # The leads' whole history: nothing of theirs lies outside it.
            history = list(
                StageChange.objects.filter(lead_id__in=moved).only(
                    "lead_id", "at", "from_stage", "to_stage"
                )
            )
            _write(_rows(history, before, {}, sign=-1), _rows(history, after, {}, sign=1))


# Each rollup: its day field, the fields a row is kept per, and the field that adds up.
ROLLUPS = [
    (StageFlow, "day", ("day", "stage", "slice"), "delta"),
    (MoveCount, "day", ("day", "from_stage", "to_stage", "campaign_id", "slice"), "n"),
    (CohortReach, "cohort_day", ("cohort_day", "stage", "campaign_id", "slice"), "n"),
    (StayHistogram, "day", ("day", "stage", "bucket", "slice"), "n"),
]


def compact(before: date) -> int:
    """Fold every rollup's days before ``before`` into one row per key; returns the rows
    that were folded. Rows appended meanwhile (loaded history) are newer than the fold and
    stay."""
    folded = 0
    for model, day_field, keys, value in ROLLUPS:
        with transaction.atomic():
            old = model.objects.filter(**{f"{day_field}__lt": before})
            newest = old.aggregate(pk=Max("pk"))["pk"]
            if newest is None:
                continue
            if on_postgresql():
                folded += sql.compact_rollup(model, day_field, keys, value, before, newest)
                continue
            old = old.filter(pk__lte=newest)
            totals = list(old.values(*keys).annotate(total=Sum(value)).order_by())
            rows = old.count()
            if len(totals) == rows:
                continue
            old.delete()
            model.objects.bulk_create(
                model(**{k: row[k] for k in keys}, **{value: row["total"]})
                for row in totals
                if row["total"]
            )
            folded += rows
    return folded


def append_reach(reach: dict[ReachKey, int], counts: Any = CohortReach) -> None:
    if reach:
        counts.objects.bulk_create(
            counts(cohort_day=d, stage=s, campaign_id=c, slice=name, n=n)
            for (d, s, c, name), n in reach.items()
        )


def append_stays(stays: dict[StayKey, int], counts: Any = StayHistogram) -> None:
    if stays:
        counts.objects.bulk_create(
            (
                counts(day=d, stage=s, bucket=b, slice=name, n=n)
                for (d, s, b, name), n in stays.items()
            ),
            batch_size=5000,
        )


def append_moves(moves: dict[MoveKey, int], counts: Any = MoveCount) -> None:
    if not moves:
        return
    # The data migration passes its historical model: the ORM path writes that one.
    if counts is MoveCount and on_postgresql():
        keys = sorted(moves, key=lambda k: (k[0], k[1], k[2], k[3] or 0, k[4]))
        sql.insert_move_counts([(*key, moves[key]) for key in keys])
        return
    counts.objects.bulk_create(
        (
            counts(day=d, from_stage=f, to_stage=t, campaign_id=c, slice=name, n=n)
            for (d, f, t, c, name), n in moves.items()
        ),
        batch_size=5000,
    )


def append_flow(deltas: dict[FlowKey, int], flow: Any = StageFlow) -> None:
    if not deltas:
        return
    if flow is StageFlow and on_postgresql():
        sql.insert_stage_flow([(*key, deltas[key]) for key in sorted(deltas)])
        return
    flow.objects.bulk_create(
        (
            flow(day=day, stage=stage, slice=name, delta=delta)
            for (day, stage, name), delta in deltas.items()
        ),
        batch_size=5000,
    )
