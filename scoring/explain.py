"""The one explanation of a lead's score, read from what scoring stored.

The score row (``LeadScore``) keeps fit, intent, grade, likelihood and, per intent rule,
the decayed sum of its points and how many events fed it (``intent_state``). So the
explanation needs the lead's facts and that row — never the lead's events: the API, the
admin, the lead page and every webhook pay the same few queries whether the lead did two
things or two thousand.

The explanation is of the stored score, as of ``computed_at``: it agrees with the numbers
the lists, filters and routing used. Decay moves intent between scorings; the periodic
decay re-score (scoring/rescoring.py) moves the stored score with it.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from django.utils import timezone

from leads.models import Lead
from scoring import engine
from scoring.criteria import active_spec, spec_of_version
from scoring.engine import Contribution, ModelSpec
from scoring.models import LeadScore

if TYPE_CHECKING:
    # Only for the type: the learned model's code loads numpy, and the admin imports this
    # module at start-up, when nothing should load it (tests/test_warmup.py).
    from scoring.learning.applying import Contribution as LikelihoodContribution
    from scoring.learning.applying import Explanation as LikelihoodExplanation


class Thresholds(TypedDict):
    mql_fit: int
    mql_intent: int
    hot_intent: int


class Explanation(TypedDict):
    version: int
    computed_at: datetime | None  # None: never scored yet (no events, or still pending)
    fit: int
    intent: int
    likelihood: int | None
    grade: str
    hot: bool
    qualifies: bool
    fit_points: float
    intent_points: float
    thresholds: Thresholds
    contributions: list[Contribution]  # biggest first, either sign
    # The learned likelihood's own explanation (its model, the base logit and each
    # feature's effect, which add up to the logit); the effects alone as "reasons".
    likelihood_reasons: list["LikelihoodContribution"]
    likelihood_explanation: "LikelihoodExplanation | None"


def explain(lead: Lead, *, with_likelihood_reasons: bool = False) -> Explanation:
    """Why ``lead`` scores what it does: every rule that fired and its points.

    Pass the lead with its company loaded (fit rules read it). The likelihood's
    explanation costs a few more queries (the active learned model, the lead's features and
    event counts by type: one grouped row per type, however many events), so only the
    callers that show it ask.
    """
    stored = LeadScore.objects.filter(lead_id=lead.pk).first()
    spec = (spec_of_version(stored.model_version) if stored else None) or active_spec()
    fit_total, fit_fired = engine.fit_points(engine.facts_of(lead), spec.fit_rules)
    state = (stored.intent_state if stored else None) or engine.empty_state(timezone.now())
    _intent_total, intent_fired = engine.intent_points(state, spec)
    if stored is None:
        score = engine.evaluate(
            spec, fit_total=fit_total, intent_total=0.0, likelihood=lead.likelihood
        )
        fit, intent, grade, hot = score.fit, score.intent, score.grade, score.hot
        fit_points, intent_points = fit_total, 0.0
    else:
        # The stored numbers, not recomputed ones: the explanation must agree with what
        # lists, filters and routing read. fit_points comes from the row too — the drain
        # carries it over unchanged, and a change to the lead's details re-scores it.
        fit, intent, grade, hot = stored.fit or 0, stored.intent or 0, stored.grade, stored.hot
        fit_points, intent_points = stored.fit_points, stored.intent_points
    return Explanation(
        version=spec.version,
        computed_at=stored.computed_at if stored else None,
        fit=fit,
        intent=intent,
        likelihood=lead.likelihood,
        grade=grade,
        hot=hot,
        qualifies=engine.qualifies(fit, intent, lead.likelihood, spec),
        fit_points=fit_points,
        intent_points=round(intent_points, 2),
        thresholds=_thresholds(spec),
        contributions=sorted([*fit_fired, *intent_fired], key=lambda c: -abs(c["points"])),
        **_likelihood(lead.pk, wanted=with_likelihood_reasons),
    )


def _thresholds(spec: ModelSpec) -> Thresholds:
    return Thresholds(mql_fit=spec.mql_fit, mql_intent=spec.mql_intent, hot_intent=spec.hot_intent)


def _likelihood(lead_id: int, *, wanted: bool) -> dict[str, Any]:
    if not wanted:
        return {"likelihood_reasons": [], "likelihood_explanation": None}
    from scoring.learning.applying import explain_with_active

    explanation = explain_with_active(lead_id)
    return {
        "likelihood_reasons": explanation["contributions"] if explanation else [],
        "likelihood_explanation": explanation,
    }
