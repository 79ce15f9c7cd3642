"""Champion and challenger: a new model is used only when it is better on the same
hold-out; any older model can be brought back, and with it its scores."""

import pytest

from leads.models import Lead
from scoring.learning import applying, training
from scoring.models import LikelihoodModel, LikelihoodSettings
from tests.learning_data import population

pytestmark = pytest.mark.django_db


def likelihoods() -> dict[int, int | None]:
    return dict(Lead.objects.values_list("pk", "likelihood"))


def test_the_first_trained_model_becomes_active_and_scores_every_lead() -> None:
    population()

    model = training.train_now(promote=True)

    model.refresh_from_db()
    assert model.active
    assert model.status == LikelihoodModel.Status.READY
    assert model.progress == 100
    assert None not in likelihoods().values()


def test_a_worse_challenger_stays_inactive() -> None:
    population()
    champion = training.train_now(promote=True)
    LikelihoodSettings.objects.filter(pk=1).update(features=["company.industry"])

    challenger = training.train_now(promote=True)

    challenger.refresh_from_db()
    champion.refresh_from_db()
    assert challenger.figures["champion"]["model"] == champion.pk
    assert challenger.figures["auc"] < challenger.figures["champion"]["auc"]
    assert champion.active
    assert not challenger.active


def test_a_better_challenger_is_promoted() -> None:
    population()
    training.choose_features(["company.industry"])
    weak = training.train_now(promote=True)
    training.choose_features([])

    strong = training.train_now(promote=True)

    weak.refresh_from_db()
    strong.refresh_from_db()
    assert strong.figures["auc"] >= strong.figures["champion"]["auc"] + 0.005
    assert strong.active
    assert not weak.active


def test_the_admin_margin_keeps_a_barely_better_model_out() -> None:
    population()
    training.train_now(promote=True)
    LikelihoodSettings.objects.filter(pk=1).update(promote_margin=0.5)

    same = training.train_now(promote=True)

    same.refresh_from_db()
    assert not same.active


def test_a_rollback_restores_the_old_models_scores() -> None:
    population()
    training.choose_features(["company.industry"])
    old = training.train_now(promote=True)
    old_scores = likelihoods()
    training.choose_features([])
    new = training.train_now(promote=True)
    assert likelihoods() != old_scores

    applying.activate(old)

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.active
    assert not new.active
    assert likelihoods() == old_scores
