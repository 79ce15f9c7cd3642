"""Training runs: queued as a row, fitted by a worker with progress, and promoted only
when the new model beats the active one on the same hold-out (champion/challenger)."""

import logging
import time
from typing import Any

from django.db import transaction
from sklearn.metrics import roc_auc_score

from scoring.learning import applying, data
from scoring.learning.features import REFUSED, default_choice, refuse_leaks
from scoring.learning.fitting import fit
from scoring.models import LikelihoodModel, LikelihoodSettings

logger = logging.getLogger(__name__)


def queue_training(
    *, actor: Any, kind: str = LikelihoodModel.Kind.LOGISTIC, promote: bool = True
) -> LikelihoodModel:
    """A training run for the worker (never in a request); queued after commit."""
    from scoring.tasks import train_likelihood_model

    chosen = LikelihoodSettings.current().features
    refuse_leaks(chosen)  # a clear error now rather than a failed run later
    model = LikelihoodModel.objects.create(created_by=actor, kind=kind)
    transaction.on_commit(lambda: train_likelihood_model.delay(model.pk, promote))
    return model


def choose_features(chosen: list[str]) -> LikelihoodSettings:
    """The admin's choice of features (empty: the automatic choice). Refuses leaks."""
    refuse_leaks(chosen)
    settings = LikelihoodSettings.current()
    settings.features = list(chosen)
    settings.save(update_fields=["features"])
    return settings


def run(model_id: int, *, promote: bool = True) -> LikelihoodModel:
    """Fit the queued model, store its figures, compare it with the active one on the
    same hold-out and promote it if it is better by the admin's margin."""
    model = LikelihoodModel.objects.get(pk=model_id)
    if model.status != LikelihoodModel.Status.TRAINING:
        return model  # a duplicate delivery of a finished run does nothing

    def progress(percent: int) -> None:
        LikelihoodModel.objects.filter(pk=model_id).update(progress=percent)

    started = time.monotonic()
    settings = LikelihoodSettings.current()
    try:
        progress(5)
        training = data.training_set()
        chosen = settings.features or default_choice(training.rows)
        refuse_leaks(chosen)
        progress(15)
        fitted = fit(training.rows, training.labels, training.created, chosen,
                     kind=model.kind, progress=progress)  # fmt: skip
    except ValueError as error:
        model.status, model.error, model.progress = LikelihoodModel.Status.FAILED, str(error), 100
        model.save(update_fields=["status", "error", "progress"])
        return model
    champion = applying.active_model()
    figures = {**fitted.figures, "train_seconds": round(time.monotonic() - started, 2)}
    if champion is not None:
        p = applying.predict_rows(champion, fitted.test_rows)
        champion_auc = float(roc_auc_score(fitted.test_labels, p))
        figures["champion"] = {"model": champion.pk, "auc": round(champion_auc, 4)}
    model.spec, model.figures, model.artifact = fitted.spec, figures, fitted.artifact
    model.features = fitted.spec["features"]
    model.coefficients = (
        dict(zip(fitted.spec["labels"], fitted.spec["weights"], strict=True))
        if "weights" in fitted.spec
        else {}
    )
    model.intercept = float(fitted.spec.get("intercept", 0.0))
    model.holdout_auc = fitted.figures["auc"]
    model.samples, model.positives = fitted.figures["samples"], fitted.figures["positives"]
    model.status, model.progress = LikelihoodModel.Status.READY, 100
    model.save()
    if promote and beats_champion(figures, margin=settings.promote_margin):
        applying.activate(model)
    return model


def beats_champion(figures: dict[str, Any], *, margin: float) -> bool:
    """No active model: any trained one is better than none. Otherwise the new model's
    hold-out AUC must exceed the active model's on the very same leads by ``margin``."""
    champion = figures.get("champion")
    return champion is None or figures["auc"] >= champion["auc"] + margin


def train_now(*, actor: Any = None, kind: str = LikelihoodModel.Kind.LOGISTIC,
              promote: bool = False) -> LikelihoodModel:  # fmt: skip
    """Create and run at once (the worker's task, benches, tests)."""
    model = LikelihoodModel.objects.create(created_by=actor, kind=kind)
    return run(model.pk, promote=promote)


CANDIDATE_SAMPLE = 2000


def candidates() -> list[dict[str, Any]]:
    """Every feature the newest leads offer (leaks left out), each with its fill rate, its
    number of distinct values and whether the automatic choice takes it, for the admin's
    page: what the model could learn from, and why a column was left out."""
    from leads.models import Lead

    newest = list(Lead.objects.order_by("-pk").values_list("pk", flat=True)[:CANDIDATE_SAMPLE])
    _ids, rows = data.rows_for(newest)
    automatic = set(default_choice(rows))
    found = []
    for name in sorted({name for row in rows for name in row} - REFUSED):
        filled = [row.get(name) for row in rows if row.get(name) not in (None, "")]
        found.append(
            {
                "name": name,
                "fill": 100 * len(filled) / len(rows),
                "distinct": len({str(value).strip().lower() for value in filled}),
                "automatic": name in automatic,
            }
        )
    return found
