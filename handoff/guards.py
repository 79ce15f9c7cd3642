"""The handoff app's rules on lead moves, registered in the core's hook registry so the
generic transition endpoint obeys them too."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from handoff.models import Handoff
from handoff.qualification import attempts_rule_met, missing_for_sql
from leads import hooks, system_texts
from leads.roles import Role, roles_of
from leads.stages import Stage

UNRESPONSIVE = "unresponsive"
# The reason the "unresponsive" move stores: a shipped text (read in each reader's
# language), whose English starts with the word the guard below looks for.
UNRESPONSIVE_REASON = gettext_noop("Unresponsive")


def unresponsive_reason() -> system_texts.Stored:
    return system_texts.shipped(UNRESPONSIVE_REASON)


def _latest(move: hooks.Move) -> Handoff | None:
    return Handoff.objects.filter(lead_id=move.lead.pk).order_by("-created_at", "-pk").first()


def only_by_accepting(move: hooks.Move) -> str | None:
    handoff = _latest(move)
    if handoff is None or handoff.status != Handoff.Status.ACCEPTED:
        return _("An MQL becomes a SAL only when its rep accepts the handoff.")
    if (
        move.actor is not None
        and handoff.rep_id != move.actor.pk
        and Role.ADMIN not in roles_of(move.actor)
    ):
        return _("Only the rep this lead was handed to can accept it.")
    return None


def reps_reject_through_the_handoff(move: hooks.Move) -> str | None:
    roles = roles_of(move.actor)
    if move.actor is None or roles & {Role.MARKETER, Role.ADMIN}:
        return None
    handoff = _latest(move)
    if (
        handoff is None
        or handoff.status != Handoff.Status.REJECTED
        or handoff.rep_id != move.actor.pk
    ):
        return _("Reject the handoff, with a reason, to send this lead back to marketing.")
    return None


def qualifying_answers_meet_the_criteria(move: hooks.Move) -> str | None:
    missing = missing_for_sql(move.lead)
    if missing:
        return _("Not yet an SQL. %s") % " ".join(missing)
    return None


def unresponsive_only_after_the_attempts(move: hooks.Move) -> str | None:
    if not move.reason.strip().lower().startswith(UNRESPONSIVE):
        return None
    if attempts_rule_met(move.lead):
        return None
    return _("Keep trying: “unresponsive” needs the contact attempts the admin set first.")


def register() -> None:
    registry = hooks.registry
    registry.add_guard(Stage.MQL, Stage.SAL, only_by_accepting)
    registry.add_guard(Stage.MQL, Stage.NURTURE, reps_reject_through_the_handoff)
    registry.add_guard(Stage.SAL, Stage.SQL, qualifying_answers_meet_the_criteria)
    registry.add_guard(Stage.SAL, Stage.NURTURE, unresponsive_only_after_the_attempts)
    registry.add_guard(Stage.SAL, Stage.DISQUALIFIED, unresponsive_only_after_the_attempts)
