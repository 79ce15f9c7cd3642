"""Calibration: on a set whose true probabilities are known, the model's deciles match."""

import numpy as np

from scoring.learning.fitting import fit


def known_probabilities(count: int, *, seed: int) -> tuple[list[dict], list[int], list[float]]:
    rng = np.random.default_rng(seed)
    rows, labels, truth = [], [], []
    for _ in range(count):
        plan = rng.choice(["free", "pro", "team"])
        seats = int(rng.integers(1, 200))
        logit = -2.0 + {"free": 0.0, "pro": 1.2, "team": 2.0}[plan] + 0.01 * seats
        p = 1 / (1 + np.exp(-logit))
        rows.append({"attr.plan": plan, "attr.seats": str(seats).replace(".", ",")})
        labels.append(int(rng.random() < p))
        truth.append(float(p))
    return rows, labels, truth


def test_hold_out_deciles_match_the_true_conversion_rates_within_tolerance() -> None:
    rows, labels, _truth = known_probabilities(12000, seed=4)

    fitted = fit(rows, labels, list(range(len(rows))), ["attr.plan", "attr.seats"])

    figures = fitted.figures
    assert figures["split"] == "time"
    assert figures["ece"] < 0.03
    for decile in figures["reliability"]:
        assert abs(decile["predicted"] - decile["observed"]) < 0.06
    low, high = figures["auc_interval"]
    assert low < figures["auc"] < high


def test_mean_likelihood_matches_the_conversion_rate_without_re_weighting() -> None:
    rows, labels, _truth = known_probabilities(6000, seed=5)

    figures = fit(rows, labels, list(range(len(rows))), ["attr.plan", "attr.seats"]).figures

    predicted = sum(d["predicted"] * d["leads"] for d in figures["reliability"]) / figures["test"]
    observed = sum(d["observed"] * d["leads"] for d in figures["reliability"]) / figures["test"]
    assert abs(predicted - observed) < 0.02
