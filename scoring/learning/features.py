"""What a learned model may see of a lead, read the same way for training and scoring.

Candidates are every lead field, company field and imported attribute key, plus behaviour
(a count per event type, days since the latest event). Fields that sales fills after the
handoff — or that are the outcome itself — are refused: a model trained on them learns
the answer, not the signal (``LeakingFeature``).
"""

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypedDict

import numpy as np
from scipy import sparse

LEAD_FIELDS = ("source", "title", "email_domain", "campaign", "email_ok", "phone_ok")
COMPANY_FIELDS = ("industry", "employees", "annual_revenue", "country")
# Written by sales after the handoff, or the outcome itself, or a score derived from
# later behaviour: never features.
REFUSED = frozenset({
    "lead.owner", "lead.team", "lead.stage", "lead.stage_changed_at", "lead.deal_value",
    "lead.closed_at", "lead.fit", "lead.intent", "lead.likelihood", "lead.merged_into",
    "lead.updated_at", "attr.converted", "attr.stage", "attr.owner", "attr.deal_value",
    "attr.closed_at", "attr.lost_reason", "attr.won", "attr.lost",
})  # fmt: skip
PERSONAL_DOMAINS = {"gmail.com", "hotmail.com", "yahoo.com", "outlook.com", "icloud.com"}
# A default choice: a column filled this rarely, or with a distinct value on most leads
# (names, emails, ids), says nothing the model can generalise from.
MIN_FILL = 0.05
MAX_DISTINCT_SHARE = 0.5
MAX_LEVELS = 30
MIN_LEVEL_SHARE = 0.005
MIN_LEVEL_COUNT = 5
BINS = 8
NUMBER_SAMPLE = 2000
MISSING = "(missing)"
OTHER = "(other)"

Raw = dict[str, Any]


class LeakingFeature(ValueError):
    """A chosen feature is filled after the outcome is known."""


class Column(TypedDict):
    feature: str
    kind: str  # "category" or "number"
    levels: list[str]  # categories kept (others pooled in OTHER)
    edges: list[float]  # numbers: inner quantile edges


def refuse_leaks(chosen: Iterable[str]) -> None:
    leaking = sorted(set(chosen) & REFUSED)
    if leaking:
        raise LeakingFeature(
            f"these are filled after the outcome is known and cannot be features: {leaking}"
        )


_DECIMAL_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+,\d+$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(value: Any) -> float | None:
    """A number from whatever a column holds: 12, "12.5", "1.234,5", "1,5", "1,234.5",
    "€ 30k" is not a number (None). Booleans are numbers (0/1)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if _DECIMAL_COMMA.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif _THOUSANDS_COMMA.match(text):
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def raw_features(lead: Mapping[str, Any], behaviour: Mapping[str, float], *, at: datetime) -> Raw:
    """One lead's candidate values. ``lead`` is a values() row with ``company__…`` keys;
    ``behaviour`` its event counts by type and ``last_event_at`` (before ``at``)."""
    raw: Raw = {}
    email = lead.get("email") or ""
    domain = email.rsplit("@", 1)[-1].lower() if "@" in email else ""
    raw["lead.email_domain"] = (
        ("personal" if domain in PERSONAL_DOMAINS else "business") if domain else None
    )
    for name in ("source", "title", "campaign", "email_ok", "phone_ok"):
        raw[f"lead.{name}"] = lead.get(name)
    for name in COMPANY_FIELDS:
        raw[f"company.{name}"] = lead.get(f"company__{name}")
    for key, value in (lead.get("attributes") or {}).items():
        if not isinstance(value, dict | list):
            raw[f"attr.{key}"] = value
    for event_type, count in behaviour.items():
        if event_type != "last_event_at":
            raw[f"events.{event_type}"] = count
    last = behaviour.get("last_event_at")
    raw["events.days_since_last"] = (at - last).total_seconds() / 86400 if last else None
    return raw


def is_number_like(values: Sequence[Any]) -> bool:
    # A sample decides: a column is numbers or it is not.
    filled = [v for v in values if v not in (None, "")][:NUMBER_SAMPLE]
    if not filled:
        return False
    parsed = sum(parse_number(v) is not None for v in filled if not isinstance(v, bool))
    return parsed >= 0.95 * len([v for v in filled if not isinstance(v, bool)] or [0])


def default_choice(rows: Sequence[Raw]) -> list[str]:
    """The features worth learning from: filled often enough, not an identifier, not a
    leak. Behaviour is always in when any lead has some."""
    if not rows:
        return []
    names = sorted({name for row in rows for name in row} - REFUSED)
    chosen = []
    for name in names:
        values = [row.get(name) for row in rows]
        filled = [v for v in values if v not in (None, "")]
        if name.startswith("events."):
            chosen.append(name)
            continue
        if len(filled) < MIN_FILL * len(rows):
            continue
        if not is_number_like(filled):
            distinct = len({str(v).strip().lower() for v in filled})
            if distinct > max(MAX_LEVELS, MAX_DISTINCT_SHARE * len(filled)):
                continue
        if len({str(v) for v in filled}) < 2 and len(filled) == len(values):
            continue  # constant: nothing to learn
        chosen.append(name)
    return chosen


def _category(value: Any) -> str:
    if value in (None, ""):
        return MISSING
    return str(value).strip().lower()


def build_columns(rows: Sequence[Raw], chosen: Sequence[str]) -> list[Column]:
    """How each chosen feature becomes numbers: kept levels or quantile edges, from the
    training rows (stored with the model so scoring encodes exactly the same way)."""
    columns: list[Column] = []
    for name in chosen:
        values = [row.get(name) for row in rows]
        if name.startswith("events.") or is_number_like(values):
            numbers = np.array([n for v in values if (n := _number(name, v)) is not None])
            edges: list[float] = []
            if numbers.size:
                quantiles = np.quantile(numbers, np.linspace(0, 1, BINS + 1)[1:-1])
                edges = sorted({float(q) for q in quantiles})
            columns.append(Column(feature=name, kind="number", levels=[], edges=edges))
        else:
            counts = Counter(_category(v) for v in values)
            floor = max(MIN_LEVEL_COUNT, MIN_LEVEL_SHARE * len(rows))
            levels = [level for level, n in counts.most_common(MAX_LEVELS) if n >= floor]
            columns.append(Column(feature=name, kind="category", levels=levels, edges=[]))
    return columns


def _number(name: str, value: Any) -> float | None:
    if name.startswith("events.") and not name.endswith("days_since_last"):
        return float(value or 0)  # no event of that type: zero, not missing
    return parse_number(value)


def column_names(columns: Sequence[Column]) -> list[tuple[str, str]]:
    """(feature, its encoded column's label) for every matrix column, in order."""
    names: list[tuple[str, str]] = []
    for column in columns:
        feature = column["feature"]
        if column["kind"] == "category":
            names += [(feature, f"{feature}={level}") for level in column["levels"]]
            names.append((feature, f"{feature}={OTHER}"))
        else:
            edges = column["edges"]
            bounds = [-math.inf, *edges, math.inf]
            names += [
                (feature, f"{feature} in [{_fmt(lo)}, {_fmt(hi)})")
                for lo, hi in itertools.pairwise(bounds)
            ]
            names.append((feature, f"{feature} missing"))
    return names


def _fmt(value: float) -> str:
    return "-inf" if value == -math.inf else "inf" if value == math.inf else f"{value:g}"


def encode(rows: Sequence[Raw], columns: Sequence[Column]) -> sparse.csr_matrix:
    """One-hot of kept levels (rare and unseen ones pooled), quantile bins of numbers
    (invariant to any monotone transform, robust to outliers), missing as its own bin.
    Sparse: each row has exactly one 1 per feature, so fits cost per feature, not per bin."""
    widths = [
        len(c["levels"]) + 1 if c["kind"] == "category" else len(c["edges"]) + 2 for c in columns
    ]
    hot = np.zeros((len(rows), len(columns)), dtype=np.int64)
    start = 0
    for f, (column, width) in enumerate(zip(columns, widths, strict=True)):
        feature = column["feature"]
        if column["kind"] == "category":
            index = {level: i for i, level in enumerate(column["levels"])}
            other = len(column["levels"])
            hot[:, f] = [index.get(_category(row.get(feature)), other) for row in rows]
        else:
            edges = np.array(column["edges"], dtype=float)
            values = np.array(
                [
                    np.nan if (n := _number(feature, row.get(feature))) is None else n
                    for row in rows
                ],
                dtype=float,
            )
            bins = np.searchsorted(edges, values, side="right")
            bins[np.isnan(values)] = width - 1
            hot[:, f] = bins
        hot[:, f] += start
        start += width
    count = len(rows) * len(columns)
    return sparse.csr_matrix(
        (np.ones(count, dtype=np.float64), hot.ravel(), np.arange(0, count + 1, len(columns))),
        shape=(len(rows), start),
    )
