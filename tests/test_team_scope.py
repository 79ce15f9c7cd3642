"""A manager's Team page, dashboard and SLA report count his own teams only, and show reps
by their names; an admin sees every team."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from handoff import notify
from handoff.handoffs import send_to_sales
from handoff.models import Delivery, Handoff, RoutingRule
from leads.people import display_name
from leads.roles import Role
from leads.stages import Stage
from tests.factories import UserFactory, lead_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_teams(sales_floor, marketer, other_rep):  # type: ignore[no-untyped-def]
    """One waiting lead in each team, and a breached one last week in the other team."""
    ours = send_to_sales(lead_in(Stage.MQL, first_name="Ours", last_name="Lead"), actor=marketer)
    RoutingRule.objects.all().delete()
    RoutingRule.objects.create(name="North", sla_minutes=10).pool.add(other_rep)
    theirs = send_to_sales(
        lead_in(Stage.MQL, first_name="Theirs", last_name="Lead"), actor=marketer
    )
    breached = send_to_sales(
        lead_in(Stage.MQL, first_name="Late", last_name="Lead"), actor=marketer
    )
    Handoff.objects.filter(pk=breached.pk).update(
        status=Handoff.Status.EXPIRED, created_at=timezone.now() - timedelta(days=2)
    )
    for pk in Delivery.objects.filter(status="pending").values_list("pk", flat=True):
        notify.deliver(pk)
    assert (ours.rep in sales_floor["reps"], theirs.rep) == (True, other_rep)
    return {"ours": ours, "theirs": theirs}


def page_for(user, path: str = "/team/"):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.get(path)


def test_the_manager_sees_only_his_teams_reps_by_name_and_their_waiting_leads(
    two_teams, manager, sales_floor, other_rep
) -> None:
    page = page_for(manager)
    html = page.content.decode()

    for rep in sales_floor["reps"]:
        assert display_name(rep) in html
        assert f">{rep.username}<" not in html
    assert display_name(other_rep) not in html
    assert "Ours Lead" in html
    assert "Theirs Lead" not in html
    assert [h.pk for h in page.context["pending"]] == [two_teams["ours"].pk]


def test_the_managers_sla_figures_leave_other_teams_out(two_teams, manager, other_manager) -> None:
    mine = page_for(manager).context["sla"]
    theirs = page_for(other_manager).context["sla"]

    assert (mine["handoffs"], mine["expired"]) == (1, 0)
    assert (theirs["handoffs"], theirs["expired"]) == (2, 1)
    assert set(theirs["per_rep"]) == {"other_rep"}


def test_every_rep_of_the_team_has_a_row_even_without_handoffs(
    two_teams, manager, sales_floor
) -> None:
    rows = page_for(manager).context["per_rep"]

    assert sorted(row["name"] for row in rows) == sorted(
        display_name(rep) for rep in sales_floor["reps"]
    )


def test_an_admin_sees_every_team(two_teams, admin_user, other_rep) -> None:
    page = page_for(admin_user)

    assert {h.pk for h in page.context["pending"]} == {
        two_teams["ours"].pk,
        two_teams["theirs"].pk,
    }
    assert display_name(other_rep) in page.content.decode()


def test_the_dashboard_and_the_sla_report_are_scoped_the_same_way(
    two_teams, manager, marketer
) -> None:
    api = APIClient()
    api.force_authenticate(manager)
    report = api.get("/api/reports/sla/").json()["data"]
    dashboard = page_for(manager, "/dashboard/").context["sla"]
    api.force_authenticate(marketer)
    everyone = api.get("/api/reports/sla/").json()["data"]

    assert report["handoffs"] == dashboard["handoffs"] == 1
    assert "other_rep" not in report["per_rep"]
    assert everyone["handoffs"] == 3


def test_a_rep_without_a_full_name_is_shown_by_username(sales_floor, manager) -> None:
    nameless = UserFactory(username="jdoe", first_name="", last_name="", role=Role.REP)
    sales_floor["team"].members.add(nameless)

    assert display_name(nameless) == "jdoe"
    assert display_name(sales_floor["reps"][0]) == sales_floor["reps"][0].get_full_name()
    assert "<td>jdoe</td>" in page_for(manager).content.decode()
