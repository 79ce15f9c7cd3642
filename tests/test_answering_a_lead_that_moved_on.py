"""A rep who answers a lead that moved on meanwhile (an SLA breach or a manager gave it to
someone else) is told so in place of the row — never a 404 page inside the inbox."""

import pytest
from django.test import Client

from handoff.handoffs import reassign, send_to_sales
from handoff.models import Handoff
from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved_on(sales_floor, marketer, manager) -> Handoff:
    handoff = send_to_sales(lead_in(Stage.MQL, first_name="Moved"), actor=marketer)
    other = next(rep for rep in sales_floor["reps"] if rep != handoff.rep)
    reassign(handoff, actor=manager, rep=other)
    handoff.refresh_from_db()
    return handoff


@pytest.mark.parametrize("answer", ["accept", "reject"])
def test_the_old_rep_answering_from_the_inbox_reads_that_the_lead_moved_on(
    client: Client, moved_on: Handoff, answer: str
) -> None:
    client.force_login(moved_on.rep)

    response = client.post(f"/inbox/{moved_on.pk}/{answer}/", {"reason": "bad_timing"},
                           HTTP_HX_REQUEST="true")  # fmt: skip

    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "This lead moved on" in body
    assert Handoff.objects.get(pk=moved_on.pk).status == Handoff.Status.REASSIGNED


def test_a_manager_reassigning_a_lead_that_moved_on_is_told_so(
    client: Client, moved_on: Handoff, manager, sales_floor
) -> None:
    client.force_login(manager)

    response = client.post(f"/team/{moved_on.pk}/reassign/", {"rep": moved_on.rep.pk},
                           follow=True)  # fmt: skip

    assert "This lead moved on" in response.content.decode()
    assert "already answered" not in response.content.decode()


def test_someone_who_never_had_the_handoff_gets_a_404(client: Client, moved_on, other_rep) -> None:
    client.force_login(other_rep)
    assert client.post(f"/inbox/{moved_on.pk}/accept/", HTTP_HX_REQUEST="true").status_code == 404
