from celery import shared_task

from handoff import aftersale, handoffs, notify


@shared_task(acks_late=True)
def deliver_alert(delivery_id: int) -> None:
    notify.deliver(delivery_id)


@shared_task
def relay_alerts() -> int:
    """Beat: alerts the broker never carried, retries due, leases of dead workers."""
    return notify.relay_due()


@shared_task
def check_slas() -> dict[str, int]:
    return handoffs.check_slas()


@shared_task
def route_new_mqls(entered: dict[int, str]) -> None:
    """Route leads that just became MQLs (lead id → when they qualified, ISO 8601)."""
    from django.utils.dateparse import parse_datetime

    from handoff.models import HandoffSettings
    from leads.errors import Conflict
    from leads.models import Lead

    if not HandoffSettings.current().auto_handoff:
        return
    for lead_id, qualified_at in entered.items():
        try:
            handoffs.send_to_sales(
                Lead(pk=int(lead_id)), actor=None, qualified_at=parse_datetime(qualified_at)
            )
        except Conflict:
            continue  # moved on, or already handed over: nothing to do


@shared_task
def assign_waiting() -> int:
    return handoffs.assign_waiting()


@shared_task
def create_follow_ups() -> int:
    return aftersale.create_follow_ups()
