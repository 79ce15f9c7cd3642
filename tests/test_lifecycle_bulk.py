"""System moves in bulk and history loaded from elsewhere use the same table."""

from datetime import timedelta

import pytest
from django.utils import timezone

from leads import hooks
from leads.lifecycle import StoryStep, bulk_transition, load_leads
from leads.models import Lead, StageChange
from leads.stages import Stage
from plumbing.errors import IllegalTransition, NotPermitted
from tests.factories import LeadFactory, lead_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("core_rules_only")]


def test_a_bulk_system_move_promotes_only_leads_still_in_the_source_stage(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    registry = hooks.HookRegistry()
    seen: list[list[StageChange]] = []
    registry.add_follow_up(hooks.StageChanged, lambda event: seen.append(list(event.changes)))
    monkeypatch.setattr(hooks, "registry", registry)
    waiting = [LeadFactory() for _ in range(5)]
    moved_elsewhere = lead_in(Stage.DISQUALIFIED)

    with django_capture_on_commit_callbacks(execute=True):
        moved = bulk_transition(
            [lead.pk for lead in [*waiting, moved_elsewhere]],
            Stage.MQL,
            source=Stage.LEAD,
            actor=None,
            reason="Fit 70 ≥ 60 and intent 45 ≥ 40",
            batch_size=2,
        )

    assert sorted(moved) == sorted(lead.pk for lead in waiting)
    assert set(Lead.objects.filter(pk__in=moved).values_list("stage", flat=True)) == {Stage.MQL}
    assert Lead.objects.get(pk=moved_elsewhere.pk).stage == Stage.DISQUALIFIED
    rows = StageChange.objects.filter(to_stage=Stage.MQL)
    assert rows.count() == 5
    assert {(r.from_stage, r.actor_id, r.reason) for r in rows} == {
        (Stage.LEAD, None, "Fit 70 ≥ 60 and intent 45 ≥ 40")
    }
    # Follow-ups ran once per committed batch, covering every move exactly once.
    assert sorted(c.lead_id for batch in seen for c in batch) == sorted(moved)


def test_a_bulk_move_the_system_may_not_make_is_refused(marketer) -> None:
    lead = lead_in(Stage.MQL)

    with pytest.raises(NotPermitted):
        bulk_transition([lead.pk], Stage.SAL, source=Stage.MQL, actor=None, reason="")

    assert Lead.objects.get(pk=lead.pk).stage == Stage.MQL


def test_a_bulk_move_outside_the_table_is_refused(admin_user) -> None:
    lead = LeadFactory()

    with pytest.raises(IllegalTransition):
        bulk_transition([lead.pk], Stage.SQL, source=Stage.LEAD, actor=admin_user, reason="x")


def test_a_rep_cannot_move_leads_in_bulk(rep) -> None:
    lead = lead_in(Stage.MQL, owner=rep)

    with pytest.raises(NotPermitted):
        bulk_transition([lead.pk], Stage.NURTURE, source=Stage.MQL, actor=rep, reason="later")


def test_loaded_history_follows_the_table_and_is_marked_loaded() -> None:
    start = timezone.now() - timedelta(days=3)
    story = [
        StoryStep(Stage.LEAD, start),
        StoryStep(Stage.MQL, start + timedelta(hours=1), "scored"),
        StoryStep(Stage.NURTURE, start + timedelta(hours=5), "bad timing"),
    ]

    (lead,) = load_leads([(Lead(email="old@example.com"), story)], reason="import")

    lead.refresh_from_db()
    assert (lead.stage, lead.created_at, lead.stage_changed_at) == (
        Stage.NURTURE,
        start,
        start + timedelta(hours=5),
    )
    rows = list(
        lead.history.order_by("at").values_list("from_stage", "to_stage", "reason", "loaded")
    )
    assert rows == [
        ("", Stage.LEAD, "import", True),
        (Stage.LEAD, Stage.MQL, "scored", True),
        (Stage.MQL, Stage.NURTURE, "bad timing", True),
    ]


def test_loaded_history_with_an_illegal_step_writes_nothing() -> None:
    start = timezone.now()
    story = [StoryStep(Stage.LEAD, start), StoryStep(Stage.CUSTOMER, start)]

    with pytest.raises(IllegalTransition):
        load_leads([(Lead(email="skip@example.com"), story)], reason="import")

    assert not Lead.objects.filter(email="skip@example.com").exists()
