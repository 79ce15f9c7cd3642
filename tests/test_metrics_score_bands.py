"""Conversion by score band: a hand-built set whose answers are worked out here, and the
SQL outcome rule held to the Python one."""

import pytest

from leads.models import Lead
from leads.stages import Stage
from scoring import metrics
from scoring.models import LeadScore
from scoring.outcomes import outcome
from scoring.sql.rows import outcome_expression
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


def scored(stage: Stage, grade: str, likelihood: int | None, **fields) -> Lead:  # type: ignore[no-untyped-def]
    lead = lead_in(stage, **fields)
    LeadScore.objects.update_or_create(lead=lead, defaults={"model_version": 1, "grade": grade})
    Lead.objects.filter(pk=lead.pk).update(likelihood=likelihood)
    return lead


@pytest.fixture
def known_outcomes(marketer) -> None:  # type: ignore[no-untyped-def]
    scored(Stage.CUSTOMER, "A1", 95)
    scored(Stage.CUSTOMER, "A1", 100)
    scored(Stage.DISQUALIFIED, "A1", 91)
    scored(Stage.DISQUALIFIED, "C3", 12)
    scored(Stage.LEAD, "C3", 15, attributes={"converted": "Yes"})  # imported outcome wins
    scored(Stage.CUSTOMER, "B2", None, attributes={"converted": False})
    scored(Stage.MQL, "A1", 99)  # no outcome yet: not counted


def test_conversion_by_grade_and_likelihood_decile(known_outcomes) -> None:
    bands = metrics.conversion_by_band()

    assert bands["grades"] == [
        {"band": "A1", "leads": 3, "converted": 2, "rate": 0.6667},
        {"band": "B2", "leads": 1, "converted": 0, "rate": 0.0},
        {"band": "C3", "leads": 2, "converted": 1, "rate": 0.5},
    ]
    assert bands["likelihood_deciles"] == [
        {"band": "10-19", "leads": 2, "converted": 1, "rate": 0.5},
        {"band": "90-100", "leads": 3, "converted": 2, "rate": 0.6667},
    ]


def test_the_sql_and_python_paths_count_the_same(known_outcomes) -> None:
    leads = Lead.objects.all()
    assert metrics._bands_in_sql(leads) == metrics._bands_in_python(leads)


@pytest.mark.parametrize(
    ("stage", "attributes"),
    [
        (Stage.CUSTOMER, {}),
        (Stage.DISQUALIFIED, {}),
        (Stage.SQL, {}),
        (Stage.SQL, {"converted": True}),
        (Stage.CUSTOMER, {"converted": False}),
        (Stage.LEAD, {"converted": "YES"}),
        (Stage.LEAD, {"converted": "0"}),
        (Stage.CUSTOMER, {"converted": "maybe"}),
        (Stage.DISQUALIFIED, {"converted": 1}),  # a number is not an answer: the stage is
    ],
)
def test_outcome_in_sql_matches_the_python_rule(stage, attributes, marketer) -> None:  # type: ignore[no-untyped-def]
    lead = lead_in(stage, attributes=attributes)
    in_sql = (
        Lead.objects.filter(pk=lead.pk)
        .annotate(result=outcome_expression())
        .values_list("result", flat=True)
        .get()
    )
    assert in_sql == outcome(stage, attributes)
