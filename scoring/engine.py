"""The scoring engine: pure functions from a lead's facts and events to fit, intent, grade
and the explanation of every point. No database access here.

Set-based re-scoring (scoring/sql/rules.py) compiles the same rule definitions to SQL;
each operator's meaning below is mirrored there, and a test checks both agree.

Formulas:
- fit points = sum of the points of every fit rule that matches;
- intent points = per intent rule, the sum over its matching events of
  points × 0.5^(age in days / half-life), capped at ± cap; then summed over rules;
- a score = floor(points × 100 / points-for-100 + 0.5), clamped to 0–100.
"""

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, TypedDict

NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class FitRuleSpec:
    id: int
    attribute: str
    operator: str
    value: Any
    points: int
    label: str = ""


@dataclass(frozen=True)
class IntentRuleSpec:
    id: int
    event_type: str
    points: int
    property_key: str = ""
    property_contains: str = ""
    cap: int | None = None
    half_life_days: float | None = None
    label: str = ""


@dataclass(frozen=True)
class ModelSpec:
    version: int
    fit_rules: tuple[FitRuleSpec, ...] = ()
    intent_rules: tuple[IntentRuleSpec, ...] = ()
    fit_points_for_100: int = 100
    intent_points_for_100: int = 100
    mql_fit: int = 60
    mql_intent: int = 40
    use_likelihood: bool = False
    mql_likelihood: int = 50
    hot_intent: int = 70
    fit_cuts: tuple[int, int, int] = (75, 50, 25)
    intent_cuts: tuple[int, int, int] = (75, 50, 25)
    rules_by_type: Mapping[str, tuple[IntentRuleSpec, ...]] = field(
        default_factory=dict, compare=False
    )

    def __post_init__(self) -> None:
        by_type: dict[str, list[IntentRuleSpec]] = {}
        for rule in self.intent_rules:
            by_type.setdefault(rule.event_type, []).append(rule)
        object.__setattr__(self, "rules_by_type", {k: tuple(v) for k, v in by_type.items()})


class EventFact(NamedTuple):
    type: str
    occurred_at: datetime
    properties: Mapping[str, Any]


class Contribution(TypedDict):
    kind: str  # "fit" or "intent"
    rule: int
    label: str
    points: float
    occurrences: int


@dataclass(frozen=True)
class Score:
    fit: int
    intent: int
    likelihood: int | None
    fit_points: float
    intent_points: float
    grade: str
    hot: bool
    qualifies: bool
    contributions: list[Contribution]


# --- Facts -------------------------------------------------------------------------------


LEAD_FACTS = ("email", "first_name", "last_name", "title", "phone", "source", "email_ok",
              "phone_ok")  # fmt: skip
COMPANY_FACTS = ("name", "domain", "industry", "employees", "annual_revenue", "country")


def facts_of(lead: Any) -> dict[str, Any]:
    """The attributes fit rules can name: lead fields, ``company.*``, ``attributes.*``."""
    company = getattr(lead, "company", None)
    row = {name: getattr(lead, name, None) for name in LEAD_FACTS}
    for name in COMPANY_FACTS:
        row[f"company__{name}"] = getattr(company, name, None) if company else None
    row["attributes"] = getattr(lead, "attributes", None)
    return facts_of_row(row)


def facts_of_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """The same facts from a ``values()`` row (``company__name`` …): no model instances on
    the hot paths that score thousands of leads a second."""
    facts: dict[str, Any] = {name: row.get(name) for name in LEAD_FACTS}
    for name in COMPANY_FACTS:
        facts[f"company.{name}"] = row.get(f"company__{name}")
    for key, value in (row.get("attributes") or {}).items():
        facts[f"attributes.{key}"] = value
    return facts


# --- Fit -------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    """A fact as the text rules compare; empty means missing (SQL: NULLIF(x::text, ''))."""
    if value is None:
        return None
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return text or None


def _number(value: Any) -> float | None:
    text = _text(value)
    return float(text) if text is not None and NUMBER.match(text) else None


def matches(operator: str, fact: Any, value: Any) -> bool:
    text = _text(fact)
    if operator == "is_empty":
        return text is None
    if text is None:
        return False
    lowered = text.lower()
    if operator == "equals":
        return lowered == str(_text(value) or "").lower()
    if operator == "in":
        return lowered in {str(_text(v) or "").lower() for v in (value or [])}
    if operator == "contains":
        return str(value).lower() in lowered
    if operator == "ends_with":
        return lowered.endswith(str(value).lower())
    number = _number(fact)
    if number is None:
        return False
    if operator == "gte":
        return number >= float(value)
    if operator == "lte":
        return number <= float(value)
    if operator == "between":
        low, high = value
        return float(low) <= number <= float(high)
    raise ValueError(f"unknown operator {operator!r}")


def fit_points(
    facts: Mapping[str, Any], rules: Iterable[FitRuleSpec]
) -> tuple[float, list[Contribution]]:
    total = 0.0
    fired: list[Contribution] = []
    for rule in rules:
        if matches(rule.operator, facts.get(rule.attribute), rule.value):
            total += rule.points
            fired.append(
                Contribution(
                    kind="fit", rule=rule.id, label=rule.label, points=rule.points, occurrences=1
                )
            )
    return total, fired


# --- Intent ------------------------------------------------------------------------------


def decay(age_seconds: float, half_life_days: float | None) -> float:
    if not half_life_days:
        return 1.0
    return math.pow(0.5, max(0.0, age_seconds) / (SECONDS_PER_DAY * half_life_days))


def event_matches(rule: IntentRuleSpec, event: EventFact) -> bool:
    if event.type != rule.event_type:
        return False
    if not rule.property_key:
        return True
    actual = _text(event.properties.get(rule.property_key))
    if actual is None:
        return False
    return rule.property_contains.lower() in actual.lower()


class IntentState(TypedDict):
    """Per rule, the uncapped decayed sum of its points as of ``ref`` (epoch seconds)."""

    ref: float
    sums: dict[str, float]
    counts: dict[str, int]


def empty_state(at: datetime) -> IntentState:
    return IntentState(ref=at.timestamp(), sums={}, counts={})


def advance(state: IntentState, spec: ModelSpec, at: datetime) -> IntentState:
    """The same state as of ``at``: every sum decayed by the time that passed."""
    elapsed = at.timestamp() - state["ref"]
    sums = {}
    for rule in spec.intent_rules:
        key = str(rule.id)
        if key in state["sums"]:
            sums[key] = state["sums"][key] * decay(elapsed, rule.half_life_days)
    return IntentState(ref=at.timestamp(), sums=sums, counts=dict(state.get("counts", {})))


def add_events(
    state: IntentState, events: Iterable[EventFact], spec: ModelSpec, at: datetime
) -> IntentState:
    """Fold new events into a state (advanced to ``at`` first)."""
    state = advance(state, spec, at)
    for event in events:
        for rule in spec.rules_by_type.get(event.type, ()):
            if event_matches(rule, event):
                key = str(rule.id)
                age = at.timestamp() - event.occurred_at.timestamp()
                state["sums"][key] = state["sums"].get(key, 0.0) + rule.points * decay(
                    age, rule.half_life_days
                )
                state["counts"][key] = state["counts"].get(key, 0) + 1
    return state


def state_from_events(events: Iterable[EventFact], spec: ModelSpec, at: datetime) -> IntentState:
    return add_events(empty_state(at), events, spec, at)


def intent_points(state: IntentState, spec: ModelSpec) -> tuple[float, list[Contribution]]:
    total = 0.0
    fired: list[Contribution] = []
    for rule in spec.intent_rules:
        key = str(rule.id)
        if key not in state["sums"]:
            continue
        points = capped(state["sums"][key], rule.cap)
        total += points
        fired.append(
            Contribution(
                kind="intent",
                rule=rule.id,
                label=rule.label,
                points=round(points, 2),
                occurrences=state.get("counts", {}).get(key, 0),
            )
        )
    return total, fired


def capped(points: float, cap: int | None) -> float:
    if cap is None:
        return points
    return min(points, cap) if points >= 0 else max(points, -cap)


# --- Putting it together -----------------------------------------------------------------


def normalise(points: float, points_for_100: int) -> int:
    scaled = math.floor(points * 100 / max(points_for_100, 1) + 0.5)
    return max(0, min(100, scaled))


def grade(fit: int, intent: int, spec: ModelSpec) -> str:
    letter = "ABCD"[sum(1 for cut in spec.fit_cuts if fit < cut)]
    digit = "1234"[sum(1 for cut in spec.intent_cuts if intent < cut)]
    return f"{letter}{digit}"


def qualifies(fit: int, intent: int, likelihood: int | None, spec: ModelSpec) -> bool:
    if fit < spec.mql_fit or intent < spec.mql_intent:
        return False
    return not spec.use_likelihood or (likelihood is not None and likelihood >= spec.mql_likelihood)


def evaluate(
    spec: ModelSpec,
    *,
    fit_total: float,
    intent_total: float,
    likelihood: int | None = None,
    contributions: Sequence[Contribution] = (),
) -> Score:
    fit = normalise(fit_total, spec.fit_points_for_100)
    intent = normalise(intent_total, spec.intent_points_for_100)
    return Score(
        fit=fit,
        intent=intent,
        likelihood=likelihood,
        fit_points=fit_total,
        intent_points=intent_total,
        grade=grade(fit, intent, spec),
        hot=intent >= spec.hot_intent,
        qualifies=qualifies(fit, intent, likelihood, spec),
        contributions=list(contributions),
    )


def score_lead(
    spec: ModelSpec,
    facts: Mapping[str, Any],
    events: Iterable[EventFact],
    *,
    at: datetime,
    likelihood: int | None = None,
) -> Score:
    """A lead's whole score from scratch, with every rule's contribution."""
    fit_total, fit_fired = fit_points(facts, spec.fit_rules)
    intent_total, intent_fired = intent_points(state_from_events(events, spec, at), spec)
    return evaluate(
        spec,
        fit_total=fit_total,
        intent_total=intent_total,
        likelihood=likelihood,
        contributions=[*fit_fired, *intent_fired],
    )
