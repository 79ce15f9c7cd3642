"""Rebuilding the stage rollups from the whole history (the data migrations, a repair):
aggregated in SQL, one query per kind of slice; the stays walk the history in order."""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate

from leads.models import CohortReach, MoveCount, StageChange, StageFlow, StayHistogram
from leads.reports.rollups import (
    FUNNEL_STAGES,
    FlowKey,
    LeadKeys,
    StayKey,
    append_flow,
    append_moves,
    append_reach,
    append_stays,
    bucket_of,
    campaign_slice,
    day_of,
    owner_slice,
    source_slice,
)

# Where each slice's value is found from a stage change, for the rebuilds.
SLICE_PATHS = (
    (campaign_slice, "lead__campaign"),
    (source_slice, "lead__source"),
    (owner_slice, "lead__owner"),
)


def _sliced(
    rows: QuerySet[Any], fields: Sequence[str], total: Any, *, by_campaign: bool = True
) -> Iterator[tuple[Any, ...]]:
    """(slice, *fields, total) for the whole and for each slice value: one aggregate in SQL
    per kind of slice."""
    for row in rows.values_list(*fields).annotate(total=total).order_by():
        yield ("", *row)
    for name, path in SLICE_PATHS:
        if name is campaign_slice and not by_campaign:
            continue
        grouped = rows.exclude(**{f"{path}__isnull": True}).values_list(path, *fields)
        for value, *row in grouped.annotate(total=total).order_by():
            if value not in (None, ""):
                yield (name(value), *row)


def rebuild_moves(history: Any = StageChange, counts: Any = MoveCount) -> None:
    """MoveCount from the whole history, aggregated in SQL (the data migration, a repair)."""
    rows = history.objects.filter(lead__merged_into__isnull=True).annotate(
        day=TruncDate("at", tzinfo=UTC)
    )
    fields = ("day", "from_stage", "to_stage", "lead__campaign")
    moves = {
        (d, f, t, c, name): n
        for name, d, f, t, c, n in _sliced(rows, fields, Count("pk"), by_campaign=False)
    }
    with transaction.atomic():
        counts.objects.all().delete()
        append_moves(moves, counts)


def rebuild(history: Any = StageChange, flow: Any = StageFlow) -> None:
    """From the whole history, aggregated in SQL (a repair; the data migration passes its
    historical models)."""
    live = history.objects.filter(lead__merged_into__isnull=True).annotate(
        day=TruncDate("at", tzinfo=UTC)
    )
    deltas: dict[FlowKey, int] = defaultdict(int)
    for name, day, stage, n in _sliced(live, ("day", "to_stage"), Count("pk")):
        deltas[(day, stage, name)] += n
    for name, day, stage, n in _sliced(
        live.exclude(from_stage=""), ("day", "from_stage"), Count("pk")
    ):
        deltas[(day, stage, name)] -= n
    with transaction.atomic():
        flow.objects.all().delete()
        append_flow({key: delta for key, delta in deltas.items() if delta}, flow)


def rebuild_reach(history: Any = StageChange, counts: Any = CohortReach) -> None:
    """CohortReach from the whole history, in SQL (the data migration, a repair)."""
    rows = history.objects.filter(
        lead__merged_into__isnull=True, to_stage__in=FUNNEL_STAGES
    ).annotate(day=TruncDate("lead__created_at", tzinfo=UTC))
    fields = ("day", "to_stage", "lead__campaign")
    reach = {
        (d, s, c, name): n
        for name, d, s, c, n in _sliced(
            rows, fields, Count("lead", distinct=True), by_campaign=False
        )
    }
    with transaction.atomic():
        counts.objects.all().delete()
        append_reach(reach, counts)


def rebuild_stays(history: Any = StageChange, counts: Any = StayHistogram) -> None:
    """StayHistogram from the whole history (a repair; the data migration)."""
    with transaction.atomic():
        counts.objects.all().delete()
        live = history.objects.filter(lead__merged_into__isnull=True).order_by(
            "lead_id", "at", "pk"
        )
        stays: dict[StayKey, int] = defaultdict(int)
        previous: tuple[int, datetime, str] | None = None
        rows = live.values_list(
            "lead_id", "at", "to_stage", "lead__campaign", "lead__source", "lead__owner"
        )
        for lead_id, at, stage, *keys in rows.iterator(chunk_size=20_000):
            if previous and previous[0] == lead_id:
                bucket = bucket_of((at - previous[1]).total_seconds())
                for name in LeadKeys(*keys, None).slices():
                    stays[(day_of(previous[1]), previous[2], bucket, name)] += 1
            previous = (lead_id, at, stage)
        append_stays(stays, counts)
