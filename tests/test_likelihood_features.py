"""Learned likelihood features: every kind of column the customer has, read safely."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from leads.lifecycle import transition
from leads.stages import Stage
from scoring.learning import data, training
from scoring.learning.features import (
    OTHER,
    LeakingFeature,
    build_columns,
    column_names,
    default_choice,
    encode,
    parse_number,
    refuse_leaks,
)
from scoring.models import Event, LikelihoodSettings
from tests.factories import CompanyFactory, LeadFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "number"),
    [("1.234,5", 1234.5), ("1,5", 1.5), ("1,234.5", 1234.5), ("12", 12.0), (" 7.25 ", 7.25),
     ("-3,25", -3.25), (42, 42.0), (True, 1.0), ("", None), ("n/a", None), ("30k", None)],
)  # fmt: skip
def test_numbers_are_read_from_text_with_either_decimal_mark(text: object, number: float) -> None:
    assert parse_number(text) == number


def test_every_kind_of_column_becomes_a_candidate_feature() -> None:
    company = CompanyFactory(industry="Software", employees=120, country="ES")
    lead = LeadFactory(
        email="ana@gmail.com",
        company=company,
        source="webinar",
        attributes={"plan": "Pro", "budget": "12.500,00", "trial": True, "tags": ["a"]},
    )
    Event.objects.create(lead=lead, type="demo_request", occurred_at=timezone.now())

    _ids, [raw] = data.rows_for([lead.pk])

    assert raw["lead.source"] == "webinar"
    assert raw["lead.email_domain"] == "personal"
    assert raw["company.industry"] == "Software"
    assert raw["company.employees"] == 120
    assert raw["attr.plan"] == "Pro"
    assert parse_number(raw["attr.budget"]) == 12500.0
    assert raw["attr.trial"] is True
    assert "attr.tags" not in raw  # a list is not a column
    assert raw["events.demo_request"] == 1
    assert raw["events.days_since_last"] < 1


def test_rare_values_are_pooled_and_unseen_ones_land_in_the_same_bin() -> None:
    rows = [{"attr.plan": "pro"}] * 50 + [{"attr.plan": "free"}] * 50 + [{"attr.plan": "odd"}]

    [column] = build_columns(rows, ["attr.plan"])
    matrix = encode([{"attr.plan": "odd"}, {"attr.plan": "never seen"}], [column]).toarray()

    assert column["levels"] == ["pro", "free"]
    other = [label for _f, label in column_names([column])].index(f"attr.plan={OTHER}")
    assert matrix[:, other].tolist() == [1.0, 1.0]


def test_numbers_get_quantile_bins_and_missing_is_its_own_bin() -> None:
    rows = [{"attr.budget": f"{n},5"} for n in range(100)] + [{"attr.budget": None}] * 10

    [column] = build_columns(rows, ["attr.budget"])
    matrix = encode(rows, [column]).toarray()

    assert column["kind"] == "number"
    assert len(column["edges"]) >= 5
    assert matrix.sum(axis=1).tolist() == [1.0] * len(rows)  # exactly one bin each
    assert matrix[-10:, -1].tolist() == [1.0] * 10  # the "missing" column
    assert np.all(matrix[:-10, -1] == 0)


def test_the_default_choice_skips_identifiers_sparse_and_constant_columns() -> None:
    rows = [
        {"attr.plan": ["pro", "free"][i % 2], "attr.uid": f"u{i}", "attr.note": "x" if i < 2
         else None, "attr.same": "a", "events.demo_request": i % 3}
        for i in range(200)
    ]  # fmt: skip

    chosen = default_choice(rows)

    assert "attr.plan" in chosen
    assert "events.demo_request" in chosen
    assert not {"attr.uid", "attr.note", "attr.same"} & set(chosen)


def test_fields_sales_fills_after_the_handoff_are_refused_as_features(admin_user) -> None:
    with pytest.raises(LeakingFeature, match=r"lead\.owner"):
        refuse_leaks(["attr.plan", "lead.owner"])
    with pytest.raises(LeakingFeature):
        training.choose_features(["lead.stage"])
    LikelihoodSettings.objects.update_or_create(pk=1, defaults={"features": ["attr.converted"]})
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(admin_user)
    answer = client.post("/api/likelihood-models/train/")

    assert answer.status_code == 400
    assert "attr.converted" in str(answer.json())


def test_training_counts_only_events_before_the_lead_became_an_mql(marketer) -> None:
    lead = LeadFactory(attributes={"converted": True})
    before = timezone.now() - timedelta(days=3)
    Event.objects.create(lead=lead, type="webinar", occurred_at=before)
    transition(lead, Stage.MQL, actor=marketer, reason="promising")
    for _ in range(4):  # sales calls after the handoff: they must not teach the model
        Event.objects.create(lead=lead, type="webinar", occurred_at=timezone.now() + timedelta(
            minutes=1))  # fmt: skip

    training_set = data.training_set()

    [row] = training_set.rows
    assert row["events.webinar"] == 1
    assert training_set.labels == [1]


def test_sqlite_gives_the_latest_event_time_back_as_a_datetime() -> None:
    """make run's SQLite answers MAX(occurred_at) as text; the features need a time (the
    learned-likelihood page answered 500 there)."""
    from scoring.sql.learning import _moment

    moment = _moment("2026-11-30 10:15:00.123456")

    assert moment.isoformat() == "2026-11-30T10:15:00.123456+00:00"
