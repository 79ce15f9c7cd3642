"""The stage-flow rollup: how many leads entered and left each stage per day (UTC), so
that "stage counts at a date" sums a few thousand rows instead of reading 5M moves.

Written in the transaction of every move (a consistency hook on STAGE_CHANGED, and
directly by ``load_leads``); merged-away leads take their history out of it and an undone
merge puts it back, as the unrolled stage counts exclude merged leads. Rows are only ever
appended; ``compact`` folds past days into one row per day and stage.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from leads import array_sql
from leads.models import StageChange, StageFlow


def day_of(at: datetime) -> date:
    return at.astimezone(UTC).date()


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def record_moves(changes: Iterable[StageChange], *, sign: int = 1) -> None:
    """Add these moves (or, with ``sign=-1``, take them out)."""
    deltas: dict[tuple[date, str], int] = defaultdict(int)
    for change in changes:
        day = day_of(change.at)
        deltas[(day, change.to_stage)] += sign
        if change.from_stage:
            deltas[(day, change.from_stage)] -= sign
    _append({key: delta for key, delta in deltas.items() if delta})


def take_out_history(lead_ids: Sequence[int]) -> None:
    """A lead merged away no longer counts, on any date."""
    record_moves(StageChange.objects.filter(lead_id__in=lead_ids).only(
        "at", "from_stage", "to_stage"), sign=-1)  # fmt: skip


def put_back_history(lead_ids: Sequence[int]) -> None:
    record_moves(StageChange.objects.filter(lead_id__in=lead_ids).only(
        "at", "from_stage", "to_stage"))  # fmt: skip


def counts_before(day: date) -> dict[str, int]:
    """Net leads in each stage at the start of ``day`` (UTC)."""
    return dict(
        StageFlow.objects.filter(day__lt=day)
        .values_list("stage")
        .annotate(n=Sum("delta"))
        .order_by()
    )


def compact(before: date) -> int:
    """Fold every day before ``before`` into one row per day and stage; returns rows."""
    with transaction.atomic():
        rows = list(
            StageFlow.objects.select_for_update()
            .filter(day__lt=before)
            .values_list("pk", "day", "stage", "delta")
        )
        sums: dict[tuple[date, str], int] = defaultdict(int)
        for _pk, day, stage, delta in rows:
            sums[(day, stage)] += delta
        if len(sums) == len(rows):
            return len(rows)
        StageFlow.objects.filter(pk__in=[row[0] for row in rows]).delete()
        _append({key: delta for key, delta in sums.items() if delta})
        return len(sums)


def rebuild(history: Any = StageChange, flow: Any = StageFlow) -> None:
    """From the whole history, aggregated in SQL (a repair; the data migration passes its
    historical models)."""
    live = history.objects.filter(lead__merged_into__isnull=True).annotate(
        day=TruncDate("at", tzinfo=UTC)
    )
    deltas: dict[tuple[date, str], int] = defaultdict(int)
    for day, stage, n in live.values_list("day", "to_stage").annotate(n=Count("pk")).order_by():
        deltas[(day, stage)] += n
    for day, stage, n in (
        live.exclude(from_stage="").values_list("day", "from_stage").annotate(n=Count("pk"))
    ).order_by():
        deltas[(day, stage)] -= n
    with transaction.atomic():
        flow.objects.all().delete()
        _append({key: delta for key, delta in deltas.items() if delta}, flow)


def _append(deltas: dict[tuple[date, str], int], flow: Any = StageFlow) -> None:
    if not deltas:
        return
    if connection.vendor == "postgresql":
        keys = sorted(deltas)
        array_sql.execute(
            f"INSERT INTO {StageFlow._meta.db_table} (day, stage, delta) "
            "SELECT * FROM unnest(%s::date[], %s::text[], %s::int[])",
            [[k[0] for k in keys], [k[1] for k in keys], [deltas[k] for k in keys]],
        )
        return
    flow.objects.bulk_create(
        flow(day=day, stage=stage, delta=delta) for (day, stage), delta in deltas.items()
    )
