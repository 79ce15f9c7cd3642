"""The lead lifecycle: the transition table and the only functions that write a stage.

Every move goes through ``transition`` (one lead, row-locked) or ``bulk_transition``
(system moves, set-based); history that happened elsewhere comes in through
``load_leads``. Each writes one ``StageChange`` row per move in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leads import access, hooks, system_texts
from leads.models import Lead, StageChange
from leads.phones import phone_key
from leads.reports import rollups
from leads.roles import Actor, Role, roles_of
from leads.stages import Stage
from leads.system_texts import Stored
from plumbing.batching import batched
from plumbing.errors import (
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    StageConflict,
    TransitionRefused,
)

# Why a move was made: what a person typed (kept as typed), or a system text stored as a
# code and parameters and read in the reader's language (leads.system_texts).
Reason = str | Stored


@dataclass(frozen=True)
class Rule:
    """Who may make a move and what it needs. Admins may make every move in the table."""

    roles: frozenset[Role] = frozenset()
    system: bool = False  # scoring and other automatic moves (actor None)
    needs_reason: bool = False
    needs_deal: bool = False  # deal value and close date


_MARKETER = frozenset({Role.MARKETER})
_REP = frozenset({Role.REP})
_SALES = frozenset({Role.REP, Role.MANAGER})  # the owner rep or their manager

# The funnel as data (DESIGN.md, "who may make which move"). A pair not listed is illegal.
TRANSITIONS: dict[tuple[Stage, Stage], Rule] = {
    (Stage.LEAD, Stage.MQL): Rule(_MARKETER, system=True, needs_reason=True),
    (Stage.MQL, Stage.SAL): Rule(_REP),
    (Stage.MQL, Stage.NURTURE): Rule(_REP | _MARKETER, needs_reason=True),
    (Stage.NURTURE, Stage.LEAD): Rule(_MARKETER, needs_reason=True),
    (Stage.NURTURE, Stage.MQL): Rule(_MARKETER, needs_reason=True),
    (Stage.SAL, Stage.SQL): Rule(_SALES),
    (Stage.SAL, Stage.NURTURE): Rule(_SALES, needs_reason=True),
    (Stage.SAL, Stage.DISQUALIFIED): Rule(_SALES, needs_reason=True),
    (Stage.SQL, Stage.CUSTOMER): Rule(_SALES, needs_deal=True),
    (Stage.SQL, Stage.NURTURE): Rule(_SALES, needs_reason=True),
    (Stage.LEAD, Stage.DISQUALIFIED): Rule(_MARKETER, needs_reason=True),
    (Stage.MQL, Stage.DISQUALIFIED): Rule(_MARKETER, needs_reason=True),
    (Stage.NURTURE, Stage.DISQUALIFIED): Rule(_MARKETER, needs_reason=True),
}


def next_stages(stage: str) -> list[Stage]:
    return [target for (source, target) in TRANSITIONS if source == stage]


def rule_for(source: str, target: str) -> Rule:
    rule = TRANSITIONS.get((Stage(source), Stage(target)))
    if rule is None:
        raise IllegalTransition(
            _("A lead cannot move from %(source)s to %(target)s.")
            % {"source": Stage(source).label, "target": Stage(target).label}
        )
    return rule


def may_make(actor: Actor, lead: Lead, rule: Rule) -> bool:
    if actor is None:
        return rule.system
    roles = roles_of(actor)
    if Role.ADMIN in roles or (Role.MARKETER in roles and Role.MARKETER in rule.roles):
        return True
    if Role.REP in roles and Role.REP in rule.roles and lead.owner_id == actor.pk:
        return True
    return Role.MANAGER in roles and Role.MANAGER in rule.roles and access.manages(actor, lead)


def allowed_moves(actor: Actor, lead: Lead) -> list[Stage]:
    """The stages ``actor`` may move ``lead`` to now, by table and role (guards aside)."""
    return [t for t in next_stages(lead.stage) if may_make(actor, lead, rule_for(lead.stage, t))]


def _parse_stage(value: str, *, field: str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        raise InvalidInput({field: [_("“%(value)s” is not a stage.") % {"value": value}]}) from None


def _check_details(
    rule: Rule, *, reason: str, deal_value: Decimal | None, closed_at: date | None
) -> None:
    errors: dict[str, list[str]] = {}
    if rule.needs_reason and not reason:
        errors["reason"] = [_("Say why: this move needs a reason.")]
    if rule.needs_deal:
        if deal_value is None:
            errors["deal_value"] = [_("A won deal needs its value.")]
        elif deal_value < 0:
            errors["deal_value"] = [_("A deal value cannot be negative.")]
        if closed_at is None:
            errors["closed_at"] = [_("A won deal needs its close date.")]
    if errors:
        raise InvalidInput(errors)


def transition(
    lead: Lead,
    to: str,
    *,
    actor: Actor,
    reason: Reason = "",
    expected_from: str | None = None,
    deal_value: Decimal | None = None,
    closed_at: date | None = None,
) -> StageChange:
    """Move one lead. Raises IllegalTransition, StageConflict, NotPermitted, InvalidInput
    or TransitionRefused, and then writes nothing."""
    target = _parse_stage(to, field="to")
    expected = _parse_stage(expected_from, field="from") if expected_from else None
    why = system_texts.fields_for(reason)
    with transaction.atomic():
        # Lock the row and read its stage inside the lock: two people acting on one lead
        # queue here, and the second sees the first one's move.
        current = Lead.objects.select_for_update().get(pk=lead.pk)
        if expected is not None and current.stage != expected:
            raise StageConflict(
                _("This lead is now %(stage)s, not %(expected)s: someone moved it meanwhile.")
                % {"stage": Stage(current.stage).label, "expected": expected.label}
            )
        rule = rule_for(current.stage, target)
        if not may_make(actor, current, rule):
            raise NotPermitted(_("Your role may not make this move on this lead."))
        _check_details(rule, reason=why["reason"], deal_value=deal_value, closed_at=closed_at)
        move = hooks.Move(
            lead=current, source=current.stage, target=target, actor=actor, reason=why["reason"]
        )
        refusal = hooks.registry.refusal(move)
        if refusal:
            raise TransitionRefused(refusal)

        now = timezone.now()
        changes: dict[str, Any] = {"stage": target, "stage_changed_at": now}
        if rule.needs_deal:
            changes |= {"deal_value": deal_value, "closed_at": closed_at}
        Lead.objects.filter(pk=current.pk).update(**changes)
        change = StageChange.objects.create(
            lead=current,
            from_stage=current.stage,
            to_stage=target,
            actor=actor,
            at=now,
            **why,
        )
        hooks.registry.fire(hooks.StageChanged([change]))
    for field, value in changes.items():
        setattr(lead, field, value)
    return change


def bulk_transition(
    lead_ids: Iterable[int],
    to: str,
    *,
    source: str,
    actor: Actor,
    reason: Reason,
    reasons: Mapping[int, Reason] | None = None,
    batch_size: int = 2000,
) -> list[int]:
    """Move every listed lead that is still in ``source`` to ``to``, set-based.

    For moves the system or a marketer makes in bulk (re-scoring promotes thousands of
    leads). Leads no longer in ``source`` are left alone. ``reasons`` may give a lead its
    own reason (the rules that fired for it). Returns the ids moved.
    """
    reasons = reasons or {}
    target = _parse_stage(to, field="to")
    source = _parse_stage(source, field="from")
    rule = rule_for(source, target)
    roles = roles_of(actor)
    if not (
        (actor is None and rule.system)
        or Role.ADMIN in roles
        or (Role.MARKETER in roles and Role.MARKETER in rule.roles)
    ):
        raise NotPermitted(_("Your role may not make this move in bulk."))
    if hooks.registry.has_guards(source, target):
        # Guards judge one lead at a time; such moves go through transition().
        raise IllegalTransition(_("This move must be made one lead at a time."))
    why = system_texts.fields_for(reason)
    _check_details(rule, reason=why["reason"], deal_value=None, closed_at=None)

    moved: list[int] = []
    for chunk in batched(lead_ids, batch_size):
        with transaction.atomic():
            now = timezone.now()
            # One statement locks the whole chunk, in id order so two bulk moves over
            # overlapping sets cannot deadlock.
            ids = list(
                Lead.objects.select_for_update()
                .filter(pk__in=chunk, stage=source)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if not ids:
                continue
            Lead.objects.filter(pk__in=ids).update(stage=target, stage_changed_at=now)
            rows = StageChange.objects.bulk_create(
                StageChange(
                    lead_id=lead_id,
                    from_stage=source,
                    to_stage=target,
                    actor=actor,
                    at=now,
                    **(system_texts.fields_for(reasons[lead_id]) if reasons.get(lead_id) else why),
                )
                for lead_id in ids
            )
            hooks.registry.fire(hooks.StageChanged(rows))
        moved.extend(ids)
    return moved


def create_lead(*, actor: Actor, reason: Reason = "", **fields: Any) -> Lead:
    """Create a lead in stage ``lead`` with its first history row."""
    fields.pop("stage", None)
    with transaction.atomic():
        lead = Lead.objects.create(stage=Stage.LEAD, **fields)
        change = StageChange.objects.create(
            lead=lead,
            from_stage="",
            to_stage=Stage.LEAD,
            actor=actor,
            at=lead.created_at,
            **system_texts.fields_for(reason or system_texts.text("lead.created")),
        )
        hooks.registry.fire(hooks.StageChanged([change]))
    return lead


def create_leads(
    rows: Sequence[dict[str, Any]], *, actor: Actor, reason: Reason = ""
) -> list[Lead]:
    """Bulk twin of ``create_lead``: new leads in stage ``lead``, each with its first history
    row. An email already taken raises IntegrityError; callers resolve that race."""
    now = timezone.now()
    why = system_texts.fields_for(reason or system_texts.text("lead.created"))
    with transaction.atomic():
        unsaved = [
            Lead(created_at=now, stage_changed_at=now, **fields, stage=Stage.LEAD)
            for fields in rows
        ]
        for lead in unsaved:  # bulk_create skips Lead.save, which keys the phone
            lead.phone_key = lead.phone_key or phone_key(lead.phone)
        leads = Lead.objects.bulk_create(unsaved)
        changes = StageChange.objects.bulk_create(
            StageChange(
                lead_id=lead.pk,
                from_stage="",
                to_stage=Stage.LEAD,
                actor=actor,
                at=now,
                **why,
            )
            for lead in leads
        )
        hooks.registry.fire(hooks.StageChanged(changes))
    return leads


class StoryStep(NamedTuple):
    """One step of history that happened elsewhere: the stage entered, when, and why."""

    stage: str
    at: datetime
    reason: Reason = ""


def load_leads(
    entries: Sequence[tuple[Lead, Sequence[StoryStep]]], *, reason: Reason, batch_size: int = 2000
) -> list[Lead]:
    """Bulk-create leads together with history that happened elsewhere (imports, demo).

    Each story starts at ``lead`` and follows the transition table; the lead ends in the
    story's last stage. Rows are marked ``loaded`` and fire HISTORY_LOADED, not
    STAGE_CHANGED: nothing here is a live move, so nothing is routed or alerted.
    """
    for lead, story in entries:
        _check_story(story)
        lead.phone_key = lead.phone_key or phone_key(lead.phone)  # bulk_create skips save
        lead.created_at = story[0].at
        lead.stage, lead.stage_changed_at = Stage(story[-1].stage), story[-1].at
    created: list[Lead] = []
    for chunk in batched(entries, batch_size):
        with transaction.atomic():
            leads = Lead.objects.bulk_create([lead for lead, _story in chunk])
            changes = StageChange.objects.bulk_create(
                [
                    StageChange(
                        lead_id=lead.pk,
                        from_stage=story[i - 1].stage if i else "",
                        to_stage=step.stage,
                        at=step.at,
                        loaded=True,
                        **system_texts.fields_for(step.reason or reason),
                    )
                    for lead, (_lead, story) in zip(leads, chunk, strict=True)
                    for i, step in enumerate(story)
                ],
                batch_size=batch_size,
            )
            rollups.record_moves(changes)  # the core's own rollup
            hooks.registry.fire(hooks.HistoryLoaded(changes))
        created.extend(leads)
    return created


def _check_story(story: Sequence[StoryStep]) -> None:
    if not story or story[0].stage != Stage.LEAD:
        raise IllegalTransition(_("A lead's history starts in stage lead."))
    for before, after in pairwise(story):
        rule_for(before.stage, after.stage)
        if after.at < before.at:
            raise IllegalTransition(_("A lead's history must be in time order."))
