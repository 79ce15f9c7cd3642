"""Fitting a likelihood model and measuring it honestly.

- Split by time when creation times allow: the oldest 70% train, the newest 30% test, as
  the model will be used (on leads newer than any it learned from).
- No class re-weighting: weighting the rare class up shifts every probability up (the old
  model's mean likelihood was 48.9 for a 38.5% conversion rate).
- Calibration from out-of-fold predictions on the training part only (Platt for the
  logistic model — it stays linear, so explanations stay exact — isotonic for boosting).
- Hold-out figures: ROC AUC with a bootstrap 95% interval, a reliability table per decile
  of predicted probability, and the expected calibration error over those deciles.
- The stored model is then refitted the same way on every lead (the newest leads matter
  most under drift); the figures are those of the hold-out fit.
"""

import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import rankdata
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split

from scoring.learning.calibrated import BOOSTING, LOGISTIC, probabilities
from scoring.learning.features import Column, Raw, build_columns, column_names, encode

MIN_SAMPLES = 40
TRAIN_SHARE = 0.7
FOLDS = 3
BOOTSTRAPS = 200
# bench/likelihood.py --quick (drifting population), hold-out AUC / ECE by half-life:
# none 0.7513 / 0.0305, 0.5 0.7538 / 0.0322, 0.25 0.7548 / 0.0301, 0.15 0.7546 / 0.0282.
RECENCY_HALF_LIFE = 0.2
LOGISTIC_C = 1.0


@dataclass
class Fitted:
    """A model ready to store: its encoding, numbers, figures."""

    kind: str
    spec: dict[str, Any]
    figures: dict[str, Any]
    artifact: bytes | None = None
    test_rows: list[Raw] = field(default_factory=list)
    test_labels: list[int] = field(default_factory=list)


def split(
    labels: Sequence[int], created: Sequence[Any], *, seed: int
) -> tuple[np.ndarray, np.ndarray, str]:
    """Train and test indexes. ``created`` is sorted oldest first (``training_set``)."""
    count = len(labels)
    if len(set(created)) > count // 2:
        cut = int(count * TRAIN_SHARE)
        return np.arange(cut), np.arange(cut, count), "time"
    train, test = train_test_split(
        np.arange(count), train_size=TRAIN_SHARE, random_state=seed, stratify=labels
    )
    return np.sort(train), np.sort(test), "random"


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def recency_weights(count: int, *, timed: bool) -> np.ndarray:
    """Rows oldest first: under drift the newest leads say most about the next ones, so a
    row's weight halves every RECENCY_HALF_LIFE of the span back (none without times)."""
    if not timed or count < 2:
        return np.ones(count)
    age = (count - 1 - np.arange(count)) / (count - 1)
    return 0.5 ** (age / RECENCY_HALF_LIFE)


def _fit_calibrated(
    kind: str, x: np.ndarray, y: np.ndarray, *, seed: int, timed: bool
) -> dict[str, Any]:
    """The estimator on all of ``x`` plus a calibration learned out of fold."""
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
    weights = recency_weights(len(y), timed=timed)
    out_of_fold = np.zeros(len(y))
    for train, test in folds.split(x, y):
        fitted = _estimator(kind, seed).fit(x[train], y[train], sample_weight=weights[train])
        out_of_fold[test] = _raw_logit(kind, fitted, x[test])
    estimator = _estimator(kind, seed).fit(x, y, sample_weight=weights)
    # Calibrated on the newest part of these rows only (they are oldest first): under
    # drift the base rate moves, and the newest leads are most like the ones to score.
    recent = slice(len(y) - max(len(y) // 3, min(len(y), 200)), None)
    if len(set(y[recent])) < 2:
        recent = slice(None)
    out_of_fold, y, weights = out_of_fold[recent], y[recent], weights[recent]
    if kind == LOGISTIC:
        platt = LogisticRegression(C=1e6).fit(out_of_fold.reshape(-1, 1), y, sample_weight=weights)
        a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
        # Platt on a linear logit is linear: fold it into the weights.
        return {
            "weights": (a * estimator.coef_[0]).tolist(),
            "intercept": float(a * estimator.intercept_[0] + b),
        }
    isotonic = IsotonicRegression(out_of_bounds="clip", y_min=1e-4, y_max=1 - 1e-4)
    isotonic.fit(out_of_fold, y, sample_weight=weights)
    return {
        "estimator": estimator,
        "isotonic": {
            "x": isotonic.X_thresholds_.tolist(),
            "y": isotonic.y_thresholds_.tolist(),
        },
    }


def _estimator(kind: str, seed: int) -> Any:
    if kind == LOGISTIC:
        return LogisticRegression(C=LOGISTIC_C, max_iter=1000)
    return HistGradientBoostingClassifier(
        max_iter=150, learning_rate=0.1, max_leaf_nodes=15, early_stopping=True,
        validation_fraction=0.15, random_state=seed,
    )  # fmt: skip


def _raw_logit(kind: str, estimator: Any, x: np.ndarray) -> np.ndarray:
    return estimator.decision_function(x)


def reliability(p: np.ndarray, y: np.ndarray) -> tuple[list[dict[str, float]], float]:
    """Per decile of predicted probability: leads, mean predicted, share converted; and
    the expected calibration error (the leads-weighted mean gap)."""
    order = np.argsort(p, kind="stable")
    table, gap = [], 0.0
    for part in np.array_split(order, 10):
        if not len(part):
            continue
        predicted, observed = float(p[part].mean()), float(y[part].mean())
        table.append({"leads": len(part), "predicted": round(predicted, 4),
                      "observed": round(observed, 4)})  # fmt: skip
        gap += len(part) * abs(predicted - observed)
    return table, gap / max(1, len(p))


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    """ROC AUC as the Mann–Whitney statistic (ties count half): what roc_auc_score gives,
    without its checks, for the bootstrap's many resamples."""
    ranks = rankdata(p)
    positives = int(y.sum())
    negatives = len(y) - positives
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def auc_with_interval(y: np.ndarray, p: np.ndarray, *, seed: int) -> tuple[float, list[float]]:
    auc = float(roc_auc_score(y, p))
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(BOOTSTRAPS):
        pick = rng.integers(0, len(y), len(y))
        if 0 < y[pick].sum() < len(pick):
            samples.append(_auc(y[pick], p[pick]))
    low, high = np.percentile(samples, [2.5, 97.5]) if samples else (auc, auc)
    return auc, [round(float(low), 4), round(float(high), 4)]


def fit(
    rows: Sequence[Raw],
    labels: Sequence[int],
    created: Sequence[Any],
    chosen: Sequence[str],
    *,
    kind: str = LOGISTIC,
    seed: int = 7,
    progress: Any = None,
) -> Fitted:
    """Fit on the training part, measure on the hold-out, refit on all."""
    y = np.array(labels, dtype=int)
    if len(y) < MIN_SAMPLES or len(set(labels)) < 2:
        raise ValueError(
            f"need at least {MIN_SAMPLES} leads with known outcomes, both won and lost"
        )
    report = progress or (lambda _percent: None)
    columns: list[Column] = build_columns(rows, chosen)
    x = encode(rows, columns)
    # A column with one value everywhere carries nothing and would only blur explanations.
    share = np.asarray(x.mean(axis=0)).ravel()
    keep = np.flatnonzero((share > 0) & (share < 1))
    x = x[:, keep].tocsr()
    if kind == BOOSTING:
        x = x.toarray()  # boosting takes dense input
    train, test, how = split(labels, created, seed=seed)
    report(30)
    holdout = _fit_calibrated(kind, x[train], y[train], seed=seed, timed=how == "time")
    p_test = probabilities({"kind": kind, **holdout}, holdout.get("estimator"), x[test])
    if len(set(y[test])) < 2:
        raise ValueError("the newest leads' outcomes are all the same: no hold-out to measure")
    auc, interval = auc_with_interval(y[test], p_test, seed=seed)
    table, ece = reliability(p_test, y[test])
    report(60)
    final = _fit_calibrated(kind, x, y, seed=seed, timed=how == "time")
    estimator = final.pop("estimator", None)
    names = column_names(columns)
    spec: dict[str, Any] = {
        "kind": kind,
        "features": list(chosen),
        "columns": columns,
        "keep": keep.tolist(),
        "labels": [names[i][1] for i in keep],
        "column_features": [names[i][0] for i in keep],
        "means": np.asarray(x.mean(axis=0)).ravel().astype(float).tolist(),
        **final,
    }
    if kind == BOOSTING:
        # Explanations of boosting come from a linear surrogate of its calibrated logit
        # (say so where shown): exact per-feature shares of a tree ensemble cost too much.
        target = _logit(probabilities(spec, estimator, x))
        surrogate = Ridge(alpha=1.0).fit(x, target)
        spec["surrogate"] = {"weights": surrogate.coef_.tolist(),
                             "intercept": float(surrogate.intercept_)}  # fmt: skip
    report(90)
    figures = {
        "auc": round(auc, 4), "auc_interval": interval, "ece": round(ece, 4),
        "reliability": table, "split": how, "train": len(train), "test": len(test),
        "samples": len(y), "positives": int(y.sum()),
        "holdout_from": str(created[test[0]]) if len(test) else None,
    }  # fmt: skip
    return Fitted(
        kind=kind,
        spec=spec,
        figures=figures,
        artifact=pickle.dumps(estimator) if estimator is not None else None,
        test_rows=[rows[i] for i in test],
        test_labels=[int(v) for v in y[test]],
    )
