"""Scoring numbers: attribution of SQLs, customers and deal value to campaigns, and how
well scores predicted outcomes.

Definitions (also in README.md):
- A touch is the lead's own campaign at its creation, and every behaviour event whose
  properties carry a campaign's UTM code (utm_campaign).
- Attribution of moves into a stage in [start, end), over the lead's touches before that
  move: first touch (all credit to the earliest), last touch (to the latest), linear
  (equal shares). Deal value is credited the same way. Read from the credits rollup that
  ``scoring.attribution`` keeps as moves happen.
- Conversion by score band, over leads with a known outcome (scoring.outcomes): per grade
  (fit A–D × intent 1–4) and per likelihood decile, leads and the share that converted.
"""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from leads.models import Campaign, Lead
from leads.reports.metrics import NO_FILTERS, Filters
from leads.stages import Stage
from plumbing.numbers import ratio
from plumbing.sql import on_postgresql
from scoring.models import AttributionCredit, LeadScore
from scoring.outcomes import outcome
from scoring.sql.rows import outcome_expression

MODELS = ("first", "last", "linear")


def attribution(
    start: datetime,
    end: datetime,
    *,
    model: str = "first",
    stage: str = Stage.SQL,
    filters: Filters = NO_FILTERS,
) -> list[dict[str, Any]]:
    """Summed from the credits rollup (``scoring.attribution`` keeps it and defines it)."""
    if model not in MODELS:
        raise ValueError(model)
    rows = (
        AttributionCredit.objects.filter(
            filters.moves(), stage=stage, at__gte=start, at__lt=end, **{f"{model}__gt": 0}
        )
        .values("campaign")
        .annotate(
            credit=Sum(model),
            value=Sum(F(model) * Coalesce("deal_value", Value(Decimal(0)))),
        )
        .order_by("-credit", "campaign")
    )
    rows = list(rows)
    names = dict(
        Campaign.objects.filter(pk__in=[r["campaign"] for r in rows if r["campaign"]]).values_list(
            "pk", "name"
        )
    )
    return [
        {
            "campaign": row["campaign"],
            "name": names.get(row["campaign"], "(no campaign)"),
            "model": model,
            "stage": stage,
            "credit": round(row["credit"], 4),
            "deal_value": round(row["value"], 2),
        }
        for row in rows
    ]


def conversion_by_band(filters: Filters = NO_FILTERS) -> dict[str, Any]:
    leads = Lead.objects.filter(filters.leads()).filter(
        Q(stage__in=[Stage.CUSTOMER, Stage.DISQUALIFIED]) | Q(attributes__has_key="converted")
    )
    if on_postgresql():
        by_grade, by_decile = _bands_in_sql(leads)
    else:
        by_grade, by_decile = _bands_in_python(leads)

    def table(groups: dict[str, tuple[int, int]]) -> list[dict[str, Any]]:
        return [
            {"band": band, "leads": n, "converted": won, "rate": ratio(won, n)}
            for band, (n, won) in sorted(groups.items())
            if n
        ]

    return {"grades": table(by_grade), "likelihood_deciles": table(by_decile)}


Bands = dict[str, tuple[int, int]]  # band → (leads with a known outcome, converted)


def _decile(likelihood: int) -> str:
    low = min(likelihood // 10 * 10, 90)
    return f"{low}-{low + 9 if low < 90 else 100}"


def _bands_in_sql(leads: Any) -> tuple[Bands, Bands]:
    """Counted in PostgreSQL: one grouped pass, whatever the number of leads."""
    known = leads.annotate(result=outcome_expression()).filter(result__isnull=False)
    by_grade = {
        grade: (n, won)
        for grade, n, won in known.filter(score__isnull=False)
        .values_list("score__grade")
        .annotate(n=Count("pk"), won=Sum("result"))
        .order_by()
    }
    deciles: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for likelihood_tenth, n, won in (
        known.filter(likelihood__isnull=False)
        .annotate(tenth=F("likelihood") / 10)
        .values_list("tenth")
        .annotate(n=Count("pk"), won=Sum("result"))
        .order_by()
    ):
        band = deciles[_decile(likelihood_tenth * 10)]
        band[0] += n
        band[1] += won
    return by_grade, {band: (n, won) for band, (n, won) in deciles.items()}


def _bands_in_python(leads: Any) -> tuple[Bands, Bands]:
    """SQLite (the embedded default, small data): the same counts, read lead by lead."""
    grades = dict(
        LeadScore.objects.filter(lead__in=leads.values("pk")).values_list("lead_id", "grade")
    )
    by_grade: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_decile: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pk, stage, attributes, likelihood in leads.values_list(
        "pk", "stage", "attributes", "likelihood"
    ):
        result = outcome(stage, attributes or {})
        if result is None:
            continue
        for groups, band in ((by_grade, grades.get(pk)), (by_decile, likelihood)):
            if band is None:
                continue
            key = band if groups is by_grade else _decile(band)
            groups[key][0] += 1
            groups[key][1] += result
    return (
        {band: (n, won) for band, (n, won) in by_grade.items()},
        {band: (n, won) for band, (n, won) in by_decile.items()},
    )
