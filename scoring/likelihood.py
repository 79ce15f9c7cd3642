"""Learned scoring: a logistic regression on past outcomes gives each lead a likelihood to
convert (0–100) with its top reasons.

The fitted model is stored as plain numbers (feature names, coefficients, scaling), not a
pickle, so a stored model can be read, audited and applied without running its code.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

import numpy as np
from django.db import transaction
from django.db.models import Count, Q
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from leads.models import Lead
from leads.roles import Actor
from leads.stages import Stage
from plumbing.sql import on_postgresql
from scoring.models import Event, LeadScore, LikelihoodModel
from scoring.outcomes import outcome
from scoring.sql import rows

PERSONAL_DOMAINS = {"gmail.com", "hotmail.com", "yahoo.com", "outlook.com", "icloud.com"}
MIN_SAMPLES = 40
BATCH = 5000


class Reason(TypedDict):
    feature: str
    effect: float


def features_of(lead: Lead, event_counts: Mapping[str, int]) -> dict[str, float | str]:
    """What the model sees: who the lead is and what they did (counts, log-scaled)."""
    company = lead.company
    attributes = lead.attributes or {}
    features: dict[str, float | str] = {
        "seniority": str(attributes.get("seniority", "unknown")).lower(),
        "department": str(attributes.get("department", "unknown")).lower(),
        "industry": (company.industry if company and company.industry else "unknown"),
        "country": (company.country if company and company.country else "unknown"),
        "company_size_log": math.log1p(company.employees or 0) if company else 0.0,
        "personal_email": float(lead.email.rsplit("@", 1)[-1] in PERSONAL_DOMAINS),
        "source": lead.source or "unknown",
    }
    for event_type, count in event_counts.items():
        features[f"events.{event_type}"] = math.log1p(count)
    return features


def event_counts(lead_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Event.objects.filter(lead_id__in=list(lead_ids))
        .values_list("lead_id", "type")
        .annotate(n=Count("id"))
        .order_by()
    )
    for lead_id, event_type, n in rows:
        counts[lead_id][event_type] = n
    return counts


def training_set() -> tuple[list[dict[str, float | str]], list[int]]:
    leads = list(
        Lead.objects.filter(
            Q(stage__in=[Stage.CUSTOMER, Stage.DISQUALIFIED]) | Q(attributes__has_key="converted")
        ).select_related("company")
    )
    counts = event_counts(lead.pk for lead in leads)
    rows, labels = [], []
    for lead in leads:
        label = outcome(lead.stage, lead.attributes or {})
        if label is not None:
            rows.append(features_of(lead, counts.get(lead.pk, {})))
            labels.append(label)
    return rows, labels


def fit_model(
    rows: list[dict[str, float | str]], labels: list[int], *, seed: int = 7
) -> dict[str, Any]:
    """Train on 75%, report ROC AUC on the 25% held out, then refit on everything."""
    if len(rows) < MIN_SAMPLES or len(set(labels)) < 2:
        raise ValueError(
            f"need at least {MIN_SAMPLES} leads with known outcomes, both won and lost"
        )
    vectorizer = DictVectorizer(sparse=False)
    matrix = vectorizer.fit_transform(rows)
    scale = matrix.std(axis=0)
    scale[scale < 1e-9] = 1.0  # constant columns (float noise, not real spread)
    scaled = matrix / scale
    train_x, test_x, train_y, test_y = train_test_split(
        scaled, labels, test_size=0.25, random_state=seed, stratify=labels
    )
    holdout = LogisticRegression(max_iter=2000, class_weight="balanced").fit(train_x, train_y)
    auc = float(roc_auc_score(test_y, holdout.predict_proba(test_x)[:, 1]))
    final = LogisticRegression(max_iter=2000, class_weight="balanced").fit(scaled, labels)
    names = list(vectorizer.get_feature_names_out())
    return {
        "features": names,
        "coefficients": dict(zip(names, map(float, final.coef_[0]), strict=True)),
        "intercept": float(final.intercept_[0]),
        "scaling": dict(zip(names, map(float, scale), strict=True)),
        "holdout_auc": auc,
        "samples": len(labels),
        "positives": int(sum(labels)),
    }


def predict(
    model: LikelihoodModel, features: Mapping[str, float | str]
) -> tuple[int, list[Reason]]:
    """Likelihood 0–100 and the features that pushed it most (either way)."""
    effects: dict[str, float] = {}
    for name, value in features.items():
        key = f"{name}={value}" if isinstance(value, str) else name
        weight = model.coefficients.get(key)
        if weight is None:
            continue
        x = 1.0 if isinstance(value, str) else float(value)
        effects[key] = weight * x / model.scaling.get(key, 1.0)
    logit = model.intercept + sum(effects.values())
    probability = 1 / (1 + math.exp(-max(-50.0, min(50.0, logit))))
    top = sorted(effects.items(), key=lambda item: -abs(item[1]))[:5]
    return round(probability * 100), [Reason(feature=k, effect=round(v, 3)) for k, v in top]


def train(*, actor: Actor = None) -> LikelihoodModel:
    model = LikelihoodModel.objects.create(created_by=actor)
    try:
        fitted = fit_model(*training_set())
    except ValueError as error:
        model.status, model.error = LikelihoodModel.Status.FAILED, str(error)
        model.save(update_fields=["status", "error"])
        return model
    for name, value in fitted.items():
        setattr(model, name, value)
    model.status = LikelihoodModel.Status.READY
    model.save()
    return model


def activate(model: LikelihoodModel) -> int:
    """Use this model: every lead's likelihood is recomputed with it. Returns leads updated."""
    with transaction.atomic():
        LikelihoodModel.objects.filter(active=True).update(active=False)
        LikelihoodModel.objects.filter(pk=model.pk).update(active=True)
    model.refresh_from_db()
    updated = 0
    last_id = 0
    while True:
        leads = list(
            Lead.objects.filter(pk__gt=last_id).select_related("company").order_by("pk")[:BATCH]
        )
        if not leads:
            return updated
        counts = event_counts(lead.pk for lead in leads)
        values = [(lead.pk, predict(model, features_of(lead, counts.get(lead.pk, {})))[0])
                  for lead in leads]  # fmt: skip
        _write_likelihoods(values)
        updated += len(values)
        last_id = leads[-1].pk


def _write_likelihoods(values: list[tuple[int, int]]) -> None:
    """On the leads, and on their score rows (which lists sort by)."""
    if on_postgresql():
        ids, likelihoods = np.array(values).T.tolist()
        rows.write_likelihoods(ids, likelihoods)
        return
    Lead.objects.bulk_update(
        [Lead(pk=pk, likelihood=value) for pk, value in values], ["likelihood"], batch_size=500
    )
    for pk, value in values:
        LeadScore.objects.filter(lead_id=pk).update(likelihood=value)
