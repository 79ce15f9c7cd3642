"""A stored model's calibrated probabilities, with numpy only: scoring runs in every
worker and web process, and scikit-learn (seconds to import) is for fitting."""

from typing import Any

import numpy as np

LOGISTIC = "logistic"
BOOSTING = "boosting"


def probabilities(spec: dict[str, Any], estimator: Any, x: np.ndarray) -> np.ndarray:
    """Calibrated probabilities for encoded rows (columns already ``keep``-filtered)."""
    if spec["kind"] == LOGISTIC:
        logit = x @ np.array(spec["weights"]) + spec["intercept"]
        return 1 / (1 + np.exp(-np.clip(logit, -50, 50)))
    iso = spec["isotonic"]
    return np.interp(estimator.decision_function(x), iso["x"], iso["y"])
