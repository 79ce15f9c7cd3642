"""Two people acting on one lead at once never both succeed by accident."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from leads.api.views import LeadViewSet
from leads.models import StageChange
from leads.stages import Stage
from tests.factories import lead_in


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_overlapping_moves_with_the_same_from_one_wins_one_gets_409(
    marketer, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = lead_in(Stage.MQL)
    before = StageChange.objects.filter(lead=lead).count()
    both_have_read = threading.Barrier(2, timeout=15)
    original_get_object = LeadViewSet.get_object

    def get_object_then_wait(self: LeadViewSet):  # type: ignore[no-untyped-def]
        found = original_get_object(self)
        both_have_read.wait()  # both requests hold the lead before either locks it
        return found

    monkeypatch.setattr(LeadViewSet, "get_object", get_object_then_wait)
    statuses: dict[str, int] = {}

    def move(target: Stage) -> None:
        client = APIClient()
        client.force_authenticate(marketer)
        try:
            response = client.post(
                f"/api/leads/{lead.pk}/transition/",
                {"to": target, "from": "mql", "reason": "Duplicate request test"},
                format="json",
            )
            statuses[target] = response.status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(t,)) for t in (Stage.NURTURE, Stage.DISQUALIFIED)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses.values()) == [200, 409]
    lead.refresh_from_db()
    winner = next(target for target, status in statuses.items() if status == 200)
    assert lead.stage == winner
    assert StageChange.objects.filter(lead=lead).count() == before + 1


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_answers_to_one_handoff_at_once_one_wins(sales_floor, marketer, admin_user) -> None:
    from handoff.handoffs import accept, reject, send_to_sales
    from handoff.models import Handoff
    from plumbing.errors import Conflict

    handoff = send_to_sales(lead_in(Stage.MQL), actor=marketer)
    both_have_read = threading.Barrier(2, timeout=15)
    outcomes: dict[str, str] = {}

    def answer(name: str) -> None:
        try:
            seen = Handoff.objects.get(pk=handoff.pk)
            both_have_read.wait()
            if name == "accept":
                accept(seen, actor=seen.rep)
            else:
                reject(seen, actor=admin_user, reason="no_budget")
            outcomes[name] = "won"
        except Conflict:
            outcomes[name] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(n,)) for n in ("accept", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["conflict", "won"]
    final = Handoff.objects.get(pk=handoff.pk).status
    winner = next(name for name, result in outcomes.items() if result == "won")
    assert final == {"accept": "accepted", "reject": "rejected"}[winner]
