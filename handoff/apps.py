from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoffConfig(AppConfig):
    name = "handoff"
    verbose_name = _("Handoff")

    def ready(self) -> None:
        from handoff import guards
        from leads import hooks

        guards.register()
        hooks.registry.add_follow_up(hooks.Event.STAGE_CHANGED, route_new_mqls)
        hooks.registry.add_consistency_hook(hooks.Event.DEMO_LEADS_LOADED, add_demo_handoffs)


def route_new_mqls(changes: Sequence[Any]) -> None:
    """Every path to MQL (scoring, re-scoring, by hand) is routed the same way, after the
    move commits. If this message is lost, the assign_waiting sweep routes the lead."""
    from handoff.tasks import route_new_mqls as task

    entered = [change.lead_id for change in changes if change.to_stage == "mql"]
    if entered:
        task.delay(entered)


def add_demo_handoffs(lead_ids: Sequence[int]) -> None:
    from handoff.demo import seed_demo_handoffs

    seed_demo_handoffs(lead_ids)
