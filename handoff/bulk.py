"""Bulk actions on the marketer's queue: send the selected MQLs to sales, or move them to
nurture or disqualify them with a reason.

Each lead goes through the same one-lead functions as its own button (``send_to_sales``,
``lifecycle.transition``), so the handoff's guards judge every lead; what could not be
done is kept per lead, in words a person reads, never as a raw exception text."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from handoff import handoffs
from leads import lifecycle
from leads.models import Lead
from leads.roles import Actor
from leads.stages import Stage
from plumbing.errors import DomainError, InvalidInput

SEND = "send"
# Bulk moves out of the queue, and where each takes the leads.
MOVES = {"nurture": Stage.NURTURE, "disqualify": Stage.DISQUALIFIED}
ACTIONS = (SEND, *MOVES)


@dataclass
class Failure:
    lead: Lead
    why: str


@dataclass
class BulkOutcome:
    action: str
    selected: list[int]
    done: list[Lead] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    # Errors in what the person typed (the reason), by field: nothing was tried then.
    errors: dict[str, list[str]] = field(default_factory=dict)


def needs_reason(action: str) -> bool:
    """Whether this bulk move needs a reason: the lifecycle's table says, not the page."""
    target = MOVES.get(action)
    return target is not None and lifecycle.rule_for(Stage.MQL, target).needs_reason


def readable(error: DomainError) -> str:
    """A domain error as a sentence: an InvalidInput's messages without its field names."""
    if isinstance(error, InvalidInput):
        return " ".join(message for messages in error.errors.values() for message in messages)
    return error.message


def apply_to_selected(
    leads: QuerySet[Lead],
    selected: Iterable[int],
    *,
    action: str,
    actor: Actor,
    reason: str = "",
) -> BulkOutcome:
    """Do ``action`` to each selected lead among ``leads`` (the ones the actor may see)."""
    ids = list(dict.fromkeys(selected))
    action = action if action in ACTIONS else SEND
    outcome = BulkOutcome(action=action, selected=ids)
    reason = reason.strip()
    if not ids:
        outcome.errors["lead"] = [_("Select at least one lead first.")]
    if needs_reason(action) and not reason:
        outcome.errors["reason"] = [_("Say why: moving leads out of the queue needs a reason.")]
    if outcome.errors:
        return outcome
    found = {lead.pk: lead for lead in leads.filter(pk__in=ids).select_related("company")}
    for pk in ids:
        lead = found.get(pk)
        if lead is None:
            continue  # not visible to this person: say nothing about it
        try:
            if action == SEND:
                handoffs.send_to_sales(lead, actor=actor)
            else:
                lifecycle.transition(lead, MOVES[action], actor=actor, reason=reason,
                                     expected_from=Stage.MQL)  # fmt: skip
        except DomainError as error:
            outcome.failures.append(Failure(lead=lead, why=readable(error)))
        else:
            outcome.done.append(lead)
    return outcome
