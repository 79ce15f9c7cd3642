"""The learned likelihood's statements: each lead's behaviour before its outcome (what the
model may learn from) and the likelihoods written back in one statement per table."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from leads.models import StageChange
from plumbing.sql import execute_arrays, on_postgresql
from scoring.sql import EVENTS, LEADS, SCORES, lead_column

STAGE_CHANGES = StageChange._meta.db_table


def behaviour_before_outcome(
    lead_ids: Sequence[int] | None, outcome_stages: Sequence[str]
) -> list[tuple[int, str, int, datetime]]:
    """(lead id, event type, count, latest time) of the events before each lead first
    reached one of ``outcome_stages`` (all its events if it never did): what sales did
    after the handoff must not teach the model. ``None``: every lead (training)."""
    stage_list = ", ".join(["%s"] * len(outcome_stages))
    where, ids = "", []
    if lead_ids is not None:
        if on_postgresql():
            where, ids = "AND {lead} = ANY(%s)", [list(lead_ids)]
        else:
            where = "AND {lead} IN (" + ", ".join(str(int(pk)) for pk in lead_ids) + ")"
    sql = f"""
        WITH cut AS (
            SELECT lead_id, MIN(at) AS at FROM {STAGE_CHANGES}
            WHERE to_stage IN ({stage_list}) {where.format(lead="lead_id")}
            GROUP BY lead_id
        )
        SELECT e.lead_id, e.type, COUNT(*), MAX(e.occurred_at)
        FROM {EVENTS} e LEFT JOIN cut ON cut.lead_id = e.lead_id
        WHERE (cut.at IS NULL OR e.occurred_at < cut.at) {where.format(lead="e.lead_id")}
        GROUP BY e.lead_id, e.type
    """
    params: list[Any] = [*outcome_stages, *ids, *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if on_postgresql():
        return rows
    # SQLite gives an aggregate of a datetime column back as its text.
    return [(lead, kind, count, _moment(last)) for lead, kind, count, last in rows]


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    moment = parse_datetime(str(value))
    if moment is None:
        raise ValueError(f"not a datetime: {value!r}")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def write_changed_likelihoods(ids: list[int], likelihoods: list[int], *, score_rows: bool) -> None:
    """On the leads (and their score rows, which lists sort by), only where the value
    changes: re-activating a model rewrites a million rows otherwise. PostgreSQL only."""
    targets = [(LEADS, "id", lead_column("likelihood"))]
    if score_rows:
        targets.append((SCORES, "lead_id", "likelihood"))
    for table, key, value in targets:
        execute_arrays(
            f"UPDATE {table} AS t SET {value} = v.likelihood FROM unnest(%s::bigint[],"
            f" %s::smallint[]) AS v(id, likelihood) WHERE t.{key} = v.id"
            f" AND t.{value} IS DISTINCT FROM v.likelihood",
            [ids, likelihoods],
        )
