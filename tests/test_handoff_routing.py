"""Who gets a new MQL: rules in order, strategies, skips, fallback, and nobody."""

import pytest

from handoff.handoffs import assign_waiting, send_to_sales
from handoff.models import Delivery, Handoff, HandoffSettings, RepProfile, RoutingRule
from leads.models import Lead
from leads.roles import Role
from leads.stages import Stage
from tests.factories import CompanyFactory, UserFactory, lead_in

pytestmark = pytest.mark.django_db


def mql(**fields) -> Lead:  # type: ignore[no-untyped-def]
    return lead_in(Stage.MQL, **fields)


def test_round_robin_takes_turns_through_the_pool(sales_floor, marketer) -> None:
    reps = sales_floor["reps"]

    assigned = [send_to_sales(mql(), actor=marketer).rep for _ in range(4)]

    assert assigned == [reps[0], reps[1], reps[2], reps[0]]


def test_least_loaded_picks_the_rep_with_fewest_open_handoffs(sales_floor, marketer) -> None:
    rule = sales_floor["rule"]
    rule.strategy = "least_loaded"
    rule.save()
    first, second, third = sales_floor["reps"]
    spread = [send_to_sales(mql(), actor=marketer).rep for _ in range(3)]
    Handoff.objects.filter(rep=second).update(status=Handoff.Status.ACCEPTED)

    assert spread == [first, second, third]  # equal load: lowest id first
    assert send_to_sales(mql(), actor=marketer).rep == second  # now the least loaded


def test_inactive_out_of_office_and_full_reps_are_skipped(sales_floor, marketer) -> None:
    first, second, third = sales_floor["reps"]
    RepProfile.objects.create(user=first, active=False)
    RepProfile.objects.create(user=second, out_of_office=True)
    RepProfile.objects.create(user=third, capacity=1)

    taken = send_to_sales(mql(), actor=marketer)
    waiting = send_to_sales(mql(), actor=marketer)

    assert taken.rep == third
    assert waiting.rep is None


def test_the_first_matching_rule_routes_and_others_are_ignored(sales_floor, marketer) -> None:
    spain = RoutingRule.objects.create(name="Spain", order=1, countries=["ES"], sla_minutes=3)
    spanish_rep = UserFactory(username="es_rep", role=Role.REP)
    spain.pool.add(spanish_rep)

    spanish = send_to_sales(mql(company=CompanyFactory(country="ES")), actor=marketer)
    french = send_to_sales(mql(company=CompanyFactory(country="FR")), actor=marketer)

    assert (spanish.rep, spanish.rule, spanish.sla_minutes) == (spanish_rep, spain, 3)
    assert french.rule == sales_floor["rule"]


def test_the_fallback_pool_takes_what_no_rule_can(handoff_defaults, marketer, rep) -> None:
    HandoffSettings.current().fallback_pool.add(rep)

    handoff = send_to_sales(mql(), actor=marketer)

    assert (handoff.rep, handoff.rule) == (rep, None)
    assert Lead.objects.get(pk=handoff.lead_id).owner == rep


def test_with_no_rep_available_the_handoff_waits_and_managers_are_told(
    handoff_defaults, marketer, manager
) -> None:
    lead = mql()

    handoff = send_to_sales(lead, actor=marketer)

    assert (handoff.rep, handoff.status) == (None, Handoff.Status.PENDING)
    told = Delivery.objects.filter(handoff=handoff, kind="no_rep", channel="in_app")
    assert list(told.values_list("user", flat=True)) == [manager.pk]


def test_a_waiting_handoff_is_assigned_once_a_rep_is_free(handoff_defaults, marketer, rep) -> None:
    waiting = send_to_sales(mql(), actor=marketer)
    HandoffSettings.current().fallback_pool.add(rep)

    assert assign_waiting() >= 1

    waiting.refresh_from_db()
    assert waiting.status == Handoff.Status.REASSIGNED
    new = Handoff.objects.get(lead=waiting.lead, status=Handoff.Status.PENDING)
    assert (new.rep, new.previous) == (rep, waiting)


def test_only_mqls_go_to_sales_and_only_once(sales_floor, marketer) -> None:
    from plumbing.errors import Conflict

    lead = mql()
    send_to_sales(lead, actor=marketer)

    with pytest.raises(Conflict):
        send_to_sales(lead, actor=marketer)
    with pytest.raises(Conflict):
        send_to_sales(lead_in(Stage.LEAD), actor=marketer)


def test_while_nobody_has_room_the_sweep_stops_at_the_first_waiting_handoff(
    handoff_defaults, marketer, manager, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        send_to_sales(mql(), actor=marketer)  # every pool is empty: each one waits
    with CaptureQueriesContext(connection) as few:
        assert assign_waiting() == 0
    for _ in range(20):
        send_to_sales(mql(), actor=marketer)

    # Seven times as many waiting: the same work (it used to route each one, every minute).
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert assign_waiting() == 0
    assert Handoff.objects.filter(status=Handoff.Status.PENDING, rep__isnull=True).count() == 23
