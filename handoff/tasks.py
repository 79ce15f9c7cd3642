from celery import shared_task

from handoff import aftersale, entry, handoffs, notify


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
    """Route leads that just became MQLs (lead id → when they qualified, ISO 8601); queued
    by handoff.entry.leads_became_mql."""
    entry.route(entered)


@shared_task
def assign_waiting() -> int:
    return handoffs.assign_waiting()


@shared_task
def create_follow_ups() -> int:
    return aftersale.create_follow_ups()
