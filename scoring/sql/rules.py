"""Set-based scoring on PostgreSQL: the engine's rule definitions compiled to SQL.

Each operator here means exactly what ``scoring.engine.matches`` / ``event_matches`` mean
(text compared lower-cased, empty as missing, numbers only when the text is a number);
tests/test_scoring_rescore.py checks that both give the same scores on random leads.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from scoring.engine import FitRuleSpec, IntentRuleSpec, ModelSpec, _text
from scoring.sql import (
    COMPANIES,
    EVENTS,
    LEADS,
    PENDING_EVENTS,
    SCORES,
    company_column,
    lead_column,
)

# PostgreSQL raises "value out of range: underflow" where Python answers 0.0: for 0.5^x
# past ~1,074 half-lives, and for a product of two small numbers that rounds to zero. So
# decay exponents are capped (0.5^600 ≈ 2e-181, no score can tell it from 0), and a stored
# sum below NEGLIGIBLE is taken as 0 before it is decayed again.
MAX_HALF_LIVES = 600
NEGLIGIBLE = "1e-100"

LEAD_COLUMNS = {"email", "first_name", "last_name", "title", "phone", "source", "email_ok",
                "phone_ok"}  # fmt: skip
COMPANY_COLUMNS = {"name", "domain", "industry", "employees", "annual_revenue", "country"}
NUMBER_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"


@dataclass(frozen=True)
class BatchRow:
    lead_id: int
    stage: str
    fit: int | None
    intent: int | None
    likelihood: int | None
    grade: str
    fit_points: float
    sums: dict[str, float]
    counts: dict[str, int]


def _fact(attribute: str) -> tuple[str, list[Any]]:
    if attribute in LEAD_COLUMNS:
        column = f'l."{lead_column(attribute)}"'
    elif attribute.startswith("company.") and attribute[8:] in COMPANY_COLUMNS:
        column = f'c."{company_column(attribute[8:])}"'
    elif attribute.startswith("attributes."):
        return f"NULLIF(l.{lead_column('attributes')} ->> %s, '')", [attribute[11:]]
    else:
        return "NULL::text", []
    return f"NULLIF(CAST({column} AS text), '')", []


def _condition(rule: FitRuleSpec) -> tuple[str, list[Any]]:
    fact, params = _fact(rule.attribute)
    op, value = rule.operator, rule.value
    if op == "is_empty":
        return f"({fact}) IS NULL", params
    if op == "equals":
        return f"LOWER({fact}) = LOWER(%s)", [*params, _text(value) or ""]
    if op == "in":
        values = [_text(v) or "" for v in value or []] or [""]
        marks = ", ".join(["LOWER(%s)"] * len(values))
        return f"LOWER({fact}) IN ({marks})", [*params, *values]
    if op == "contains":
        return f"POSITION(LOWER(%s) IN LOWER({fact})) > 0", [str(value), *params]
    if op == "ends_with":
        return f"RIGHT(LOWER({fact}), LENGTH(%s)) = LOWER(%s)", [*params, str(value), str(value)]
    number = f"(CASE WHEN ({fact}) ~ %s THEN CAST(({fact}) AS numeric) END)"
    number_params = [*params, NUMBER_PATTERN, *params]
    if op == "gte":
        return f"{number} >= %s", [*number_params, float(value)]
    if op == "lte":
        return f"{number} <= %s", [*number_params, float(value)]
    if op == "between":
        return f"{number} BETWEEN %s AND %s", [*number_params, float(value[0]), float(value[1])]
    raise ValueError(f"unknown operator {op!r}")


def fit_points_sql(spec: ModelSpec) -> tuple[str, list[Any]]:
    if not spec.fit_rules:
        return "0", []
    parts, params = [], []
    for rule in spec.fit_rules:
        condition, condition_params = _condition(rule)
        parts.append(f"(CASE WHEN {condition} THEN %s ELSE 0 END)")
        params += [*condition_params, rule.points]
    return " + ".join(parts), params


def _event_filter(rule: IntentRuleSpec) -> tuple[str, list[Any]]:
    if not rule.property_key:
        return "e.type = %s", [rule.event_type]
    return (
        "e.type = %s AND POSITION(LOWER(%s) IN LOWER(NULLIF(e.properties ->> %s, ''))) > 0",
        [rule.event_type, rule.property_contains, rule.property_key],
    )


def intent_sums_sql(spec: ModelSpec, at: datetime) -> tuple[str, list[Any]]:
    columns, params = [], []
    for rule in spec.intent_rules:
        where, where_params = _event_filter(rule)
        if rule.half_life_days:
            weight = (
                "POWER(0.5::float8, LEAST(GREATEST(0, EXTRACT(EPOCH FROM (%s - e.occurred_at))"
                f"::float8) / (86400.0 * %s), {MAX_HALF_LIVES}))"
            )
            weight_params = [at, rule.half_life_days]
        else:
            weight, weight_params = "1.0", []
        columns.append(
            f"SUM(%s * {weight}) FILTER (WHERE {where}) AS s{rule.id}, "
            f"COUNT(*) FILTER (WHERE {where}) AS n{rule.id}"
        )
        params += [float(rule.points), *weight_params, *where_params, *where_params]
    return ", ".join(columns), params


def fetch_batch(spec: ModelSpec, *, first_id: int, last_id: int, at: datetime) -> list[BatchRow]:
    """Fit points and per-rule intent sums for leads with first_id <= id <= last_id, read
    without locking (previews of a draft; re-scoring itself runs in scoring/sql/scores.py)."""
    fit, fit_params = fit_points_sql(spec)
    select = (
        f"SELECT l.id, l.{lead_column('stage')}, l.{lead_column('fit')},"
        f" l.{lead_column('intent')}, l.{lead_column('likelihood')}, COALESCE(s.grade, ''),"
        f" ({fit})::float8"
    )
    params: list[Any] = [*fit_params]
    joins = (
        f" FROM {LEADS} l LEFT JOIN {COMPANIES} c ON c.id = l.{lead_column('company')}"
        f" LEFT JOIN {SCORES} s ON s.lead_id = l.id"
    )
    rules = spec.intent_rules
    if rules:
        intent, intent_params = intent_sums_sql(spec, at)
        select += ", " + ", ".join(f"ev.s{r.id}, ev.n{r.id}" for r in rules)
        types = sorted({r.event_type for r in rules})
        joins += (
            f" LEFT JOIN (SELECT e.lead_id, {intent} FROM {EVENTS} e"
            " WHERE e.lead_id BETWEEN %s AND %s AND e.type = ANY(%s)"
            # Pending events are folded in by the drain that claims them (pending.py).
            f" AND NOT EXISTS (SELECT 1 FROM {PENDING_EVENTS} p WHERE p.event_id = e.id)"
            " GROUP BY e.lead_id) ev ON ev.lead_id = l.id"
        )
        params += [*intent_params, first_id, last_id, types]
    sql = f"{select}{joins} WHERE l.id BETWEEN %s AND %s ORDER BY l.id"
    params += [first_id, last_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    batch = []
    for row in rows:
        sums: dict[str, float] = {}
        counts: dict[str, int] = {}
        for offset, rule in enumerate(rules):
            count = row[8 + 2 * offset]
            if count:
                sums[str(rule.id)] = float(row[7 + 2 * offset])
                counts[str(rule.id)] = int(count)
        batch.append(BatchRow(row[0], row[1], row[2], row[3], row[4], row[5], row[6], sums, counts))
    return batch
