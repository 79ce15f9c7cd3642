"""The admin's learned likelihood, on the pages only: from the scoring page she opens the
learned likelihood, trains a model on the leads' own columns (a real worker fits it while
the page shows its progress), sees it become the active model with its hold-out figures,
opens an undecided lead and reads why it got its likelihood (its own columns, with the
model's number), trains a second model and uses it, then rolls back to the first."""

import re

import pytest
from playwright.sync_api import expect

from leads.models import Lead
from scoring.models import LikelihoodModel
from tests.learning_data import open_lead, population

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TRAINING_DEADLINE_MS = 60_000


@pytest.fixture
def leads_with_outcomes(admin_user, active_model) -> Lead:
    """160 leads whose plan and budget drove conversion, and one still undecided."""
    population()
    return open_lead(plan="pro", budget="80.000,00")


def model_row(page, number: int):  # type: ignore[no-untyped-def]
    return page.locator("#likelihood-models tbody tr").filter(
        has=page.get_by_text(re.compile(rf"^{number} ·"))
    )


def test_an_admin_trains_uses_and_rolls_back_a_learned_likelihood(
    journey, leads_with_outcomes, celery_worker
) -> None:
    page, t = journey.page, journey.t
    journey.log_in("admin")  # an admin starts on the scoring page
    page.get_by_role("link", name=t("Learned likelihood", "Probabilidad aprendida")).click()
    page.get_by_role("heading", name=t("Learned likelihood", "Probabilidad aprendida")).wait_for()
    expect(page.get_by_text(t("No model trained yet.", "Aún no hay ningún modelo entrenado.")))
    # The customer's own columns are offered as features.
    expect(page.locator("input[name=features][value*=plan]")).to_have_count(1)
    journey.check()

    page.get_by_role(
        "button", name=t("Train a logistic model", "Entrenar un modelo logístico")
    ).click()
    first = model_row(page, LikelihoodModel.objects.get().pk)
    active = t("Active", "Activo")
    expect(first.get_by_text(active, exact=True)).to_be_visible(timeout=TRAINING_DEADLINE_MS)
    expect(first.locator("td").nth(2)).to_contain_text(re.compile(r"0[.,]\d+"))
    journey.check()

    # The undecided lead has a likelihood, and its page says why, from its own columns.
    journey.visit(f"/leads/{leads_with_outcomes.pk}/")
    first_number = LikelihoodModel.objects.get().pk
    why = page.locator("details.likelihood-why")
    expect(why).to_contain_text(str(first_number))
    why.locator("summary").click()
    expect(why).to_contain_text("plan")
    journey.check()

    # A second model, used by hand; then the first one again (a rollback).
    journey.visit("/settings/likelihood/")
    page.get_by_role(
        "button", name=t("Train a logistic model", "Entrenar un modelo logístico")
    ).click()
    second = model_row(page, LikelihoodModel.objects.order_by("-pk").first().pk)
    use = t("Use this model", "Usar este modelo")
    ready_or_active = second.get_by_role("button", name=use).or_(
        second.get_by_text(active, exact=True)
    )
    expect(ready_or_active).to_be_visible(timeout=TRAINING_DEADLINE_MS)
    if second.get_by_role("button", name=use).count():
        second.get_by_role("button", name=use).click()
    expect(second.get_by_text(active, exact=True)).to_be_visible(timeout=TRAINING_DEADLINE_MS)

    first = model_row(page, first_number)
    first.get_by_role("button", name=use).click()
    expect(first.get_by_text(active, exact=True)).to_be_visible(timeout=TRAINING_DEADLINE_MS)
    journey.check()
    assert LikelihoodModel.objects.get(active=True).pk == first_number
