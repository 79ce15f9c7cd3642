"""Applying the active learned model: likelihoods for leads wherever they are scored, and
explanations whose contributions add up to the model's logit."""

import math
import pickle
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, TypedDict

import numpy as np
from django.db import transaction
from django.utils import timezone

from leads.models import Lead
from plumbing.sql import on_postgresql
from scoring.learning import data
from scoring.learning.calibrated import BOOSTING, probabilities
from scoring.learning.features import Raw, encode
from scoring.models import LeadScore, LikelihoodModel
from scoring.sql import learning as learning_sql

BATCH = 5000


class Contribution(TypedDict):
    feature: str
    value: str
    effect: float


class Explanation(TypedDict):
    model: int
    kind: str
    exact: bool
    base: float
    logit: float
    likelihood: int
    contributions: list[Contribution]


@lru_cache(maxsize=8)
def _estimator(model_id: int) -> Any:
    # Keyed by id: a stored model never changes once trained.
    artifact = LikelihoodModel.objects.filter(pk=model_id).values_list("artifact", flat=True)[0]
    return pickle.loads(bytes(artifact)) if artifact else None


def active_model() -> LikelihoodModel | None:
    return LikelihoodModel.objects.filter(active=True).defer("artifact").first()


def predict_rows(model: LikelihoodModel, rows: Sequence[Raw]) -> np.ndarray:
    """Calibrated probabilities of conversion for raw feature rows."""
    spec = model.spec
    x = encode(rows, spec["columns"])[:, spec["keep"]]
    if spec["kind"] != BOOSTING:
        return probabilities(spec, None, x)
    return probabilities(spec, _estimator(model.pk), x.toarray())


def as_likelihood(p: np.ndarray) -> list[int]:
    return [int(v) for v in np.clip(np.rint(p * 100), 0, 100)]


def likelihoods(model: LikelihoodModel, lead_ids: Sequence[int]) -> dict[int, int]:
    ids, rows = data.rows_for(lead_ids)
    if not ids:
        return {}
    return dict(zip(ids, as_likelihood(predict_rows(model, rows)), strict=True))


def refresh(leads: list[dict[str, Any]]) -> None:
    """Set ``likelihood`` on these (locked) lead rows from the active model and write it
    on the leads; the caller's scoring then stores it on their score rows. No model
    active: untouched (the likelihood is then whatever it was, usually none)."""
    model = active_model()
    if model is None or not leads:
        return
    fresh = likelihoods(model, [lead["pk"] for lead in leads])
    for lead in leads:
        lead["likelihood"] = fresh.get(lead["pk"], lead["likelihood"])
    write(list(fresh.items()), score_rows=False)


def refresh_ids(lead_ids: Sequence[int]) -> None:
    """Like ``refresh`` for leads scored in SQL (the drain): leads only, score rows follow
    from the lead when the drain stores them."""
    model = active_model()
    if model is not None and lead_ids:
        write(list(likelihoods(model, lead_ids).items()), score_rows=False)


def write(values: list[tuple[int, int]], *, score_rows: bool = True) -> None:
    """Likelihoods onto the leads (and their score rows, which lists sort by): one
    statement per table for the batch."""
    if not values:
        return
    if on_postgresql():
        ids, numbers = (list(column) for column in zip(*values, strict=True))
        learning_sql.write_changed_likelihoods(ids, numbers, score_rows=score_rows)
        return
    Lead.objects.bulk_update(
        [Lead(pk=pk, likelihood=value) for pk, value in values], ["likelihood"], batch_size=500
    )
    if score_rows:
        for pk, value in values:
            LeadScore.objects.filter(lead_id=pk).update(likelihood=value)


def activate(model: LikelihoodModel) -> int:
    """Make ``model`` the active one (a new one, or an older one: a rollback) and rewrite
    every lead's likelihood with it, a batch of leads per statement. Returns leads updated.

    The switch and the rewrite are one transaction, so no lead is ever scored by one
    model while the flag names another."""
    updated = 0
    with transaction.atomic():
        LikelihoodModel.objects.filter(active=True).update(active=False)
        LikelihoodModel.objects.filter(pk=model.pk).update(active=True, activated_at=timezone.now())
        model.refresh_from_db(fields=["active", "activated_at"])
        last_id = 0
        while True:
            ids = list(
                Lead.objects.filter(pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                return updated
            values = list(likelihoods(model, ids).items())
            write(values)
            updated += len(values)
            last_id = ids[-1]


def explain(model: LikelihoodModel, lead_id: int) -> Explanation | None:
    """Each feature's push on the logit, against the average lead: ``base`` plus the
    contributions is the model's logit. Exact for the logistic model; for boosting, the
    terms of its linear surrogate (``exact`` false). A feature that is the same for every
    lead has no column left in the model and so never appears."""
    ids, rows = data.rows_for([lead_id])
    if not ids:
        return None
    spec = model.spec
    x = encode(rows, spec["columns"])[:, spec["keep"]].toarray()[0]
    linear = spec["surrogate"] if spec["kind"] == BOOSTING else spec
    weights, means = np.array(linear["weights"]), np.array(spec["means"])
    base = float(linear["intercept"] + weights @ means)
    by_feature: dict[str, float] = {}
    for feature, effect in zip(spec["column_features"], weights * (x - means), strict=True):
        by_feature[feature] = by_feature.get(feature, 0.0) + float(effect)
    contributions = [
        Contribution(feature=name, value=_shown(rows[0].get(name)), effect=round(effect, 4))
        for name, effect in sorted(by_feature.items(), key=lambda item: -abs(item[1]))
        if abs(effect) > 1e-9
    ]
    logit = base + sum(by_feature.values())
    probability = float(predict_rows(model, rows)[0])
    return Explanation(
        model=model.pk, kind=spec["kind"], exact=spec["kind"] != BOOSTING,
        base=round(base, 4), logit=round(logit, 4),
        likelihood=as_likelihood(np.array([probability]))[0], contributions=contributions,
    )  # fmt: skip


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float) and not math.isnan(value):
        return f"{value:g}"
    return str(value)


def explain_with_active(lead_id: int) -> Explanation | None:
    """The active model's explanation of a lead (None while no model is active)."""
    model = active_model()
    return explain(model, lead_id) if model is not None else None
