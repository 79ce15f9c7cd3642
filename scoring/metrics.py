"""Scoring numbers: attribution of SQLs, customers and deal value to campaigns, and how
well scores predicted outcomes.

Definitions (also in README.md):
- A touch is the lead's own campaign at its creation, and every behaviour event whose
  properties carry a campaign's UTM code (utm_campaign).
- Attribution of leads that reached a stage in [start, end), over their touches before
  that move: first touch (all credit to the earliest), last touch (to the latest), linear
  (equal shares). Deal value is credited the same way for customers.
- Conversion by score band, over leads with a known outcome (scoring.outcomes): per grade
  (fit A–D × intent 1–4) and per likelihood decile, leads and the share that converted.
"""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q

from leads.metrics import NO_FILTERS, Filters, ratio
from leads.models import Campaign, Lead, StageChange
from leads.stages import Stage
from scoring.models import Event, LeadScore
from scoring.outcomes import outcome

MODELS = ("first", "last", "linear")


def attribution(
    start: datetime,
    end: datetime,
    *,
    model: str = "first",
    stage: str = Stage.SQL,
    filters: Filters = NO_FILTERS,
) -> list[dict[str, Any]]:
    if model not in MODELS:
        raise ValueError(model)
    moves = dict(
        StageChange.objects.filter(filters.moves(), to_stage=stage, at__gte=start, at__lt=end)
        .order_by("lead_id", "at")
        .values_list("lead_id", "at")
    )
    if not moves:
        return []
    codes = {
        c.lower(): pk
        for pk, c in Campaign.objects.exclude(utm_campaign="").values_list("pk", "utm_campaign")
    }
    touches: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    leads = Lead.objects.filter(pk__in=moves).values_list(
        "pk", "campaign_id", "created_at", "deal_value"
    )
    deals: dict[int, Decimal] = {}
    for pk, campaign_id, created_at, deal_value in leads:
        if campaign_id:
            touches[pk].append((created_at, campaign_id))
        deals[pk] = deal_value or Decimal(0)
    events = (
        Event.objects.filter(lead_id__in=moves)
        .filter(properties__has_key="utm_campaign")
        .values_list("lead_id", "occurred_at", "properties")
    )
    for lead_id, occurred_at, properties in events:
        campaign = codes.get(str((properties or {}).get("utm_campaign", "")).lower())
        if campaign and occurred_at <= moves[lead_id]:
            touches[lead_id].append((occurred_at, campaign))
    credit: dict[int | None, dict[str, Decimal]] = defaultdict(
        lambda: {"credit": Decimal(0), "value": Decimal(0)}
    )
    for lead_id in moves:
        path = sorted(t for t in touches.get(lead_id, []) if t[0] <= moves[lead_id])
        if not path:
            shares = {None: Decimal(1)}
        elif model == "first":
            shares = {path[0][1]: Decimal(1)}
        elif model == "last":
            shares = {path[-1][1]: Decimal(1)}
        else:
            shares = defaultdict(Decimal)
            for _at, campaign in path:
                shares[campaign] += Decimal(1) / len(path)
        for campaign, share in shares.items():
            credit[campaign]["credit"] += share
            credit[campaign]["value"] += share * deals.get(lead_id, Decimal(0))
    names = dict(Campaign.objects.filter(pk__in=[c for c in credit if c]).values_list("pk", "name"))
    return [
        {
            "campaign": campaign,
            "name": names.get(campaign, "(no campaign)"),
            "model": model,
            "stage": stage,
            "credit": round(values["credit"], 4),
            "deal_value": round(values["value"], 2),
        }
        for campaign, values in sorted(credit.items(), key=lambda item: -item[1]["credit"])
    ]


def conversion_by_band(filters: Filters = NO_FILTERS) -> dict[str, Any]:
    leads = Lead.objects.filter(filters.leads()).filter(
        Q(stage__in=[Stage.CUSTOMER, Stage.DISQUALIFIED]) | Q(attributes__has_key="converted")
    )
    grades = dict(
        LeadScore.objects.filter(lead__in=leads.values("pk")).values_list("lead_id", "grade")
    )
    by_grade: dict[str, list[int]] = defaultdict(list)
    by_decile: dict[str, list[int]] = defaultdict(list)
    for pk, stage, attributes, likelihood in leads.values_list(
        "pk", "stage", "attributes", "likelihood"
    ):
        result = outcome(stage, attributes or {})
        if result is None:
            continue
        if pk in grades:
            by_grade[grades[pk]].append(result)
        if likelihood is not None:
            low = min(likelihood // 10 * 10, 90)
            by_decile[f"{low}-{low + 9 if low < 90 else 100}"].append(result)

    def table(groups: dict[str, list[int]]) -> list[dict[str, Any]]:
        return [
            {"band": band, "leads": len(v), "converted": sum(v), "rate": ratio(sum(v), len(v))}
            for band, v in sorted(groups.items())
        ]

    return {"grades": table(by_grade), "likelihood_deciles": table(by_decile)}
