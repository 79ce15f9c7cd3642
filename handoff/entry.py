"""The one way in for "these leads became MQLs": ``leads_became_mql``.

Every path to MQL ends here — scoring (an event, a drain, a re-score, the scoring of
imported leads), a marketer's hand move — because every one of them moves the lead with
``leads.lifecycle`` (``transition`` or ``bulk_transition``), which fires the core's
STAGE_CHANGED hook, whose follow-up (registered in handoff/apps.py) calls this after the
move commits. Whoever moves a lead does not know handoff exists (the core never imports
it), and nobody but this module decides where routing runs.

From POST /api/events/ to the rep's alert, with where each step commits:

1. ``scoring.api.views.EventIngestView.post`` → ``scoring.ingest.ingest``, which opens the
   transaction (``transaction.atomic``) that stores the events.
   - A batch of up to ``pending.INLINE_MAX`` new events is scored in it:
     ``scoring.live.score_new_events`` locks the leads (id order), folds the events into
     their stored intent state, and ``scoring.store.save_scores`` → ``promote`` →
     ``leads.lifecycle.bulk_transition(to=MQL)`` writes the stage and its history rows and
     fires STAGE_CHANGED, which queues our follow-up with ``transaction.on_commit``.
   - A bigger batch only writes pending rows and queues ``scoring.tasks.
     drain_pending_scores`` on commit — the first asynchronous step. The worker's
     ``scoring.pending.drain_once`` scores them in a transaction of its own and reaches
     the same ``promote`` → ``bulk_transition``.
2. The transaction commits: the lead is an MQL, durably, with its history row. Only then
   does ``leads.hooks`` run the follow-up ``handoff.apps.route_new_mqls`` →
   ``leads_became_mql`` (never after a rollback: no handoff for a move that did not
   happen).
3. ``leads_became_mql`` applies the enqueue policy (``_routes_here``): route in this
   process, or hand the ids to ``handoff.tasks.route_new_mqls`` (the second possible
   asynchronous step; the same work, on a worker).
4. ``route`` → ``handoff.handoffs.send_to_sales`` per lead, each in its own transaction:
   it locks the lead, checks it is still an MQL without an open handoff (so a repeat, or
   the sweep racing us, does nothing), picks the rep (``handoff.routing``), creates the
   Handoff, makes the rep the owner and writes the alerts as Delivery rows
   (``handoff.notify.queue_alerts``) — all committed together.
5. On that commit, ``notify._send_after_commit`` makes the in-app notification at once in
   this process and queues ``handoff.tasks.deliver_alert`` for email and webhooks (the
   last asynchronous step; ``handoff.channels`` sends them, with no transaction open
   during the network call).

If the process dies between 2 and 4, ``handoff.tasks.assign_waiting`` (beat, every
minute) routes MQLs without a handoff; if the broker loses a delivery,
``handoff.tasks.relay_alerts`` sends it. So each asynchronous step has a sweep behind it.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime

from celery import current_task
from django.conf import settings
from django.utils.dateparse import parse_datetime

from leads import hooks


def leads_became_mql(lead_ids: Sequence[int], *, moment: datetime) -> None:
    """Route leads that became MQLs at ``moment`` (call after the move committed).

    Idempotent: a lead that moved on or already has an open handoff is skipped, so a
    repeat (a retried task, the sweep) does nothing.
    """
    if not lead_ids:
        return
    entered = {lead_id: moment.isoformat() for lead_id in lead_ids}
    if _routes_here(len(entered)):
        route(entered)
        return
    from handoff.tasks import route_new_mqls

    try:
        route_new_mqls.delay(entered)
    except Exception:  # the broker is down: route here rather than leave it to the sweep
        route(entered)


def route(entered: Mapping[int | str, str]) -> None:
    """Send each lead to sales (lead id → when it qualified, ISO 8601: a task's payload)."""
    from handoff import handoffs
    from handoff.models import HandoffSettings
    from leads.models import Lead
    from plumbing.errors import Conflict

    if not HandoffSettings.current().auto_handoff:
        return
    for lead_id, qualified_at in entered.items():
        try:
            handoffs.send_to_sales(
                Lead(pk=int(lead_id)), actor=None, qualified_at=parse_datetime(qualified_at)
            )
        except Conflict:
            continue  # moved on, or already handed over: nothing to do


def _routes_here(count: int) -> bool:
    """The enqueue policy, the only one: whether to route in this process, now.

    Speed to lead is the point, and routing is local database work (~20 ms a lead; what
    leaves the process goes through the alert outbox), so by default the process that
    committed the move routes right away. It hands the work to a worker instead when:
    - the move was one of many (over INLINE_ROUTING_LIMIT): the request or job that made
      it should not wait for all of them;
    - a background job changed leads wholesale (``hooks.mass_change``, a re-score): the
      job is not held up by the consequences of every part;
    - this process is running a task (a scoring drain, an import) and alerts have a
      worker of their own (CELERY_SEPARATE_QUEUES): that worker routes at once while this
      one goes on with its job. With one shared queue a task would wait behind the job
      that is running, so routing here is quicker.
    """
    if count > settings.INLINE_ROUTING_LIMIT or hooks.in_mass_change():
        return False
    return not (settings.CELERY_SEPARATE_QUEUES and current_task is not None)
