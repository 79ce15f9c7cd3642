"""Scoring later: a big batch's events wait here for the worker, which scores them within
a second, many batches at a time.

A small batch (a web form, a tracking hit, a single API event) is scored inside its own
request, so routing starts before the answer. A big batch is stored with a pending row
per event and answered at once; the worker claims what is pending (up to 100,000 events),
folds it into the leads' intent states and saves the scores in one set-based pass. Leads
that several batches touched are scored once for all of them, which is where the
throughput comes from: so under a steady stream claims are paced a little (PACE_SECONDS).

The rule that keeps every event counted exactly once: a lead's state is only ever built
from the events that are *not* pending (``scoring.live.events_by_lead``,
``scoring.sql.rules``), and a pending event is folded in by whoever deletes its
pending row, in the same transaction.
"""

import contextlib
import logging
from collections.abc import Sequence
from datetime import datetime
from time import monotonic, sleep

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from plumbing.sql import on_postgresql
from scoring.criteria import active_spec
from scoring.engine import EventFact
from scoring.learning import applying
from scoring.live import facts_by_lead, promotion_reasons, rescore_leads, score_new_events
from scoring.models import Event, PendingEvent
from scoring.sql import rows, scores
from scoring.store import promote

logger = logging.getLogger(__name__)

# Batches up to this many new events are scored in the request that brought them.
INLINE_MAX = 100
# Most events a worker claims per transaction. During a burst the cost is per lead, not
# per event: a lead many claimed events touch is scored once for all of them, so a drain
# claims all that is waiting, up to this (20,000 → 100,000 took bench/ingest.py, 50,000
# leads, from 13,100 to 19,700 events/s scored, the longest wait from 20 s to 8 s).
CLAIM = 100000
# The claimed leads stay locked until the drain commits (a web form for one of them
# waits), and a drain costs more per lead on a bigger database. So a drain that took
# longer than this makes the next claim smaller, and a quick one lets it grow back.
DRAIN_SECONDS = 3.0
CLAIM_FLOOR = 5000
# A claim this big, though not full, means events keep pouring in: the next claim then
# starts no sooner than PACE_SECONDS after this one did, so that it finds more events per
# lead, each lead scored once for all of them (bench/ingest.py, 50,000 leads: 19,800
# events/s scored at 1 s, 21,900 at 2 s, the longest wait ~4 s either way). The pause
# ends as soon as events stop coming; quieter times are not paced at all.
BUSY_CLAIM = 10000
PACE_SECONDS = 2.0
GATHER_POLL_SECONDS = 0.2
# Set while a drain is queued or running, so that a burst of batches queues one task.
SCHEDULED_KEY = "scoring:drain-scheduled"


def score_later(event_ids: Sequence[int]) -> None:
    """Mark stored events as waiting for the worker; call inside the storing transaction."""
    if not event_ids:
        return
    if on_postgresql():
        rows.mark_pending(event_ids)
    else:
        PendingEvent.objects.bulk_create(PendingEvent(event_id=pk) for pk in event_ids)
    transaction.on_commit(schedule_drain)


def schedule_drain() -> None:
    """Queue one drain unless one is already queued. A broker or cache outage loses
    nothing: the events stay pending and beat's drain (every minute) scores them."""
    from scoring.tasks import drain_pending_scores

    try:
        if cache.add(SCHEDULED_KEY, 1, timeout=60):
            drain_pending_scores.delay()
    except Exception:
        logger.warning("could not queue the scoring drain; beat's drain will score them")


def drain(*, claim: int | None = None, budget_seconds: float = 50.0) -> int:
    """Score pending events until none is left (or the time budget is spent); returns how
    many were scored. Several drains may run at once: each claims different events.
    ``claim`` fixes the claim size; by default it follows ``next_claim``."""
    global _claim_size
    started = monotonic()
    total = 0
    while True:
        # Batches stored from now on queue another drain; without the cache, beat's drain
        # is the safety net.
        with contextlib.suppress(Exception):
            cache.delete(SCHEDULED_KEY)
        limit = claim or _claim_size
        began = monotonic()
        done = drain_once(claim=limit)
        took = monotonic() - began
        logger.debug("scored %d pending events in %.2f s", done, took)
        total += done
        if claim is None:
            _claim_size = next_claim(limit, done=done, seconds=took)
        if done < min(limit, BUSY_CLAIM):
            return total  # all that waited, and not much: scores keep up
        if monotonic() - started > budget_seconds:
            schedule_drain()  # more is waiting: a fresh task goes on with it
            return total
        if done < limit:
            _let_events_gather(until=began + PACE_SECONDS)


def _let_events_gather(*, until: float) -> None:
    """Wait until ``until`` (a monotonic time) while events keep arriving; as soon as they
    stop, the burst is over and what is waiting is scored at once."""
    seen = waiting()
    while (left := until - monotonic()) > 0:
        sleep(min(GATHER_POLL_SECONDS, left))
        now_waiting = waiting()
        if now_waiting == seen:
            return
        seen = now_waiting


# This process's claim size, carried from drain to drain.
_claim_size = CLAIM


def next_claim(limit: int, *, done: int, seconds: float) -> int:
    """The next claim's size: scaled towards DRAIN_SECONDS after a full claim that took
    longer (or much less) than that, within [CLAIM_FLOOR, CLAIM]."""
    if done < limit or seconds <= 0:
        return limit  # a partial claim took what was waiting: its time says little
    scaled = int(limit * DRAIN_SECONDS / seconds)
    return max(CLAIM_FLOOR, min(CLAIM, scaled))


def drain_once(*, claim: int = CLAIM) -> int:
    """Claim up to ``claim`` pending events and score their leads, in one transaction."""
    with transaction.atomic():
        at = timezone.now()
        if on_postgresql():
            return _drain_in_sql(claim, at=at)
        facts = _claim(claim)
        if facts:
            score_new_events(facts, at=at)
    return sum(len(events) for events in facts.values())


def _drain_in_sql(claim: int, *, at: datetime) -> int:
    scores.set_up_transaction()
    claimed = scores.claim(claim)
    if not claimed:
        return 0
    spec = active_spec()
    current, rebuild = scores.lock_leads(spec)
    # Before the fold, which copies each lead's likelihood onto its score row.
    applying.refresh_ids(current)
    ready = scores.fold(spec, at=at) if current else []
    # Then (not before: the fold takes every lead with a current state) leads with no
    # state under this version are built by the engine from all their events, the claimed
    # ones included since their pending rows are gone in this transaction.
    if rebuild:
        rescore_leads(rebuild, at=at, spec=spec)
    promote(promotion_reasons(ready, spec), spec)
    return claimed


def waiting() -> int:
    return PendingEvent.objects.count()


def _claim(limit: int) -> dict[int, list[EventFact]]:
    """Delete up to ``limit`` pending rows and return their events by lead (SQLite: one
    worker, nothing to skip)."""
    ids = list(PendingEvent.objects.order_by("event_id").values_list("event_id", flat=True)[:limit])
    PendingEvent.objects.filter(event_id__in=ids).delete()
    return facts_by_lead(
        Event.objects.filter(pk__in=ids).values_list("lead_id", "type", "occurred_at", "properties")
    )


def oldest_wait() -> float:
    """Seconds the oldest pending event has waited (0 when none): for health and benches."""
    oldest = (
        PendingEvent.objects.order_by("event_id").values_list("event__received_at", flat=True)
    ).first()
    if oldest is None:
        return 0.0
    return max(0.0, (timezone.now() - oldest).total_seconds())
