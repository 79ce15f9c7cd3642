"""Judging a draft before activating it: what it would change, and a backtest against
leads whose outcome is known (conversion by grade band, ROC AUC of each model)."""

from collections import Counter
from datetime import datetime
from typing import Any, TypedDict

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from sklearn.metrics import roc_auc_score

from leads.models import Lead
from leads.stages import Stage
from scoring import engine
from scoring.engine import ModelSpec, Score
from scoring.live import events_by_lead
from scoring.outcomes import outcome
from scoring.rescoring_sql import fetch_batch

SAMPLE_LEADS = 50_000  # the newest leads a preview looks at
BATCH = 5000


class ModelSummary(TypedDict):
    version: int
    mql: int
    hot: int
    auc: float | None
    bands: dict[str, dict[str, float | int]]


def scores_for(spec: ModelSpec, lead_ids: list[int], at: datetime) -> dict[int, Score]:
    """Scores under ``spec`` for the given leads, set-based on PostgreSQL."""
    results: dict[int, Score] = {}
    wanted = set(lead_ids)
    ordered = sorted(wanted)
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start : start + BATCH]
        if connection.vendor == "postgresql":
            for row in fetch_batch(spec, first_id=chunk[0], last_id=chunk[-1], at=at):
                if row.lead_id in wanted:
                    state = engine.IntentState(ref=at.timestamp(), sums=row.sums, counts=row.counts)
                    intent_total, _ = engine.intent_points(state, spec)
                    results[row.lead_id] = engine.evaluate(
                        spec,
                        fit_total=row.fit_points,
                        intent_total=intent_total,
                        likelihood=row.likelihood,
                    )
        else:
            events = events_by_lead(chunk)
            for lead in Lead.objects.filter(pk__in=chunk).select_related("company"):
                results[lead.pk] = engine.score_lead(
                    spec,
                    engine.facts_of(lead),
                    events.get(lead.pk, ()),
                    at=at,
                    likelihood=lead.likelihood,
                )
    return results


def summarise(spec: ModelSpec, scores: dict[int, Score], outcomes: dict[int, int]) -> ModelSummary:
    bands: dict[str, Counter[str]] = {}
    labels, ranks = [], []
    for lead_id, result in outcomes.items():
        score = scores.get(lead_id)
        if score is None:
            continue
        band = bands.setdefault(score.grade, Counter())
        band["leads"] += 1
        band["converted"] += result
        labels.append(result)
        ranks.append(score.fit + score.intent)
    auc = roc_auc_score(labels, ranks) if len(set(labels)) == 2 else None
    return ModelSummary(
        version=spec.version,
        mql=sum(1 for s in scores.values() if s.qualifies),
        hot=sum(1 for s in scores.values() if s.hot),
        auc=round(float(auc), 3) if auc is not None else None,
        bands={
            grade: {
                "leads": counts["leads"],
                "converted": counts["converted"],
                "rate": round(counts["converted"] / counts["leads"], 3),
            }
            for grade, counts in sorted(bands.items())
        },
    )


def preview(draft: ModelSpec, active: ModelSpec, *, sample_size: int = 20) -> dict[str, Any]:
    at = timezone.now()
    recent = list(Lead.objects.order_by("-pk").values_list("pk", flat=True)[:SAMPLE_LEADS])
    known = {
        pk: result
        for pk, stage, attributes in Lead.objects.filter(
            Q(stage__in=[Stage.CUSTOMER, Stage.DISQUALIFIED]) | Q(attributes__has_key="converted")
        ).values_list("pk", "stage", "attributes")[:SAMPLE_LEADS]
        if (result := outcome(stage, attributes or {})) is not None
    }
    ids = sorted(set(recent) | set(known))
    new, old = scores_for(draft, ids, at), scores_for(active, ids, at)
    waiting = set(Lead.objects.filter(pk__in=recent, stage=Stage.LEAD).values_list("pk", flat=True))
    gained = [pk for pk in recent if pk in waiting and new[pk].qualifies and not old[pk].qualifies]
    lost = [pk for pk in recent if new[pk].qualifies is False and old[pk].qualifies]
    sample = Lead.objects.filter(pk__in=gained[:sample_size]).select_related("company")
    return {
        "leads_compared": len(recent),
        "leads_with_outcome": len(known),
        "draft": summarise(draft, {pk: new[pk] for pk in ids}, known),
        "active": summarise(active, {pk: old[pk] for pk in ids}, known),
        "would_become_mql": len(gained),
        "would_no_longer_qualify": len(lost),
        "sample": [
            {
                "id": lead.pk,
                "email": lead.email,
                "company": getattr(lead.company, "name", None),
                "fit": {"active": old[lead.pk].fit, "draft": new[lead.pk].fit},
                "intent": {"active": old[lead.pk].intent, "draft": new[lead.pk].intent},
            }
            for lead in sample
        ],
    }
