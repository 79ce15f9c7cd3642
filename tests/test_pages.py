import pytest
from django.test import Client

from leads.stages import Stage
from tests.factories import UserFactory, lead_in


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_login_page_has_username_and_password_fields(client: Client) -> None:
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_liveness_answers_without_login(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_after_login_a_rep_sees_only_their_leads_with_stage_counts(
    client: Client, rep, other_rep
) -> None:
    mine = lead_in(Stage.SAL, owner=rep, first_name="Mine")
    lead_in(Stage.SAL, owner=other_rep, first_name="Theirs")

    client.post("/accounts/login/", {"username": "rep", "password": "secret-pass-123"})
    landing = client.get("/")
    response = client.get("/leads/")

    assert landing["Location"] == "/inbox/"  # a rep starts at their inbox
    assert response.status_code == 200
    page = response.content.decode()
    assert mine.email in page
    assert "Theirs" not in page
    assert [(s.value, n) for s, n in response.context["stage_counts"] if n] == [("sal", 1)]


@pytest.mark.django_db
def test_a_user_without_a_role_is_refused(client: Client) -> None:
    client.force_login(UserFactory(username="nobody"))

    assert client.get("/leads/").status_code == 403


@pytest.mark.django_db
def test_the_list_filters_by_stage_and_search(client: Client, marketer) -> None:
    lead_in(Stage.MQL, first_name="Quentin")
    lead_in(Stage.LEAD, first_name="Quentin")
    client.force_login(marketer)

    response = client.get("/leads/?stage=mql&q=quentin")

    assert [lead.stage for lead in response.context["leads"]] == [Stage.MQL]
