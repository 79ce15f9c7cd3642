"""Scoring in SQL on PostgreSQL, a few statements per few thousand leads: the drain (claimed
events folded into their leads' intent states) and re-scoring (every lead of an id range
from scratch).

Both compute exactly what the engine does (the drain: ``engine.add_events`` then
``engine.evaluate`` with the stored fit points; re-scoring: ``engine.score_lead``), with
the rule definitions compiled by ``scoring.sql.rules``; tests/test_scoring_pending.py
and tests/test_scoring_rescore.py check they agree with the engine on random leads. The
drain leaves leads without a state under the active version to the engine.
"""

from datetime import datetime
from typing import Any

from django.db import connection

from leads.stages import Stage
from plumbing.sql import on_postgresql
from scoring.engine import ModelSpec
from scoring.sql import (
    COMPANIES,
    EVENTS,
    LEADS,
    PENDING_EVENTS,
    SCORE_HISTORY,
    SCORES,
    lead_column,
)
from scoring.sql.rules import MAX_HALF_LIVES, NEGLIGIBLE, fit_points_sql, intent_sums_sql

CLAIMED = "scoring_drain_events"  # this transaction's scratch table of claimed events
# A state worth folding into (the engine: a non-empty state). Written so that the planner
# estimates it as "most rows": its guess for the jsonb ``?`` operator is 1 row in 1,000,
# which made it scan scoring_leadscore once per claimed lead.
CURRENT_STATE = "(s.intent_state ->> 'ref') IS NOT NULL"
# What a lead shows before it is scored again (to tell what changed), as ``merged`` has it.
LEAD_STATE = (
    f"l.{lead_column('stage')} AS stage, l.{lead_column('fit')} AS old_fit,"
    f" l.{lead_column('intent')} AS old_intent, l.{lead_column('likelihood')} AS likelihood"
)


def set_up_transaction() -> None:
    """Settings for a drain's or a re-score part's transaction (call first in it).

    - Scores are derived data: should a crash lose the commit, it is lost whole (pending
      rows, a part's "finished" mark) and the work is done again; so the commit need not
      wait for its WAL to reach the disk (the events themselves commit durably).
    - No JIT: these statements' cost estimates pass its threshold, and compiling them took
      ~140 ms of a 5,000-lead part's ~500 ms (EXPLAIN ANALYZE at 1M leads) to save nothing.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL jit = off")


def refresh_statistics() -> None:
    """After a job rewrote every score row: the planner's picture of them (versions, score
    spreads for sorted lists) is otherwise stale until autovacuum gets to the table."""
    if on_postgresql():  # SQLite (``make run``) has no planner statistics to refresh
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SCORES}")


def claim(limit: int) -> int:
    """Move up to ``limit`` pending events (skipping those another drain holds) into this
    transaction's scratch table; returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {CLAIMED} (lead_id bigint, type text,"
            " occurred_at timestamptz, properties jsonb) ON COMMIT DELETE ROWS"
        )
        # Empty already after a commit; not after a savepoint (a drain inside a caller's
        # transaction).
        cursor.execute(f"TRUNCATE {CLAIMED}")
        # Both lookups by key, as arrays: joined, the planner hashed the whole events
        # table (and the whole queue) for every claim, a cost that grew with every event
        # stored (100,000 claimed among 1.2M events: 600 ms, now 235 ms whatever the size).
        cursor.execute(
            f"WITH claimed AS (DELETE FROM {PENDING_EVENTS} WHERE event_id = ANY(ARRAY("
            f" SELECT event_id FROM {PENDING_EVENTS} ORDER BY event_id LIMIT %s"
            " FOR UPDATE SKIP LOCKED)) RETURNING event_id)"
            f" INSERT INTO {CLAIMED} SELECT e.lead_id, e.type, e.occurred_at, e.properties"
            f" FROM {EVENTS} e WHERE e.id = ANY(ARRAY(SELECT event_id FROM claimed))",
            [limit],
        )
        claimed = cursor.rowcount
        # Temporary tables get no statistics unless asked: without them the planner
        # guesses 200 leads and picks nested loops that take seconds for thousands.
        cursor.execute(f"ANALYZE {CLAIMED}")
        return claimed


def lock_leads(spec: ModelSpec) -> tuple[list[int], list[int]]:
    """Lock the claimed events' leads in id order; returns (ids whose state is current
    under ``spec``, ids to rebuild)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT l.id, s.model_version = %s AND {CURRENT_STATE}"
            f" FROM {LEADS} l LEFT JOIN {SCORES} s ON s.lead_id = l.id"
            f" WHERE l.id IN (SELECT DISTINCT lead_id FROM {CLAIMED})"
            " ORDER BY l.id FOR NO KEY UPDATE OF l",
            [spec.version],
        )
        rows = cursor.fetchall()
    return [pk for pk, current in rows if current], [pk for pk, current in rows if not current]


def fold(spec: ModelSpec, *, at: datetime) -> list[int]:
    """Fold the scratch table's events into the states of the leads that have a current
    one (as ``lock_leads`` found them) and store their scores; returns the ids of leads
    still in stage "lead" that now qualify."""
    rules = spec.intent_rules
    sums, sums_params = intent_sums_sql(spec, at)
    merged, merged_params = [], []
    for rule in rules:
        old = f'o."{rule.id}"'
        if rule.half_life_days:
            decay = f"POWER(0.5::float8, LEAST(elapsed / (86400.0 * %s), {MAX_HALF_LIVES}))"
            merged_params.append(rule.half_life_days)
        else:
            decay = "1.0::float8"
        # Present when the rule ever fired for the lead (engine: a key in the state).
        merged.append(
            f"CASE WHEN {old} IS NULL AND COALESCE(n.n{rule.id}, 0) = 0 THEN NULL"
            f" ELSE CASE WHEN ABS({old}) < {NEGLIGIBLE} THEN 0 ELSE COALESCE({old} * {decay}, 0)"
            f" END + COALESCE(n.s{rule.id}, 0) END AS m{rule.id}"
        )
    for rule in rules:
        merged.append(
            f'NULLIF(COALESCE(oc."{rule.id}", 0) + COALESCE(n.n{rule.id}, 0), 0) AS c{rule.id}'
        )
    # The stored state read once per lead (not once per rule and use).
    sums_record = ", ".join(f'"{rule.id}" float8' for rule in rules) or '"-" float8'
    counts_record = ", ".join(f'"{rule.id}" int' for rule in rules) or '"-" int'
    new_sums = (
        f"SELECT e.lead_id, {sums} FROM {CLAIMED} e GROUP BY e.lead_id"
        if rules
        else f"SELECT DISTINCT e.lead_id FROM {CLAIMED} e"
    )
    head = f"""
    n AS ({new_sums}),
    merged AS MATERIALIZED (
        SELECT s.lead_id, {LEAD_STATE}, s.grade AS old_grade, s.fit_points
               {"".join(", " + m for m in merged)}
        -- Each claimed lead's score row by its key. (A plain join let the planner start
        -- from scoring_leadscore when its statistics were stale, as right after a
        -- re-score changed every row's version: it then guessed one row matched and
        -- aggregated the claimed events again for each of a million score rows, for
        -- minutes. OFFSET 0 keeps the subquery a lookup per claimed lead.)
        FROM n CROSS JOIN LATERAL (
            SELECT * FROM {SCORES} s WHERE s.lead_id = n.lead_id OFFSET 0
        ) s
        JOIN {LEADS} l ON l.id = n.lead_id
        CROSS JOIN LATERAL jsonb_to_record(s.intent_state -> 'sums') AS o({sums_record})
        CROSS JOIN LATERAL jsonb_to_record(s.intent_state -> 'counts') AS oc({counts_record})
        CROSS JOIN LATERAL (SELECT GREATEST(0::float8,
            %s - (s.intent_state ->> 'ref')::float8) AS elapsed) t
        -- The leads lock_leads found current (their locks keep them so).
        WHERE s.model_version = %s AND {CURRENT_STATE}
    )"""
    params = [*sums_params, *merged_params, at.timestamp(), spec.version]
    return [pk for pk, ready in _score_and_store(spec, at, head, params) if ready]


def rescore_range(
    spec: ModelSpec, *, first_id: int, last_id: int, at: datetime
) -> tuple[int, list[int]]:
    """Score every lead with first_id <= id <= last_id from scratch (their facts and all
    their events not pending), locked in id order; returns (leads scored, ids of leads in
    stage "lead" that now qualify)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {LEADS} WHERE id BETWEEN %s AND %s ORDER BY id FOR NO KEY UPDATE",
            [first_id, last_id],
        )
    rules = spec.intent_rules
    fit, fit_params = fit_points_sql(spec)
    sums, sums_params = intent_sums_sql(spec, at)
    new_sums = f"SELECT e.lead_id, {sums}" if rules else "SELECT DISTINCT e.lead_id"
    merged = [f"CASE WHEN n.n{rule.id} > 0 THEN n.s{rule.id} END AS m{rule.id}" for rule in rules]
    merged += [f"NULLIF(COALESCE(n.n{rule.id}, 0), 0) AS c{rule.id}" for rule in rules]
    head = f"""
    n AS (
        {new_sums} FROM {EVENTS} e
        WHERE e.lead_id BETWEEN %s AND %s AND e.type = ANY(%s)
        -- Pending events are folded in by the drain that claims them (pending.py).
        AND NOT EXISTS (SELECT 1 FROM {PENDING_EVENTS} p WHERE p.event_id = e.id)
        GROUP BY e.lead_id
    ),
    merged AS MATERIALIZED (
        SELECT l.id AS lead_id, {LEAD_STATE}, s.grade AS old_grade,
               ({fit})::float8 AS fit_points
               {"".join(", " + m for m in merged)}
        FROM {LEADS} l LEFT JOIN {COMPANIES} c ON c.id = l.{lead_column("company")}
        LEFT JOIN {SCORES} s ON s.lead_id = l.id
        LEFT JOIN n ON n.lead_id = l.id
        WHERE l.id BETWEEN %s AND %s
    )"""
    types = sorted({rule.event_type for rule in rules})
    params = [*sums_params, first_id, last_id, types, *fit_params, first_id, last_id]
    rows = _score_and_store(spec, at, head, params)
    return len(rows), [pk for pk, ready in rows if ready]


def _score_and_store(
    spec: ModelSpec, at: datetime, head: str, head_params: list[Any]
) -> list[tuple[int, bool]]:
    """From ``head``'s ``merged`` rows (lead_id, stage, old_fit, old_intent, likelihood,
    old_grade, fit_points, and per intent rule m<id> = its decayed sum, c<id> = its count,
    NULL when it never fired): the engine's evaluate, in SQL. Stores the scores and state,
    copies the whole numbers that changed onto the leads with a history row. Returns
    (lead id, whether it is in stage "lead" and now qualifies) per lead."""
    rules = spec.intent_rules
    capped = [_capped(f"m{rule.id}", rule.cap) for rule in rules] or ["0"]
    intent_sum = " + ".join(f"COALESCE({c}, 0)" for c in capped)
    fit_score = _normalised("fit_points", spec.fit_points_for_100)
    intent_score = _normalised("intent_points", spec.intent_points_for_100)
    state = (
        """('{"ref":' || %s::float8 || ',"sums":' || """
        + _json_object({rule.id: f"m{rule.id}" for rule in rules})
        + """ || ',"counts":' || """
        + _json_object({rule.id: f"c{rule.id}" for rule in rules})
        + " || '}')::jsonb"
    )
    # MATERIALIZED: inlined, each rule's expression would be evaluated again wherever
    # the columns built on it are used (dozens of times per lead).
    sql = f"""
    WITH {head},
    totals AS MATERIALIZED (
        SELECT merged.*, ({intent_sum}) AS intent_points, {state} AS state FROM merged
    ),
    scores AS (
        SELECT totals.*, {fit_score} AS fit, {intent_score} AS intent FROM totals
    ),
    scored AS (
        SELECT scores.*, {_grade(spec)} AS grade, intent >= %s AS hot,
               fit >= %s AND intent >= %s {_likelihood_rule(spec)} AS qualifies
        FROM scores
    ),
    saved AS (
        INSERT INTO {SCORES} AS s (lead_id, model_version, fit_points, intent_points,
               grade, hot, intent_state, computed_at, fit, intent, likelihood)
        SELECT lead_id, %s, fit_points, intent_points, grade, hot, state, %s, fit, intent,
               likelihood FROM scored
        ON CONFLICT (lead_id) DO UPDATE SET model_version = EXCLUDED.model_version,
               fit_points = EXCLUDED.fit_points, intent_points = EXCLUDED.intent_points,
               grade = EXCLUDED.grade, hot = EXCLUDED.hot,
               intent_state = EXCLUDED.intent_state, computed_at = EXCLUDED.computed_at,
               fit = EXCLUDED.fit, intent = EXCLUDED.intent, likelihood = EXCLUDED.likelihood
    ),
    changed AS (
        SELECT * FROM scored
        WHERE (fit, intent, grade) IS DISTINCT FROM (old_fit, old_intent, old_grade)
    ),
    copied AS (
        UPDATE {LEADS} l SET {lead_column("fit")} = changed.fit,
               {lead_column("intent")} = changed.intent
        FROM changed WHERE l.id = changed.lead_id
    ),
    history AS (
        INSERT INTO {SCORE_HISTORY}
               (lead_id, model_version, fit, intent, likelihood, grade, at)
        SELECT lead_id, %s, fit, intent, likelihood, grade, %s FROM changed
    )
    SELECT lead_id, qualifies AND stage = %s FROM scored ORDER BY lead_id
    """
    params: list[Any] = [
        *head_params,
        at.timestamp(),
        spec.hot_intent,
        spec.mql_fit,
        spec.mql_intent,
        spec.version,
        at,
        spec.version,
        at,
        Stage.LEAD.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _json_object(columns: dict[int, str]) -> str:
    """SQL for the JSON text of an object: rule id → the column's number, NULLs left out.

    Written as text and parsed once: ``jsonb_build_object`` converted every float to
    numeric on its own and took 40% longer (43,000 states alone: 490 → 290 ms; in a
    drain's plan 456 → 254 ms), for the same stored value. The sums are finite numbers,
    whose text PostgreSQL writes as JSON numbers."""
    if not columns:
        return "'{}'"
    members = ", ".join(f"""'"{key}":' || {column}""" for key, column in columns.items())
    return f"('{{' || concat_ws(',', {members}) || '}}')"


def _capped(column: str, cap: int | None) -> str:
    if cap is None:
        return column
    # (LEAST / GREATEST skip NULLs: an absent rule must stay NULL, not become ± cap.)
    return (
        f"(CASE WHEN {column} IS NULL THEN NULL WHEN {column} >= 0"
        f" THEN LEAST({column}, {float(cap)!r})"
        f" ELSE GREATEST({column}, {-float(cap)!r}) END)"
    )


def _normalised(points: str, points_for_100: int) -> str:
    # As the engine: multiply by 100, then divide, then round half up and clamp.
    return (
        f"GREATEST(0, LEAST(100, FLOOR(({points}) * 100 / {float(max(points_for_100, 1))!r}"
        " + 0.5)))::int"
    )


def _grade(spec: ModelSpec) -> str:
    letter = " + ".join(f"(fit < {int(cut)})::int" for cut in spec.fit_cuts)
    digit = " + ".join(f"(intent < {int(cut)})::int" for cut in spec.intent_cuts)
    return f"SUBSTR('ABCD', 1 + {letter}, 1) || SUBSTR('1234', 1 + {digit}, 1)"


def _likelihood_rule(spec: ModelSpec) -> str:
    if not spec.use_likelihood:
        return ""
    return f"AND likelihood IS NOT NULL AND likelihood >= {int(spec.mql_likelihood)}"
