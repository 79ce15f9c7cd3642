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
    """Every path to MQL (scoring, re-scoring, by hand) is routed the same way, right after
    the move commits: speed to lead is the point. Routing is local database work (the
    alerts that leave the process go through the outbox); if this process dies before it
    runs, the assign_waiting sweep routes the lead within a minute."""
    from handoff.tasks import route_new_mqls as route

    entered = {
        change.lead_id: change.at.isoformat() for change in changes if change.to_stage == "mql"
    }
    if entered:
        route(entered)


def add_demo_handoffs(lead_ids: Sequence[int]) -> None:
    from handoff.demo import seed_demo_handoffs

    seed_demo_handoffs(lead_ids)
