"""Query parameters from outside: impossible dates, years near 1 or 9999, offsets past a
day, ids past bigint and owners outside a manager's teams are 4xx, never a 500."""

import pytest
from rest_framework.test import APIClient

from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db

BAD_MOMENTS = [
    "2026-13-45",
    "2026-02-30",
    "2026-11-02T25:00:00",
    "2026-11-02T10:00:00+99:00",
    "0001-01-01",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "1800-01-01",
    "yesterday",
    "x" * 5000,
]


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("name", ["start", "end"])
@pytest.mark.parametrize("value", BAD_MOMENTS)
def test_a_report_with_an_impossible_date_is_a_400(admin_user, name: str, value: str) -> None:
    response = api(admin_user).get("/api/reports/stage-counts/", {name: value})

    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.parametrize("name", ["created_after", "created_before"])
@pytest.mark.parametrize("value", BAD_MOMENTS)
def test_a_lead_list_with_an_impossible_date_is_a_400(admin_user, name: str, value: str) -> None:
    lead_in(Stage.LEAD)
    response = api(admin_user).get("/api/leads/", {name: value})

    assert response.status_code == 400


@pytest.mark.parametrize("name", ["owner", "team", "campaign", "company"])
@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "0", "1e400", "abc"])
def test_a_lead_list_with_an_impossible_id_is_a_400(admin_user, name: str, value: str) -> None:
    assert api(admin_user).get("/api/leads/", {name: value}).status_code == 400


def test_a_good_date_filters_the_list(admin_user) -> None:
    lead_in(Stage.LEAD)
    listed = api(admin_user).get("/api/leads/", {"created_after": "2000-01-01T00:00:00-23:13"})
    assert listed.status_code == 200
    assert len(listed.json()["results"]) == 1


def test_a_manager_reads_only_his_teams_owners_in_reports(manager, rep, other_rep) -> None:
    client = api(manager)
    assert client.get("/api/reports/sla/", {"owner": rep.pk}).status_code == 200
    assert client.get("/api/reports/sla/", {"owner": other_rep.pk}).status_code == 403
