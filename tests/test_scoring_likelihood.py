"""Learned scoring: on data with a real signal the hold-out AUC is high; on shuffled
labels it is a coin toss."""

import random

import pytest
from rest_framework.test import APIClient

from leads.models import Lead
from scoring.likelihood import features_of, fit_model
from scoring.models import LikelihoodModel
from tests.factories import CompanyFactory, LeadFactory

pytestmark = pytest.mark.django_db


def generated(count: int, *, seed: int) -> tuple[list[dict], list[int]]:
    """Seniors at software firms who attended webinars mostly convert; others rarely."""
    rng = random.Random(seed)
    rows, labels = [], []
    for _ in range(count):
        senior = rng.random() < 0.4
        software = rng.random() < 0.5
        webinars = rng.randint(0, 3)
        chance = 0.05 + 0.45 * senior + 0.25 * software + 0.05 * webinars
        rows.append({
            "seniority": "vp" if senior else rng.choice(["individual", "manager"]),
            "industry": "Software" if software else rng.choice(["Retail", "Energy"]),
            "events.webinar_attended": float(webinars),
            "noise": rng.random(),
        })  # fmt: skip
        labels.append(int(rng.random() < chance))
    return rows, labels


def test_a_real_signal_gives_a_hold_out_auc_well_above_chance() -> None:
    rows, labels = generated(1200, seed=1)

    assert fit_model(rows, labels)["holdout_auc"] > 0.75


def test_shuffled_labels_give_a_hold_out_auc_near_chance() -> None:
    rows, labels = generated(1200, seed=2)
    random.Random(3).shuffle(labels)

    assert 0.4 < fit_model(rows, labels)["holdout_auc"] < 0.6


def test_training_through_the_api_uses_known_outcomes_and_sets_likelihood(admin_user) -> None:
    software = CompanyFactory(industry="Software")
    retail = CompanyFactory(industry="Retail")
    rng = random.Random(5)
    for i in range(80):
        good = i % 2 == 0
        converted = rng.random() < (0.85 if good else 0.1)
        LeadFactory(
            email=f"hist{i}@example.com",
            company=software if good else retail,
            attributes={"seniority": "vp" if good else "individual", "converted": converted},
        )
    client = APIClient()
    client.force_authenticate(admin_user)

    trained = client.post("/api/likelihood-models/train/").json()
    used = client.post(f"/api/likelihood-models/{trained['id']}/activate/")

    assert trained["status"] == "ready"
    assert trained["samples"] == 80
    assert trained["holdout_auc"] > 0.7
    assert used.status_code == 200
    good = Lead.objects.filter(company=software).values_list("likelihood", flat=True)
    poor = Lead.objects.filter(company=retail).values_list("likelihood", flat=True)
    assert min(good) > max(poor)


def test_training_without_outcomes_fails_with_a_reason(admin_user) -> None:
    client = APIClient()
    client.force_authenticate(admin_user)

    body = client.post("/api/likelihood-models/train/").json()

    assert body["status"] == "failed"
    assert "known outcomes" in body["error"]
    assert LikelihoodModel.objects.get().status == LikelihoodModel.Status.FAILED


def test_features_include_what_the_lead_did() -> None:
    lead = LeadFactory(email="x@gmail.com", attributes={"seniority": "VP"})

    features = features_of(lead, {"demo_request": 3})

    assert features["seniority"] == "vp"
    assert features["personal_email"] == 1.0
    assert features["events.demo_request"] > 0
