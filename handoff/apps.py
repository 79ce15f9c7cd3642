from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoffConfig(AppConfig):
    name = "handoff"
    verbose_name = _("Handoff")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from handoff import guards
        from handoff import privacy as handoff_privacy
        from handoff.models import (
            HandoffSettings,
            QualifyingQuestion,
            RejectReason,
            RepProfile,
            RoutingRule,
            TeamHours,
            WebhookEndpoint,
        )
        from leads import privacy

        privacy.register(export=handoff_privacy.export, erase=handoff_privacy.erase)
        auditlog.register(RoutingRule, m2m_fields={"pool"})
        auditlog.register(HandoffSettings, m2m_fields={"fallback_pool"})
        for model in (RejectReason, QualifyingQuestion, RepProfile, TeamHours):
            auditlog.register(model)
        auditlog.register(WebhookEndpoint, mask_fields=["secret"])
        from leads import hooks

        guards.register()
        hooks.registry.add_follow_up(hooks.Event.STAGE_CHANGED, route_new_mqls)
        hooks.registry.add_consistency_hook(hooks.Event.DEMO_LEADS_LOADED, add_demo_handoffs)
        hooks.registry.add_consistency_hook(hooks.Event.LEADS_MERGED, move_sales_work)


def route_new_mqls(changes: Sequence[Any]) -> None:
    """The core's STAGE_CHANGED follow-up (after commit): the changes into MQL go to
    handoff's one entry point, grouped by when they happened (a bulk move shares one
    moment, so this is one call)."""
    from handoff import entry
    from leads.stages import Stage

    by_moment: dict[Any, list[int]] = {}
    for change in changes:
        if change.to_stage == Stage.MQL:
            by_moment.setdefault(change.at, []).append(change.lead_id)
    for moment, lead_ids in by_moment.items():
        entry.leads_became_mql(lead_ids, moment=moment)


def add_demo_handoffs(lead_ids: Sequence[int]) -> None:
    from handoff.demo import seed_demo_handoffs

    seed_demo_handoffs(lead_ids)


def move_sales_work(merges: Sequence[Any]) -> None:
    """Handoffs, attempts and answers follow the merge; where both leads have one (an open
    handoff, an answer to the same question), the primary's stays and the duplicate's is
    kept on the duplicate."""
    from django.utils.translation import gettext as _

    from handoff.models import Answer, ContactAttempt, FollowUp, Handoff
    from leads.errors import Conflict
    from leads.merges import move_rows

    for merge in merges:
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
