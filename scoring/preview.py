"""Judging a draft before activating it: what it would change, and a backtest against
leads whose outcome is known (conversion by grade band, ROC AUC of each model)."""

from collections import Counter
from datetime import datetime
from typing import Any, TypedDict

from django.db.models import Q
from django.utils import timezone
from sklearn.metrics import roc_auc_score

from leads.models import Lead
from leads.stages import Stage
from plumbing.sql import on_postgresql
from scoring import engine
from scoring.engine import ModelSpec, Score
from scoring.live import events_by_lead
from scoring.outcomes import outcome
from scoring.sql.rules import fetch_batch

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
        if on_postgresql():
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


class Change(TypedDict):
    """One lead the draft would change, as the preview lists it."""

    id: int
    email: str
    name: str
    company: str | None
    stage: dict[str, str]  # {"active": now, "draft": after activation}
    fit: dict[str, int]
    intent: dict[str, int]


def preview(draft: ModelSpec, active: ModelSpec, *, sample_size: int = 20) -> dict[str, Any]:
    """What activating ``draft`` would do to the newest leads, and a backtest of both.

    One classification of each lead feeds every figure, so they agree by construction:
    activation promotes each lead still in stage "lead" whose draft score qualifies (as
    ``scoring.store.save_scores`` does) and moves no other lead, hence
    ``mql_after == mql_now + would_become_mql``."""
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
    stages = dict(Lead.objects.filter(pk__in=recent).values_list("pk", "stage"))
    after = {pk: after_activation(stages[pk], new[pk]) for pk in recent if pk in stages}
    gained = [pk for pk, stage in after.items() if stage != stages[pk]]
    # MQLs the draft would not qualify: they stay MQL (activation never demotes).
    lost = [pk for pk in after if stages[pk] == Stage.MQL and not new[pk].qualifies]
    rescored = [pk for pk in after if _scores_differ(new[pk], old[pk])]
    mql_now = sum(1 for stage in stages.values() if stage == Stage.MQL)
    # Listed: first the leads that change stage, then those whose scores change.
    listed = list(dict.fromkeys(gained + rescored))[:sample_size]
    leads = Lead.objects.filter(pk__in=listed).select_related("company").in_bulk()
    return {
        "leads_compared": len(recent),
        "leads_with_outcome": len(known),
        "draft": summarise(draft, {pk: new[pk] for pk in ids}, known),
        "active": summarise(active, {pk: old[pk] for pk in ids}, known),
        "mql_now": mql_now,
        "mql_after": mql_now + len(gained),
        "would_become_mql": len(gained),
        "would_no_longer_qualify": len(lost),
        "scores_change": len(rescored),
        "sample": [
            Change(
                id=pk,
                email=leads[pk].email,
                name=leads[pk].full_name or leads[pk].email,
                company=getattr(leads[pk].company, "name", None),
                stage={"active": str(stages[pk]), "draft": str(after[pk])},
                fit={"active": old[pk].fit, "draft": new[pk].fit},
                intent={"active": old[pk].intent, "draft": new[pk].intent},
            )
            for pk in listed
            if pk in leads
        ],
    }


def after_activation(stage: str, score: Score) -> str:
    """The stage a lead would be in once the draft is active: only a lead still in stage
    "lead" whose score qualifies moves, to MQL."""
    return Stage.MQL if stage == Stage.LEAD and score.qualifies else stage


def _scores_differ(new: Score, old: Score) -> bool:
    return (new.fit, new.intent, new.grade) != (old.fit, old.intent, old.grade)
