"""Every SQL statement of the leads app. The helpers they share with other apps (which
database runs, array and JSON binding, columns from ``_meta``) are in plumbing.sql.

An operation with a set-based PostgreSQL path asks ``on_postgresql`` once and takes either
its statement here or its ORM path. Table and column names come from
the models' ``_meta`` and stage names from ``leads.stages.Stage``, so a renamed table or
stage cannot leave a statement behind.

Statements that take one array per column (``unnest(%s::bigint[], …)``) run through
``execute_arrays``: Django's psycopg cursors bind parameters on the client, quoting every
array element into the SQL text; for a 5,000-row batch that costs more than the statement
itself. ``execute_arrays`` runs on the same connection (so inside the caller's
transaction) with server-side binding.

Arrays suit whole numbers. For text, times and JSON, psycopg dumps each array element in
Python (~5 µs each: 8 ms for 500 events' five columns), so those statements take their
rows as one JSON document instead, ``json_to_recordset(%s::json) AS v(col type, …)``,
built by ``json_rows`` in one C-speed ``json.dumps`` (2 ms for the same batch).
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet

from leads.models import MoveCount, StageChange, StageFlow
from plumbing.sql import column, execute, execute_arrays

# --- Time in stage (leads.reports.stays) -----------------------------------------------------


def stay_percentiles(
    movers: QuerySet[StageChange], start: datetime, end: datetime
) -> list[tuple[str, int, float, float]]:
    """(stage, stays, median seconds, p90 seconds) of the stays that began in [start, end)
    and have ended, over the history of the leads ``movers`` (a ``lead_id`` values query)
    selects. percentile_cont interpolates linearly, as ``plumbing.numbers.percentile`` does."""
    movers_sql, movers_params = movers.query.sql_with_params()
    table = StageChange._meta.db_table
    lead, at, stage = (column(StageChange, name) for name in ("lead", "at", "to_stage"))
    pk = StageChange._meta.pk.column
    return execute(
        # Only moves from ``start`` on: the move after one in the period is never earlier.
        f"WITH m AS (SELECT {stage} AS stage, {at} AS at, LEAD({at}) OVER (PARTITION BY {lead}"
        f" ORDER BY {at}, {pk}) AS left_at FROM {table} WHERE {lead} IN ({movers_sql})"
        f" AND {at} >= %s)"
        " SELECT stage, count(*),"
        " percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM left_at - at)),"
        " percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM left_at - at))"
        " FROM m WHERE at < %s AND left_at IS NOT NULL GROUP BY stage",
        [*movers_params, start, end],
    )


# --- Rollups (leads.reports.rollups) -------------------------------------------------------


def compact_rollup(
    model: Any, day_field: str, keys: Sequence[str], value: str, before: date, newest: int
) -> int:
    """One statement: delete the rows of keys that have several, insert their sums;
    returns the rows deleted."""
    table, pk = model._meta.db_table, model._meta.pk.column
    key_columns = [column(model, k) for k in keys]
    day_column, total = column(model, day_field), column(model, value)
    columns = ", ".join(key_columns)
    # Plain equality (hashable, unlike IS NOT DISTINCT FROM): an empty campaign as -1.
    nullable = {f.column for f in model._meta.fields if f.null}
    same_key = " AND ".join(
        f"COALESCE(t.{k}, -1) = COALESCE(d.{k}, -1)" if k in nullable else f"t.{k} = d.{k}"
        for k in key_columns
    )
    where = f"{day_column} < %s AND {pk} <= %s"
    [(deleted,)] = execute(
        f"WITH d AS (SELECT {columns} FROM {table} WHERE {where}"
        f" GROUP BY {columns} HAVING count(*) > 1),"
        f" old AS (DELETE FROM {table} t USING d WHERE t.{where} AND {same_key}"
        f" RETURNING {', '.join(f't.{k}' for k in key_columns)}, t.{total}),"
        f" folded AS (INSERT INTO {table} ({columns}, {total})"
        f" SELECT {columns}, sum({total}) FROM old GROUP BY {columns}"
        f" HAVING sum({total}) <> 0)"
        " SELECT count(*) FROM old",
        [before, newest, before, newest],
    )
    return deleted


def insert_move_counts(rows: Sequence[tuple[date, str, str, int | None, str, int]]) -> None:
    """Append MoveCount rows (day, from, to, campaign, slice, n) in one statement."""
    names = ("day", "from_stage", "to_stage", "campaign_id", "slice", "n")
    execute_arrays(
        f"INSERT INTO {MoveCount._meta.db_table}"
        f" ({', '.join(column(MoveCount, name) for name in names)}) SELECT * FROM"
        " unnest(%s::date[], %s::text[], %s::text[], %s::bigint[], %s::text[], %s::int[])",
        [list(values) for values in zip(*rows, strict=True)],
    )


def insert_stage_flow(rows: Sequence[tuple[date, str, str, int]]) -> None:
    """Append StageFlow rows (day, stage, slice, delta) in one statement."""
    names = ("day", "stage", "slice", "delta")
    execute_arrays(
        f"INSERT INTO {StageFlow._meta.db_table}"
        f" ({', '.join(column(StageFlow, name) for name in names)})"
        " SELECT * FROM unnest(%s::date[], %s::text[], %s::text[], %s::int[])",
        [list(values) for values in zip(*rows, strict=True)],
    )
