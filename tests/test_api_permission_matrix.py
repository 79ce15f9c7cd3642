"""Who gets what from the leads API: every persona against list, detail, update, move.

The lead belongs to "rep", whose team "manager" runs; "other_rep" and "other_manager" are
on another team. Reps see their own leads, managers their team's, marketers and admins all.
"""

import pytest
from rest_framework.test import APIClient

from leads.stages import Stage
from tests.factories import UserFactory, lead_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("core_rules_only")]

PERSONAS = [
    "anonymous",
    "no_role",
    "marketer",
    "rep",
    "other_rep",
    "manager",
    "other_manager",
    "admin",
]

EXPECTED = {
    # persona: (sees it in the list, detail, update, move SAL → SQL)
    "anonymous": (None, 401, 401, 401),
    "no_role": (None, 403, 403, 403),
    "marketer": (True, 200, 200, 403),
    "rep": (True, 200, 200, 200),
    "other_rep": (False, 404, 404, 404),
    "manager": (True, 200, 200, 200),
    "other_manager": (False, 404, 404, 404),
    "admin": (True, 200, 200, 200),
}


@pytest.fixture
def as_persona(request: pytest.FixtureRequest, rep, other_rep):  # type: ignore[no-untyped-def]
    def client_for(persona: str) -> APIClient:
        client = APIClient()
        if persona == "no_role":
            client.force_authenticate(UserFactory(username="nobody"))
        elif persona != "anonymous":
            fixture = "admin_user" if persona == "admin" else persona
            client.force_authenticate(request.getfixturevalue(fixture))
        return client

    return client_for


@pytest.mark.parametrize("persona", PERSONAS)
def test_list(persona: str, as_persona, rep) -> None:
    lead = lead_in(Stage.SAL, owner=rep)

    response = as_persona(persona).get("/api/leads/")

    listed, *_ = EXPECTED[persona]
    if listed is None:
        assert response.status_code == EXPECTED[persona][1]
    else:
        assert response.status_code == 200
        ids = [row["id"] for row in response.json()["results"]]
        assert (lead.pk in ids) is listed


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail(persona: str, as_persona, rep) -> None:
    lead = lead_in(Stage.SAL, owner=rep)

    response = as_persona(persona).get(f"/api/leads/{lead.pk}/")

    assert response.status_code == EXPECTED[persona][1]


@pytest.mark.parametrize("persona", PERSONAS)
def test_update(persona: str, as_persona, rep) -> None:
    lead = lead_in(Stage.SAL, owner=rep)

    response = as_persona(persona).patch(
        f"/api/leads/{lead.pk}/", {"title": "Chief Revenue Officer"}, format="json"
    )

    assert response.status_code == EXPECTED[persona][2]
    lead.refresh_from_db()
    assert (lead.title == "Chief Revenue Officer") is (response.status_code == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_transition(persona: str, as_persona, rep) -> None:
    lead = lead_in(Stage.SAL, owner=rep)

    response = as_persona(persona).post(
        f"/api/leads/{lead.pk}/transition/", {"to": "sql", "from": "sal"}, format="json"
    )

    assert response.status_code == EXPECTED[persona][3]
    lead.refresh_from_db()
    assert lead.stage == (Stage.SQL if response.status_code == 200 else Stage.SAL)


def test_a_rep_may_not_reassign_their_lead(as_persona, rep, other_rep) -> None:
    lead = lead_in(Stage.SAL, owner=rep)

    response = as_persona("rep").patch(
        f"/api/leads/{lead.pk}/", {"owner": other_rep.pk}, format="json"
    )

    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.owner == rep


def test_a_manager_may_reassign_within_reach(as_persona, rep, manager) -> None:
    lead = lead_in(Stage.SAL, owner=rep)

    response = as_persona("manager").patch(
        f"/api/leads/{lead.pk}/", {"owner": manager.pk}, format="json"
    )

    assert response.status_code == 200
    lead.refresh_from_db()
    assert lead.owner == manager


def test_only_marketers_and_admins_create_leads(as_persona) -> None:
    for persona, expected in [("rep", 403), ("manager", 403), ("marketer", 201), ("admin", 201)]:
        response = as_persona(persona).post(
            "/api/leads/", {"email": f"{persona}-made@example.com"}, format="json"
        )
        assert response.status_code == expected, persona


def test_a_manager_may_not_give_a_lead_outside_his_teams(
    as_persona, rep, manager, other_rep, other_manager, admin_user
) -> None:
    """The same rule as a handoff's reassignment: a manager gives leads only to people in
    his teams — not another team's rep, another manager, or an admin."""
    lead = lead_in(Stage.SAL, owner=rep)

    for outsider in (other_rep, other_manager, admin_user):
        response = as_persona("manager").patch(
            f"/api/leads/{lead.pk}/", {"owner": outsider.pk}, format="json"
        )
        assert response.status_code in (400, 403), outsider.username
    other_team = other_rep.teams.get()
    response = as_persona("manager").patch(
        f"/api/leads/{lead.pk}/", {"team": other_team.pk}, format="json"
    )
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.owner == rep
    assert as_persona("other_rep").get(f"/api/leads/{lead.pk}/").status_code == 404


def test_nobody_makes_an_admin_or_a_marketer_a_lead_owner(
    as_persona, rep, marketer, admin_user
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)

    for target in (admin_user, marketer):
        response = as_persona("admin").patch(
            f"/api/leads/{lead.pk}/", {"owner": target.pk}, format="json"
        )
        assert response.status_code == 400
        assert "owner" in response.json()
