"""Set-based writes of scoring rows on PostgreSQL (scores, history, events, pending rows,
likelihoods), and the outcome rule as an SQL expression. One statement per batch, with the
rows as arrays or one JSON document (see ``leads.sql``: client-side binding of thousands
of values costs more than the statement)."""

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL

from leads.stages import Stage
from plumbing.sql import execute_arrays, json_rows
from scoring.sql import EVENTS, LEADS, PENDING_EVENTS, SCORE_HISTORY, SCORES, lead_column

if TYPE_CHECKING:
    from scoring.store import Scored


def save_scores(
    scored: Sequence["Scored"], changed: Sequence["Scored"], *, version: int, at: datetime
) -> None:
    """Upsert every score row; copy fit / intent / likelihood onto the leads whose scores
    ``changed``, and append a history row for each of them."""
    execute_arrays(
        f"INSERT INTO {SCORES} (lead_id, model_version, fit_points, "
        "intent_points, grade, hot, intent_state, computed_at, fit, intent, likelihood) "
        "SELECT v.lead_id, %s, v.fit_points, v.intent_points, v.grade, v.hot, "
        "v.intent_state, %s, v.fit, v.intent, v.likelihood FROM json_to_recordset(%s::json) "
        "AS v(lead_id bigint, fit_points float8, intent_points float8, grade text, "
        "hot boolean, intent_state jsonb, fit smallint, intent smallint, likelihood smallint) "
        "ON CONFLICT (lead_id) DO UPDATE SET model_version = EXCLUDED.model_version, "
        "fit_points = EXCLUDED.fit_points, intent_points = EXCLUDED.intent_points, "
        "grade = EXCLUDED.grade, hot = EXCLUDED.hot, "
        "intent_state = EXCLUDED.intent_state, computed_at = EXCLUDED.computed_at, "
        "fit = EXCLUDED.fit, intent = EXCLUDED.intent, likelihood = EXCLUDED.likelihood",
        [
            version,
            at,
            json_rows(
                {
                    "lead_id": i.lead_id,
                    "fit_points": i.score.fit_points,
                    "intent_points": i.score.intent_points,
                    "grade": i.score.grade,
                    "hot": i.score.hot,
                    "intent_state": i.state,
                    "fit": i.score.fit,
                    "intent": i.score.intent,
                    "likelihood": i.score.likelihood,
                }
                for i in scored
            ),
        ],
    )
    if not changed:
        return
    fit, intent, likelihood = (lead_column(name) for name in ("fit", "intent", "likelihood"))
    # Arrays, one parameter per column: a 5,000-row VALUES list costs more to build and
    # parse than the update itself.
    execute_arrays(
        f"UPDATE {LEADS} AS l "
        f"SET {fit} = v.fit, {intent} = v.intent, {likelihood} = v.likelihood "
        "FROM unnest(%s::bigint[], %s::smallint[], %s::smallint[], %s::smallint[]) "
        "AS v(id, fit, intent, likelihood) WHERE l.id = v.id",
        [
            [i.lead_id for i in changed],
            [i.score.fit for i in changed],
            [i.score.intent for i in changed],
            [i.score.likelihood for i in changed],
        ],
    )
    execute_arrays(
        f"INSERT INTO {SCORE_HISTORY} "
        "(lead_id, model_version, fit, intent, likelihood, grade, at) "
        "SELECT v.lead_id, %s, v.fit, v.intent, v.likelihood, v.grade, %s "
        "FROM json_to_recordset(%s::json) AS v(lead_id bigint, fit smallint, "
        "intent smallint, likelihood smallint, grade text)",
        [
            version,
            at,
            json_rows(
                {
                    "lead_id": i.lead_id,
                    "fit": i.score.fit,
                    "intent": i.score.intent,
                    "likelihood": i.score.likelihood,
                    "grade": i.score.grade,
                }
                for i in changed
            ),
        ],
    )


def write_likelihoods(ids: list[int], likelihoods: list[int]) -> None:
    """On the leads, and on their score rows (which lists sort by)."""
    for table, key, value in (
        (LEADS, "id", lead_column("likelihood")),
        (SCORES, "lead_id", "likelihood"),
    ):
        execute_arrays(
            f"UPDATE {table} AS t SET {value} = v.likelihood FROM unnest(%s::bigint[],"
            f" %s::smallint[]) AS v(id, likelihood) WHERE t.{key} = v.id",
            [ids, likelihoods],
        )


def mark_pending(event_ids: Sequence[int]) -> None:
    execute_arrays(
        f"INSERT INTO {PENDING_EVENTS} (event_id) SELECT unnest(%s::bigint[])", [list(event_ids)]
    )


def existing_lead_ids(ids: set[int]) -> set[int]:
    # One array parameter: Django would quote 500 ids into the SQL text.
    rows = execute_arrays(f"SELECT id FROM {LEADS} WHERE id = ANY(%s::bigint[])", [sorted(ids)])
    return {pk for (pk,) in rows}


def insert_events_ignoring_repeats(
    rows: Iterable[dict[str, Any]], *, source: str, source_kind: str, now: datetime
) -> dict[str, int]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: tells exactly which ids were new.
    ``rows``: lead_id, type, external_id, occurred_at, properties. Returns external id →
    new event id. Either database: SQLite takes the same statement with a VALUES list."""
    # The conflict target repeats the partial unique index's condition as Django wrote it.
    conflict = " ON CONFLICT (source, external_id) WHERE NOT (external_id = '') DO NOTHING"
    if connection.vendor == "postgresql":
        # One JSON parameter for the rows, not thousands of placeholders.
        return dict(
            execute_arrays(
                f"INSERT INTO {EVENTS} (lead_id, type, source, source_kind, "
                "external_id, occurred_at, received_at, properties) "
                "SELECT v.lead_id, v.type, %s, %s, v.external_id, v.occurred_at, %s, "
                "v.properties FROM json_to_recordset(%s::json) AS v(lead_id bigint, "
                "type text, external_id text, occurred_at timestamptz, properties jsonb)"
                + conflict
                + " RETURNING external_id, id",
                [source, source_kind, now, json_rows(rows)],
            )
        )
    rows = list(rows)
    columns = (
        "lead_id, type, source, source_kind, external_id, occurred_at, received_at, properties"
    )
    placeholders = "(" + ", ".join(["%s"] * 8) + ")"
    occurred = connection.ops.adapt_datetimefield_value
    params: list[Any] = []
    for row in rows:
        params += [
            row["lead_id"],
            row["type"],
            source,
            source_kind,
            row["external_id"],
            occurred(row["occurred_at"]),
            occurred(now),
            json.dumps(row["properties"], default=str),
        ]
    sql = (
        f"INSERT INTO {EVENTS} ({columns}) VALUES "
        + ", ".join([placeholders] * len(rows))
        + conflict
        + " RETURNING external_id, id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def outcome_expression() -> RawSQL:
    """``scoring.outcomes.outcome`` for a lead queryset's rows, in PostgreSQL: 1 converted,
    0 did not, NULL unknown, for reports that count outcomes without loading leads
    (tests/test_metrics_score_bands.py holds both to the same answers)."""
    attributes = f"{LEADS}.{lead_column('attributes')}"
    stage = f"{LEADS}.{lead_column('stage')}"
    return RawSQL(
        f"""
CASE
  WHEN jsonb_typeof({attributes} -> 'converted') = 'boolean'
    THEN ({attributes} ->> 'converted')::boolean::int
  WHEN jsonb_typeof({attributes} -> 'converted') = 'string'
       AND lower({attributes} ->> 'converted') IN ('true', 'yes', '1') THEN 1
  WHEN jsonb_typeof({attributes} -> 'converted') = 'string'
       AND lower({attributes} ->> 'converted') IN ('false', 'no', '0') THEN 0
  WHEN {stage} = %s THEN 1
  WHEN {stage} = %s THEN 0
END
""",
        [Stage.CUSTOMER.value, Stage.DISQUALIFIED.value],
        output_field=IntegerField(),
    )
