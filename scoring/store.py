"""Writing scores: one set-based path for ingest, lead changes and re-scoring."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from leads.lifecycle import bulk_transition
from leads.models import Lead
from leads.stages import Stage
from leads.system_texts import Stored, text
from plumbing.sql import on_postgresql
from scoring.engine import IntentState, ModelSpec, Score
from scoring.models import LeadScore, ScoreHistory
from scoring.sql import rows


@dataclass(frozen=True)
class Previous:
    """What a lead showed before this scoring: to decide what changed."""

    stage: str
    fit: int | None
    intent: int | None
    likelihood: int | None
    grade: str


@dataclass(frozen=True)
class Scored:
    lead_id: int
    score: Score
    state: IntentState


def save_scores(
    scored: Sequence[Scored],
    *,
    spec: ModelSpec,
    previous: dict[int, Previous],
    at: datetime,
) -> list[int]:
    """Store the scores and promote newly qualifying leads; returns the ids promoted.

    Call inside the transaction that locked these leads.
    """
    if not scored:
        return []
    changed = [item for item in scored if _changed(item.score, previous.get(item.lead_id))]
    if on_postgresql():
        rows.save_scores(scored, changed, version=spec.version, at=at)
    else:
        _save_with_orm(scored, changed, spec=spec, at=at)
    ready = {
        item.lead_id: promotion_reason(item.score, spec)
        for item in scored
        if item.score.qualifies and previous.get(item.lead_id, _NEW).stage == Stage.LEAD
    }
    return promote(ready, spec)


def promote(ready: dict[int, Stored], spec: ModelSpec) -> list[int]:
    """Lead id → why: move these leads (those still in stage "lead") to MQL in bulk."""
    if not ready:
        return []
    return bulk_transition(
        sorted(ready),
        Stage.MQL,
        source=Stage.LEAD,
        actor=None,
        reason=promotion_reason(None, spec),
        reasons=ready,
    )


_NEW = Previous(stage=Stage.LEAD, fit=None, intent=None, likelihood=None, grade="")


def _changed(score: Score, before: Previous | None) -> bool:
    if before is None:
        return True
    return (score.fit, score.intent, score.likelihood, score.grade) != (
        before.fit,
        before.intent,
        before.likelihood,
        before.grade,
    )


def _save_with_orm(
    scored: Sequence[Scored], changed: Sequence[Scored], *, spec: ModelSpec, at: datetime
) -> None:
    """SQLite: what ``scoring.sql.rows.save_scores`` does, through the ORM."""
    LeadScore.objects.bulk_create(
        [
            LeadScore(
                lead_id=item.lead_id,
                model_version=spec.version,
                fit_points=item.score.fit_points,
                intent_points=item.score.intent_points,
                grade=item.score.grade,
                hot=item.score.hot,
                intent_state=item.state,
                computed_at=at,
                fit=item.score.fit,
                intent=item.score.intent,
                likelihood=item.score.likelihood,
            )
            for item in scored
        ],
        update_conflicts=True,
        unique_fields=["lead"],
        update_fields=[
            "model_version",
            "fit_points",
            "intent_points",
            "grade",
            "hot",
            "intent_state",
            "computed_at",
            "fit",
            "intent",
            "likelihood",
        ],
    )
    if not changed:
        return
    Lead.objects.bulk_update(
        [
            Lead(
                pk=i.lead_id, fit=i.score.fit, intent=i.score.intent, likelihood=i.score.likelihood
            )
            for i in changed
        ],
        ["fit", "intent", "likelihood"],
        batch_size=500,
    )
    # A score history row per lead whose whole-number score or grade changed.
    ScoreHistory.objects.bulk_create(
        ScoreHistory(
            lead_id=item.lead_id,
            model_version=spec.version,
            fit=item.score.fit,
            intent=item.score.intent,
            likelihood=item.score.likelihood,
            grade=item.score.grade,
            at=at,
        )
        for item in changed
    )


def promotion_reason(score: Score | None, spec: ModelSpec) -> Stored:
    """Why the system made a lead an MQL: the thresholds, then the rules that fired (stored
    as a code with parameters, read in the reader's language; rule labels are shipped texts
    or an admin's words)."""
    thresholds = {"mql_fit": spec.mql_fit, "mql_intent": spec.mql_intent}
    if score is None:
        return text("scoring.crossed_thresholds", **thresholds)
    head = {"fit": score.fit, "intent": score.intent, "version": spec.version, **thresholds}
    top = sorted(score.contributions, key=lambda c: -abs(c["points"]))[:5]
    if not top:
        return text("scoring.promoted", **head)
    rules = [[c["label"], c["points"]] for c in top]
    return text("scoring.promoted_by", **head, rules=rules)
