"""A team's settings can never stop routing: bad time zones and working days are refused
when saved, a bad one saved earlier runs the clock in UTC, and one lead that fails to
route never stops the sweep for the others."""

import pytest
from rest_framework.test import APIClient

from handoff import handoffs, routing
from handoff.handoffs import assign_waiting, send_to_sales
from handoff.models import Handoff, TeamHours
from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


@pytest.mark.parametrize(
    "change",
    [
        {"time_zone": "Europe/Madird"},
        {"time_zone": "[w"},
        {"time_zone": ""},
        {"weekdays": [0, 7]},
        {"weekdays": ["monday"]},
        {"weekdays": {"a": 1}},
        {"weekdays": [True]},
    ],
    ids=repr,
)
def test_team_hours_that_no_clock_can_run_on_are_refused(admin_api, sales_floor, change) -> None:
    body = {"team": sales_floor["team"].pk, "always_on": False, "time_zone": "Europe/Madrid",
            "weekdays": [0, 1, 2, 3, 4], "starts": "09:00", "ends": "18:00", **change}  # fmt: skip

    response = admin_api.post("/api/team-hours/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()) & set(change)
    assert not TeamHours.objects.exists()


def test_good_team_hours_are_saved(admin_api, sales_floor) -> None:
    body = {"team": sales_floor["team"].pk, "always_on": False, "time_zone": "Europe/Madrid",
            "weekdays": [0, 1, 2, 3, 4], "starts": "09:00", "ends": "18:00"}  # fmt: skip
    assert admin_api.post("/api/team-hours/", body, format="json").status_code == 201


def test_a_bad_zone_saved_before_the_check_still_routes_in_utc(sales_floor, marketer) -> None:
    TeamHours.objects.create(
        team=sales_floor["team"], always_on=False, weekdays=[0, 1, 2, 3, 4, 5, 6]
    )
    TeamHours.objects.update(time_zone="Europe/Madird")  # as an unchecked old row

    handoff = send_to_sales(lead_in(Stage.MQL), actor=marketer)

    assert handoff.rep is not None
    assert handoff.due_at is not None


def test_one_lead_that_fails_to_route_does_not_stop_the_others(
    sales_floor, marketer, monkeypatch
) -> None:
    # Two handoffs waiting for a rep; routing the first one blows up.
    leads = [lead_in(Stage.MQL, first_name=name) for name in ("Broken", "Fine")]
    for lead in leads:
        Handoff.objects.create(lead=lead, status=Handoff.Status.PENDING, rep=None)
    real_route = routing.route

    def route(lead, **kwargs):  # type: ignore[no-untyped-def]
        if lead.first_name == "Broken":
            raise RuntimeError("a rule no one can evaluate")
        return real_route(lead, **kwargs)

    monkeypatch.setattr(routing, "route", route)
    monkeypatch.setattr(
        handoffs.HandoffSettings, "current", lambda: type("S", (), {"auto_handoff": False})()
    )

    assert assign_waiting() == 1

    fine = Handoff.objects.get(lead=leads[1], status=Handoff.Status.PENDING)
    assert fine.rep is not None
    assert Handoff.objects.get(lead=leads[0]).rep is None


def test_deleting_a_reject_reason_in_use_is_a_409_and_it_stays(
    admin_api, sales_floor, marketer
) -> None:
    from handoff.handoffs import reject
    from handoff.models import RejectReason

    handoff = send_to_sales(lead_in(Stage.MQL), actor=marketer)
    reason = RejectReason.objects.get(code="bad_timing")
    reject(handoff, actor=handoff.rep, reason=reason.code, note="")

    response = admin_api.delete(f"/api/reject-reasons/{reason.pk}/")

    assert response.status_code == 409
    assert response.json()["code"] == "in_use"
    assert RejectReason.objects.filter(pk=reason.pk).exists()


def test_team_hours_created_with_default_times_answer_in_the_schemas_time_format(
    admin_api, sales_floor
) -> None:
    body = {"team": sales_floor["team"].pk, "always_on": True}

    created = admin_api.post("/api/team-hours/", body, format="json").json()

    assert (created["starts"], created["ends"]) == ("09:00:00", "18:00:00")
