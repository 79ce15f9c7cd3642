"""The engine on its own: every operator, negative points, caps, decay, normalisation."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from scoring.engine import (
    EventFact,
    FitRuleSpec,
    IntentRuleSpec,
    ModelSpec,
    fit_points,
    grade,
    matches,
    normalise,
    score_lead,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("operator", "fact", "value", "expected"),
    [
        ("equals", "Software", "software", True),
        ("equals", "Software", "Retail", False),
        ("equals", 250, 250, True),
        ("equals", True, "true", True),
        ("equals", None, "x", False),
        ("equals", "", "x", False),
        ("in", "vp", ["VP", "cto"], True),
        ("in", "intern", ["vp", "cto"], False),
        ("in", None, ["vp"], False),
        ("contains", "Head of Marketing", "market", True),
        ("contains", "Head of Sales", "market", False),
        ("ends_with", "ana@Example.com", "@example.COM", True),
        ("ends_with", "ana@gmail.com", "@example.com", False),
        ("gte", 500, 500, True),
        ("gte", 499, 500, False),
        ("gte", "1200", 500, True),
        ("gte", "about 1200", 500, False),
        ("gte", None, 0, False),
        ("lte", Decimal("10.50"), 10.5, True),
        ("lte", 11, 10.5, False),
        ("between", 50, [50, 5000], True),
        ("between", 5000, [50, 5000], True),
        ("between", 5001, [50, 5000], False),
        ("between", "n/a", [50, 5000], False),
        ("is_empty", None, None, True),
        ("is_empty", "", None, True),
        ("is_empty", "x", None, False),
        ("is_empty", 0, None, False),
    ],
)
def test_operators(operator: str, fact: object, value: object, expected: bool) -> None:
    assert matches(operator, fact, value) is expected


def test_fit_adds_the_points_of_every_rule_that_matches_including_negative_ones() -> None:
    rules = [
        FitRuleSpec(1, "company.industry", "equals", "Software", 30, "Software"),
        FitRuleSpec(2, "attributes.seniority", "in", ["vp", "c-level"], 25, "Senior"),
        FitRuleSpec(3, "email", "ends_with", "@gmail.com", -15, "Personal email"),
        FitRuleSpec(4, "company.employees", "gte", 10_000, 40, "Enterprise"),
    ]
    facts = {"company.industry": "software", "attributes.seniority": "VP",
             "email": "ana@gmail.com", "company.employees": 300}  # fmt: skip

    total, fired = fit_points(facts, rules)

    assert total == 30 + 25 - 15
    assert [(c["rule"], c["points"]) for c in fired] == [(1, 30), (2, 25), (3, -15)]


def spec_with(*rules: IntentRuleSpec, points_for_100: int = 100) -> ModelSpec:
    return ModelSpec(version=1, intent_rules=rules, intent_points_for_100=points_for_100)


def test_intent_counts_each_occurrence_up_to_the_cap() -> None:
    spec = spec_with(IntentRuleSpec(1, "pricing_page_visit", points=10, cap=25, label="Pricing"))
    events = [EventFact("pricing_page_visit", NOW, {}) for _ in range(4)]

    score = score_lead(spec, {}, events, at=NOW)

    assert score.intent_points == 25
    assert score.contributions[0]["occurrences"] == 4


def test_a_negative_rule_is_capped_below_zero_and_the_score_never_goes_under_zero() -> None:
    spec = spec_with(
        IntentRuleSpec(1, "demo_request", points=30),
        IntentRuleSpec(2, "unsubscribe", points=-40, cap=20),
    )
    events = [EventFact("demo_request", NOW, {}), EventFact("unsubscribe", NOW, {}),
              EventFact("unsubscribe", NOW, {})]  # fmt: skip

    score = score_lead(spec, {}, events, at=NOW)

    assert score.intent_points == 30 - 20
    assert score_lead(spec, {}, events[1:], at=NOW).intent == 0


def test_old_interest_fades_by_half_every_half_life() -> None:
    spec = spec_with(IntentRuleSpec(1, "demo_request", points=40, half_life_days=30))

    def intent_after(days: float) -> float:
        event = EventFact("demo_request", NOW - timedelta(days=days), {})
        return score_lead(spec, {}, [event], at=NOW).intent_points

    assert intent_after(0) == pytest.approx(40)
    assert intent_after(30) == pytest.approx(20)
    assert intent_after(60) == pytest.approx(10)


def test_a_property_match_narrows_which_events_count() -> None:
    spec = spec_with(
        IntentRuleSpec(1, "page_view", points=10, property_key="url",
                       property_contains="/PRICING")
    )  # fmt: skip
    events = [EventFact("page_view", NOW, {"url": "https://x.test/pricing?plan=pro"}),
              EventFact("page_view", NOW, {"url": "https://x.test/blog"}),
              EventFact("page_view", NOW, {})]  # fmt: skip

    assert score_lead(spec, {}, events, at=NOW).intent_points == 10


@pytest.mark.parametrize(
    ("points", "points_for_100", "expected"),
    [(0, 100, 0), (45, 90, 50), (44.5, 100, 45), (44.4, 100, 44), (250, 100, 100), (-20, 100, 0)],
)
def test_scores_are_normalised_to_0_100(points: float, points_for_100: int, expected: int) -> None:
    assert normalise(points, points_for_100) == expected


@pytest.mark.parametrize(
    ("fit", "intent", "expected"),
    [(100, 100, "A1"), (75, 75, "A1"), (74, 50, "B2"), (50, 49, "B3"), (25, 24, "C4"),
     (0, 0, "D4")],
)  # fmt: skip
def test_grades_follow_the_cut_points(fit: int, intent: int, expected: str) -> None:
    assert grade(fit, intent, ModelSpec(version=1)) == expected


def test_hot_is_about_intent_whatever_the_fit_and_mql_needs_both() -> None:
    spec = ModelSpec(
        version=1, intent_rules=(IntentRuleSpec(1, "demo_request", points=80),),
        fit_rules=(FitRuleSpec(1, "title", "contains", "vp", 70),),
        mql_fit=60, mql_intent=40, hot_intent=70,
    )  # fmt: skip
    demo = [EventFact("demo_request", NOW, {})]

    student = score_lead(spec, {"title": "Student"}, demo, at=NOW)
    vp = score_lead(spec, {"title": "VP Sales"}, demo, at=NOW)

    assert (student.hot, student.qualifies) == (True, False)
    assert (vp.hot, vp.qualifies) == (True, True)


def test_the_learned_score_can_be_part_of_the_mql_rule() -> None:
    spec = ModelSpec(version=1, mql_fit=0, mql_intent=0, use_likelihood=True, mql_likelihood=50)

    assert score_lead(spec, {}, [], at=NOW, likelihood=70).qualifies
    assert not score_lead(spec, {}, [], at=NOW, likelihood=30).qualifies
    assert not score_lead(spec, {}, [], at=NOW, likelihood=None).qualifies
