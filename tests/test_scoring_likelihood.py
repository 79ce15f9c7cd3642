"""Learned scoring: on data with a real signal the hold-out AUC is high; on shuffled
labels it is a coin toss; training runs in the worker, and what it learns reaches leads."""

import random

import pytest
from rest_framework.test import APIClient

from leads.models import Lead
from scoring.learning import data
from scoring.learning.fitting import fit
from scoring.models import LikelihoodModel
from tests.factories import CompanyFactory, LeadFactory

pytestmark = pytest.mark.django_db

CHOSEN = ["attr.seniority", "company.industry", "events.webinar_attended", "attr.noise"]


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
            "attr.seniority": "vp" if senior else rng.choice(["individual", "manager"]),
            "company.industry": "Software" if software else rng.choice(["Retail", "Energy"]),
            "events.webinar_attended": float(webinars),
            "attr.noise": rng.random(),
        })  # fmt: skip
        labels.append(int(rng.random() < chance))
    return rows, labels


def test_a_real_signal_gives_a_hold_out_auc_well_above_chance() -> None:
    rows, labels = generated(1200, seed=1)

    assert fit(rows, labels, list(range(1200)), CHOSEN).figures["auc"] > 0.75


def test_shuffled_labels_give_a_hold_out_auc_near_chance() -> None:
    rows, labels = generated(1200, seed=2)
    random.Random(3).shuffle(labels)

    assert 0.4 < fit(rows, labels, list(range(1200)), CHOSEN).figures["auc"] < 0.6


def test_training_through_the_api_runs_in_the_worker_and_sets_likelihood(
    admin_user, eager_tasks, django_capture_on_commit_callbacks
) -> None:
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

    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/api/likelihood-models/train/")
    trained = client.get(f"/api/likelihood-models/{queued.json()['id']}/").json()

    assert queued.status_code == 202
    assert queued.json()["status"] == "training"
    assert trained["status"] == "ready"
    assert trained["samples"] == 80
    assert trained["holdout_auc"] > 0.7
    assert trained["active"]  # the first model: better than none
    assert set(trained["figures"]) >= {"auc", "auc_interval", "ece", "reliability"}
    good = Lead.objects.filter(company=software).values_list("likelihood", flat=True)
    poor = Lead.objects.filter(company=retail).values_list("likelihood", flat=True)
    assert min(good) > max(poor)


def test_training_without_outcomes_fails_with_a_reason(
    admin_user, eager_tasks, django_capture_on_commit_callbacks
) -> None:
    client = APIClient()
    client.force_authenticate(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        body = client.post("/api/likelihood-models/train/").json()

    model = LikelihoodModel.objects.get(pk=body["id"])
    assert model.status == LikelihoodModel.Status.FAILED
    assert "known outcomes" in model.error


def test_features_include_what_the_lead_did() -> None:
    lead = LeadFactory(email="x@gmail.com", attributes={"seniority": "VP"})
    from scoring.models import Event

    Event.objects.create(lead=lead, type="demo_request", occurred_at=lead.created_at)

    _ids, [features] = data.rows_for([lead.pk])

    assert features["attr.seniority"] == "VP"
    assert features["lead.email_domain"] == "personal"
    assert features["events.demo_request"] == 1
