"""The admin's learned-likelihood page: features chosen (leaks refused), training queued
for the worker, models compared, any trained model used again."""

import pytest

from scoring.learning import training
from scoring.models import LikelihoodModel, LikelihoodSettings
from tests.learning_data import population

pytestmark = pytest.mark.django_db


def test_the_page_lists_models_with_their_figures(client, admin_user) -> None:
    population(80)
    model = training.train_now(promote=True)
    client.force_login(admin_user)

    page = client.get("/settings/likelihood/").content.decode()

    assert f"{model.figures['auc']}" in page
    assert 'value="attr.plan"' in page


def test_training_is_queued_for_the_worker(
    client, admin_user, django_capture_on_commit_callbacks
) -> None:
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks() as callbacks:
        client.post("/settings/likelihood/train/", {"kind": "boosting"})

    model = LikelihoodModel.objects.get()
    assert model.kind == LikelihoodModel.Kind.BOOSTING
    assert model.status == LikelihoodModel.Status.TRAINING
    assert len(callbacks) == 1


def test_choosing_a_leaking_feature_is_refused_with_the_reason(client, admin_user) -> None:
    client.force_login(admin_user)

    answer = client.post(
        "/settings/likelihood/features/", {"features": ["attr.plan", "lead.owner"]}, follow=True
    )

    assert "lead.owner" in answer.content.decode()
    assert LikelihoodSettings.current().features == []


def test_the_admin_sets_features_and_margin(client, admin_user) -> None:
    client.force_login(admin_user)

    client.post("/settings/likelihood/features/",
                {"features": ["attr.plan"], "promote_margin": "0.02"})  # fmt: skip

    settings = LikelihoodSettings.current()
    assert settings.features == ["attr.plan"]
    assert settings.promote_margin == 0.02


def test_an_older_model_can_be_used_again(client, admin_user, eager_tasks,
                                          django_capture_on_commit_callbacks) -> None:  # fmt: skip
    population(80)
    old = training.train_now(promote=True)
    training.choose_features(["company.industry"])
    new = training.train_now(promote=False)
    from scoring.learning import applying

    applying.activate(new)
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/settings/likelihood/{old.pk}/activate/")

    old.refresh_from_db()
    assert old.active
