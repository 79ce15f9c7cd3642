"""What handoff does when the core changes leads: its guards and its handlers for the
core's hooks (leads.hooks), connected once by ``HandoffConfig.ready``."""

from typing import Any

from leads import hooks
from leads.hooks import LeadsMerged, PersonErased, StageChanged


def connect() -> None:
    from handoff import guards, privacy

    guards.register()
    registry = hooks.registry
    registry.add_follow_up(StageChanged, route_new_mqls)
    registry.add_consistency_hook(LeadsMerged, move_sales_work)
    registry.add_consistency_hook(PersonErased, erase_personal_data)
    registry.add_data_export(privacy.export)


def route_new_mqls(event: StageChanged) -> None:
    """The core's StageChanged follow-up (after commit): the changes into MQL go to
    handoff's one entry point (handoff.entry), grouped by when they happened (a bulk move
    shares one moment, so this is one call)."""
    from handoff import entry
    from leads.stages import Stage

    by_moment: dict[Any, list[int]] = {}
    for change in event.changes:
        if change.to_stage == Stage.MQL:
            by_moment.setdefault(change.at, []).append(change.lead_id)
    for moment, lead_ids in by_moment.items():
        entry.leads_became_mql(lead_ids, moment=moment)


def move_sales_work(merge: LeadsMerged) -> None:
    """Handoffs, attempts and answers follow the merge; where both leads have one (an open
    handoff, an answer to the same question), the primary's stays and the duplicate's is
    kept on the duplicate."""
    from django.utils.translation import gettext as _

    from handoff.models import Answer, ContactAttempt, FollowUp, Handoff
    from leads.capture.merges import move_rows
    from plumbing.errors import Conflict

    pending = Handoff.objects.filter(
        lead_id__in=[merge.primary_id, merge.duplicate_id], status=Handoff.Status.PENDING
    )
    if pending.count() > 1:
        raise Conflict(_("Both leads wait for a rep's answer: settle one handoff first."))
    move_rows(merge, Handoff, Handoff.objects.filter(lead_id=merge.duplicate_id))
    move_rows(merge, ContactAttempt, ContactAttempt.objects.filter(lead_id=merge.duplicate_id))
    answered = Answer.objects.filter(lead_id=merge.primary_id).values("question_id")
    move_rows(
        merge,
        Answer,
        Answer.objects.filter(lead_id=merge.duplicate_id).exclude(question_id__in=answered),
    )
    if not FollowUp.objects.filter(lead_id=merge.primary_id).exists():
        move_rows(merge, FollowUp, FollowUp.objects.filter(lead_id=merge.duplicate_id))


def erase_personal_data(event: PersonErased) -> None:
    from handoff import privacy

    privacy.erase(event.lead)
