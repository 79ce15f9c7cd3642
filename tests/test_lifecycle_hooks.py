"""Higher apps reach the core through its hook registry: guards, consistency hooks and
follow-ups, each at its own point of the transaction."""

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from leads import hooks
from leads.lifecycle import transition
from leads.models import Lead, StageChange
from leads.stages import Stage
from plumbing.errors import TransitionRefused
from tests.factories import lead_in


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> hooks.HookRegistry:
    fresh = hooks.HookRegistry()
    monkeypatch.setattr(hooks, "registry", fresh)
    return fresh


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_follow_up_runs_once_after_the_move_commits(registry, marketer) -> None:
    calls: list[tuple[int, str]] = []
    registry.add_follow_up(
        hooks.StageChanged,
        lambda event: calls.extend((c.lead_id, c.to_stage) for c in event.changes),
    )
    lead = lead_in(Stage.LEAD)

    with transaction.atomic():
        transition(lead, Stage.MQL, actor=marketer, reason="Asked for a demo")
        assert calls == []  # not before the commit

    assert calls == [(lead.pk, Stage.MQL)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_follow_up_never_runs_when_the_move_rolls_back(registry, marketer) -> None:
    calls: list[object] = []
    registry.add_follow_up(hooks.StageChanged, calls.append)
    lead = lead_in(Stage.LEAD)

    def move_then_fail() -> None:
        with transaction.atomic():
            transition(lead, Stage.MQL, actor=marketer, reason="Asked for a demo")
            raise RuntimeError("the caller's transaction fails after the move")

    with pytest.raises(RuntimeError):
        move_then_fail()

    assert calls == []
    assert Lead.objects.get(pk=lead.pk).stage == Stage.LEAD


@pytest.mark.django_db
def test_a_failing_consistency_hook_undoes_the_move(registry, marketer) -> None:
    def refuse(event: hooks.StageChanged) -> None:
        raise RuntimeError("other app could not keep its rows consistent")

    registry.add_consistency_hook(hooks.StageChanged, refuse)
    lead = lead_in(Stage.LEAD)
    before = StageChange.objects.count()

    with pytest.raises(RuntimeError):
        transition(lead, Stage.MQL, actor=marketer, reason="Asked for a demo")

    assert Lead.objects.get(pk=lead.pk).stage == Stage.LEAD
    assert StageChange.objects.count() == before


@pytest.mark.django_db
def test_a_guard_sees_the_move_and_can_refuse_it(registry, rep) -> None:
    asked: list[hooks.Move] = []

    def only_by_accepting(move: hooks.Move) -> str | None:
        asked.append(move)
        return "Accept the handoff to make this lead a SAL."

    registry.add_guard(Stage.MQL, Stage.SAL, only_by_accepting)
    lead = lead_in(Stage.MQL, owner=rep)

    with pytest.raises(TransitionRefused, match="Accept the handoff"):
        transition(lead, Stage.SAL, actor=rep)

    assert [(m.lead.pk, m.source, m.target, m.actor) for m in asked] == [
        (lead.pk, Stage.MQL, Stage.SAL, rep)
    ]
    assert Lead.objects.get(pk=lead.pk).stage == Stage.MQL


@pytest.mark.django_db
def test_a_guard_refusal_reaches_the_api_as_409_with_its_reason(registry, rep) -> None:
    registry.add_guard(Stage.MQL, Stage.SAL, lambda move: "Accept the handoff first.")
    lead = lead_in(Stage.MQL, owner=rep)
    client = APIClient()
    client.force_authenticate(rep)

    response = client.post(f"/api/leads/{lead.pk}/transition/", {"to": "sal"}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "Accept the handoff first.", "code": "transition_refused"}
    assert lead.history.count() == 2  # created + loaded mql; no new row


@pytest.mark.django_db
def test_a_guard_that_allows_lets_the_move_through(registry, rep) -> None:
    registry.add_guard(Stage.MQL, Stage.SAL, lambda move: None)
    lead = lead_in(Stage.MQL, owner=rep)

    transition(lead, Stage.SAL, actor=rep)

    assert Lead.objects.get(pk=lead.pk).stage == Stage.SAL
