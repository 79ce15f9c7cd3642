"""The core's numbers on a small hand-built funnel whose answers are worked out here."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from leads.lifecycle import StoryStep, load_leads
from leads.models import Lead, SalesCost, SpendEntry
from leads.reports.metrics import (
    Filters,
    conversion_by_cohort,
    conversion_by_period,
    cost_per_stage,
    stage_counts,
    time_in_stage,
)
from leads.stages import Stage
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

NOV = datetime(2026, 11, 1, tzinfo=UTC)
DEC = datetime(2026, 12, 1, tzinfo=UTC)


def story(*steps: tuple[Stage, datetime]) -> list[StoryStep]:
    return [StoryStep(stage, at) for stage, at in steps]


@pytest.fixture
def funnel():  # type: ignore[no-untyped-def]
    """Four November leads from two campaigns:
    a: lead 2 Nov → MQL 3 Nov → SAL 3 Nov +2h → SQL 5 Nov → customer 10 Nov  (webinar)
    b: lead 4 Nov → MQL 6 Nov → nurture 7 Nov                                (webinar)
    c: lead 20 Nov → MQL 30 Nov 23:59:59.999999 (the last instant of November) (ads)
    d: lead 30 Oct → MQL 1 Dec 00:00 (the first instant of December)          (ads)
    """
    webinar = CampaignFactory(name="Webinar", channel="webinars")
    ads = CampaignFactory(name="Ads", channel="paid_search")
    last = DEC - timedelta(microseconds=1)
    load_leads(
        [
            (
                Lead(email="a@x.example", campaign=webinar),
                story(
                    (Stage.LEAD, NOV + timedelta(days=1)),
                    (Stage.MQL, NOV + timedelta(days=2)),
                    (Stage.SAL, NOV + timedelta(days=2, hours=2)),
                    (Stage.SQL, NOV + timedelta(days=4)),
                    (Stage.CUSTOMER, NOV + timedelta(days=9)),
                ),
            ),
            (
                Lead(email="b@x.example", campaign=webinar),
                story(
                    (Stage.LEAD, NOV + timedelta(days=3)),
                    (Stage.MQL, NOV + timedelta(days=5)),
                    (Stage.NURTURE, NOV + timedelta(days=6)),
                ),
            ),
            (
                Lead(email="c@x.example", campaign=ads),
                story((Stage.LEAD, NOV + timedelta(days=19)), (Stage.MQL, last)),
            ),
            (
                Lead(email="d@x.example", campaign=ads),
                story((Stage.LEAD, NOV - timedelta(days=2)), (Stage.MQL, DEC)),
            ),
        ],
        reason="test",
    )
    return {"webinar": webinar, "ads": ads}


def test_stage_counts_at_a_date(funnel) -> None:
    counts = stage_counts(NOV + timedelta(days=5, hours=12))  # 6 Nov 12:00

    assert {k: v for k, v in counts.items() if v} == {"lead": 1, "mql": 1, "sql": 1}
    assert stage_counts(DEC - timedelta(microseconds=1))["mql"] == 1  # c, at the last instant
    assert stage_counts(DEC)["mql"] == 2  # d joins at the first instant of December


def test_conversion_by_cohort(funnel) -> None:
    rows = {(r["from"], r["to"]): r for r in conversion_by_cohort(NOV, DEC)}

    # Cohort: a, b, c (d was created in October).
    assert (rows[("lead", "mql")]["count"], rows[("lead", "mql")]["converted"]) == (3, 3)
    assert rows[("lead", "mql")]["rate"] == 1.0
    assert rows[("mql", "sal")]["rate"] == round(1 / 3, 4)
    assert rows[("sal", "sql")]["rate"] == 1.0
    assert rows[("sql", "customer")]["rate"] == 1.0


def test_conversion_by_period_counts_moves_inside_the_period_only(funnel) -> None:
    rows = {(r["from"], r["to"]): r for r in conversion_by_period(NOV, DEC)}

    assert rows[("mql", "sal")]["count"] == 3  # into MQL in November: a, b, c (not d)
    assert rows[("mql", "sal")]["converted"] == 1
    assert rows[("lead", "mql")]["count"] == 3  # a, b, c created in November


def test_time_in_stage_median_and_p90(funnel) -> None:
    result = time_in_stage(NOV, DEC)

    assert result["mql"]["moves"] == 2  # a (2 h) and b (24 h); c has not moved on
    assert result["mql"]["median_hours"] == 13.0
    assert result["mql"]["p90_hours"] == 21.8
    assert result["sal"] == {"moves": 1, "median_hours": 46.0, "p90_hours": 46.0}
    assert result["disqualified"] == {"moves": 0, "median_hours": None, "p90_hours": None}


def test_time_in_stage_filtered_counts_stays_that_began_in_the_period(funnel) -> None:
    # From 5 Nov, webinar leads only: a's SQL stay (5 → 10 Nov) and b's MQL stay (6 → 7 Nov)
    # began in the period; b's lead stay and a's SAL stay began before it and do not count.
    result = time_in_stage(NOV + timedelta(days=4), DEC, Filters(campaign=funnel["webinar"].pk))

    assert result["sql"] == {"moves": 1, "median_hours": 120.0, "p90_hours": 120.0}
    assert result["mql"] == {"moves": 1, "median_hours": 24.0, "p90_hours": 24.0}
    assert result["lead"]["moves"] == result["sal"]["moves"] == 0


def test_cost_per_stage_by_campaign_and_channel(funnel) -> None:
    webinar, ads = funnel["webinar"], funnel["ads"]
    SpendEntry.objects.create(
        campaign=webinar,
        amount=Decimal("3000"),
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 30),
    )
    # Half of this entry falls in November: 1,000 of 2,000.
    SpendEntry.objects.create(
        campaign=ads,
        amount=Decimal("2000"),
        starts_on=date(2026, 11, 16),
        ends_on=date(2026, 12, 15),
    )

    by_campaign = {r["campaign"]: r for r in cost_per_stage(NOV, DEC)}
    by_channel = {r["channel"]: r for r in cost_per_stage(NOV, DEC, by="channel")}

    webinar_row = by_campaign[webinar.pk]
    assert (webinar_row["spend"], webinar_row["leads"], webinar_row["cost_per_lead"]) == (
        Decimal("3000.00"),
        2,
        Decimal("1500.00"),
    )
    assert (webinar_row["sqls"], webinar_row["cost_per_sql"]) == (1, Decimal("3000.00"))
    assert (webinar_row["customers"], webinar_row["cost_per_customer"]) == (1, Decimal("3000.00"))
    ads_row = by_campaign[ads.pk]
    assert (ads_row["spend"], ads_row["mqls"], ads_row["cost_per_mql"]) == (
        Decimal("1000.00"),
        1,
        Decimal("1000.00"),
    )
    assert by_channel["paid_search"]["spend"] == Decimal("1000.00")


def test_zero_spend_or_zero_sqls_is_n_a_not_an_error(funnel) -> None:
    rows = {r["campaign"]: r for r in cost_per_stage(NOV, DEC)}

    assert rows[funnel["ads"].pk]["cost_per_sql"] is None  # no SQLs
    assert rows[funnel["webinar"].pk]["cost_per_lead"] is None  # no spend entered


def test_sales_cost_counts_in_the_total_when_asked(funnel) -> None:
    SalesCost.objects.create(
        amount=Decimal("600"), starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30)
    )

    total = cost_per_stage(NOV, DEC, include_sales=True)[-1]

    assert (total["campaign"], total["sales_cost"], total["leads"]) == ("all", Decimal("600.00"), 3)
    assert total["cost_per_lead"] == Decimal("200.00")


def test_filters_narrow_every_number(funnel) -> None:
    only_ads = Filters(campaign=funnel["ads"].pk)

    assert conversion_by_cohort(NOV, DEC, only_ads)[0]["count"] == 1
    assert stage_counts(DEC, only_ads)["mql"] == 2
