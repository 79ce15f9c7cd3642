"""A lead's likelihood explained: the contributions add up to the model's logit, and a
feature that is the same for every lead never appears."""

import math

import pytest
from rest_framework.test import APIClient

from leads.models import Lead
from scoring.learning import applying, training
from scoring.models import LikelihoodModel
from tests.learning_data import population

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [LikelihoodModel.Kind.LOGISTIC, LikelihoodModel.Kind.BOOSTING])
def test_contributions_add_up_to_the_logit(kind: str) -> None:
    leads = population(160)
    for lead in leads:  # the same everywhere: nothing to learn from, nothing to show
        lead.attributes["region"] = "emea"
        lead.save(update_fields=["attributes"])
    model = training.train_now(kind=kind, promote=True)
    training.choose_features([*model.spec["features"], "attr.region"])
    model = training.train_now(kind=kind, promote=False)

    for lead in leads[:10]:
        explanation = applying.explain(model, lead.pk)
        total = explanation["base"] + sum(c["effect"] for c in explanation["contributions"])
        assert total == pytest.approx(explanation["logit"], abs=1e-3)
        assert "attr.region" not in {c["feature"] for c in explanation["contributions"]}
        assert explanation["exact"] == (kind == LikelihoodModel.Kind.LOGISTIC)
        if explanation["exact"]:
            probability = 1 / (1 + math.exp(-explanation["logit"]))
            assert round(probability * 100) == explanation["likelihood"]


def test_the_api_explains_the_likelihood_with_the_models_version(admin_user) -> None:
    population(120)
    model = training.train_now(promote=True)
    lead = Lead.objects.filter(attributes__plan="pro").first()
    client = APIClient()
    client.force_authenticate(admin_user)

    body = client.get(f"/api/leads/{lead.pk}/score/").json()

    assert body["likelihood_explanation"]["model"] == model.pk
    assert body["likelihood_explanation"]["likelihood"] == body["likelihood"]
    assert body["likelihood_reasons"][0]["feature"].startswith(("attr.", "company."))


def test_the_lead_page_shows_why_with_the_models_version(client, admin_user) -> None:
    population(120)
    model = training.train_now(promote=True)
    lead = Lead.objects.filter(attributes__plan="pro").first()
    client.force_login(admin_user)

    page = client.get(f"/leads/{lead.pk}/").content.decode()

    assert f"Why this likelihood (model {model.pk})" in page
    assert "attr.plan = pro" in page
