"""Every move in the funnel: allowed ones write history, everything else writes nothing."""

from datetime import date
from decimal import Decimal

import pytest

from leads.lifecycle import TRANSITIONS, transition
from leads.models import Lead, StageChange
from leads.stages import Stage
from plumbing.errors import IllegalTransition, InvalidInput, NotPermitted, StageConflict
from tests.factories import LeadFactory, UserFactory, lead_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("core_rules_only")]

S = Stage
# Who may make which move, written from DESIGN.md independently of leads/lifecycle.py.
# "rep" owns the lead; "manager" manages the rep's team; admins may make every move.
WHO_MAY = {
    (S.LEAD, S.MQL): {"system", "marketer", "admin"},
    (S.MQL, S.SAL): {"rep", "admin"},
    (S.MQL, S.NURTURE): {"rep", "marketer", "admin"},
    (S.NURTURE, S.LEAD): {"marketer", "admin"},
    (S.NURTURE, S.MQL): {"marketer", "admin"},
    (S.SAL, S.SQL): {"rep", "manager", "admin"},
    (S.SAL, S.NURTURE): {"rep", "manager", "admin"},
    (S.SAL, S.DISQUALIFIED): {"rep", "manager", "admin"},
    (S.SQL, S.CUSTOMER): {"rep", "manager", "admin"},
    (S.SQL, S.NURTURE): {"rep", "manager", "admin"},
    (S.LEAD, S.DISQUALIFIED): {"marketer", "admin"},
    (S.MQL, S.DISQUALIFIED): {"marketer", "admin"},
    (S.NURTURE, S.DISQUALIFIED): {"marketer", "admin"},
}
PERSONAS = [
    "system",
    "marketer",
    "rep",
    "other_rep",
    "manager",
    "other_manager",
    "admin",
    "no_role",
]
ILLEGAL = [(a, b) for a in Stage for b in Stage if (a, b) not in WHO_MAY]


def details_for(target: Stage) -> dict:
    if target == S.CUSTOMER:
        return {"deal_value": Decimal("12000.00"), "closed_at": date(2026, 11, 20)}
    return {}


def persona_user(request: pytest.FixtureRequest, persona: str):  # type: ignore[no-untyped-def]
    if persona == "system":
        return None
    if persona == "no_role":
        return UserFactory(username="nobody")
    return request.getfixturevalue("admin_user" if persona == "admin" else persona)


def test_the_table_is_exactly_the_designed_funnel() -> None:
    assert set(TRANSITIONS) == set(WHO_MAY)


@pytest.mark.parametrize(("source", "target"), list(WHO_MAY))
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_move_succeeds_only_for_the_roles_the_design_allows(
    request: pytest.FixtureRequest, source: Stage, target: Stage, persona: str, rep
) -> None:
    request.getfixturevalue("other_rep")  # the other team exists in every case
    actor = persona_user(request, persona)
    lead = lead_in(source, owner=rep)
    before = StageChange.objects.count()

    if persona in WHO_MAY[(source, target)]:
        change = transition(lead, target, actor=actor, reason="Because", **details_for(target))

        lead.refresh_from_db()
        assert lead.stage == target
        assert (change.from_stage, change.to_stage, change.actor, change.reason) == (
            source,
            target,
            actor,
            "Because",
        )
        assert not change.loaded
        assert StageChange.objects.count() == before + 1
    else:
        with pytest.raises(NotPermitted):
            transition(lead, target, actor=actor, reason="Because", **details_for(target))

        lead.refresh_from_db()
        assert lead.stage == source
        assert StageChange.objects.count() == before


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_a_move_outside_the_table_is_refused_and_writes_nothing(
    source: Stage, target: Stage, admin_user
) -> None:
    lead = lead_in(source)
    before = StageChange.objects.count()

    with pytest.raises(IllegalTransition):
        transition(lead, target, actor=admin_user, reason="Because", **details_for(target))

    lead.refresh_from_db()
    assert lead.stage == source
    assert StageChange.objects.count() == before


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for (s, t) in WHO_MAY if t in (S.NURTURE, S.DISQUALIFIED)],
)
@pytest.mark.parametrize("reason", ["", "   "])
def test_nurture_and_disqualify_need_a_reason(
    source: Stage, target: Stage, reason: str, admin_user
) -> None:
    lead = lead_in(source)

    with pytest.raises(InvalidInput) as refused:
        transition(lead, target, actor=admin_user, reason=reason)

    assert "reason" in refused.value.errors
    assert Lead.objects.get(pk=lead.pk).stage == source


def test_winning_a_deal_needs_its_value_and_close_date(admin_user) -> None:
    lead = lead_in(S.SQL)

    with pytest.raises(InvalidInput) as refused:
        transition(lead, S.CUSTOMER, actor=admin_user)

    assert set(refused.value.errors) == {"deal_value", "closed_at"}


def test_a_won_deal_records_value_and_close_date_on_the_lead(rep) -> None:
    lead = lead_in(S.SQL, owner=rep)

    transition(lead, S.CUSTOMER, actor=rep, deal_value=Decimal("4800"), closed_at=date(2026, 11, 2))

    lead.refresh_from_db()
    assert (lead.stage, lead.deal_value, lead.closed_at) == (
        S.CUSTOMER,
        Decimal("4800.00"),
        date(2026, 11, 2),
    )


def test_a_lead_that_moved_meanwhile_is_a_conflict(marketer) -> None:
    lead = lead_in(S.NURTURE)

    with pytest.raises(StageConflict):
        transition(lead, S.DISQUALIFIED, actor=marketer, reason="Spam", expected_from=S.MQL)

    assert Lead.objects.get(pk=lead.pk).stage == S.NURTURE


def test_an_unknown_stage_is_invalid_input(marketer) -> None:
    lead = lead_in(S.LEAD)

    with pytest.raises(InvalidInput) as refused:
        transition(lead, "won", actor=marketer, reason="x")

    assert "to" in refused.value.errors


def test_creating_a_lead_writes_its_first_history_row() -> None:
    lead = LeadFactory()

    (first,) = lead.history.all()
    assert (first.from_stage, first.to_stage, first.actor) == ("", S.LEAD, None)
    assert lead.stage == S.LEAD
