"""Alerts that must not be lost: outbox rows written with the handoff, sent by a worker.

1. ``queue_alerts`` writes one Delivery row per channel and target inside the caller's
   transaction, and asks for them to be sent once it commits.
2. ``deliver`` claims one row with a conditional update and a lease, sends it (no
   database transaction is open while the network is used), and records the result.
3. ``relay_due`` (beat) re-sends rows the broker never carried, failed attempts whose
   backoff has passed, and claims whose lease expired because a worker died.
Delivery is at least once; in-app notifications are exactly once (a unique constraint),
and emails and webhooks carry the row's stable ``delivery_id`` so repeats can be dropped.
4. ``retire_alerts`` runs when a handoff stops waiting for its rep (answered, reassigned,
   breached): alerts that asked a person for an answer are marked stale, and those not yet
   sent are skipped (webhooks, an event feed, still go), so nobody is told a lead "is
   waiting for your answer" once it moved on.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from handoff.instruments import ALERT_FAILURES, ALERT_LATENCY
from handoff.models import Delivery, Handoff, Notification, WebhookEndpoint

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
Kind = Notification.Kind
Channel = Delivery.Channel
# Alerts that ask for something only while their handoff waits: the rep's "new lead" and
# reminder, the managers' "no rep available".
WHILE_WAITING = (Kind.HANDOFF, Kind.REMINDER, Kind.NO_REP)


def queue_alerts(
    handoff: Handoff,
    kind: str,
    *,
    users: Iterable[AbstractBaseUser],
    email: bool = True,
    webhooks: bool = False,
) -> list[Delivery]:
    rows = []
    for user in users:
        rows.append(Delivery(handoff=handoff, kind=kind, channel=Channel.IN_APP, user=user))
        if email and user.email:
            rows.append(Delivery(handoff=handoff, kind=kind, channel=Channel.EMAIL, user=user))
    if webhooks:
        rows += [
            Delivery(handoff=handoff, kind=kind, channel=Channel.WEBHOOK, endpoint=endpoint)
            for endpoint in WebhookEndpoint.objects.filter(active=True)
        ]
    # ignore_conflicts: Delivery's unique constraints (handoff, kind, channel, user or
    # endpoint) make queueing the same alert twice, by a retried task, a no-op.
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    # Re-read: bulk_create with ignore_conflicts returns no ids on PostgreSQL.
    queued = list(
        Delivery.objects.filter(
            handoff=handoff, kind=kind, status=Delivery.Status.PENDING
        ).values_list("pk", "channel")
    )
    transaction.on_commit(lambda: _send_after_commit(queued), robust=True)
    return rows


def _send_after_commit(queued: list[tuple[int, str]]) -> None:
    """In-app alerts are one local insert: make them at once, every second counts. Email
    and webhooks leave the process, so a worker sends them."""
    from handoff.tasks import deliver_alert

    for pk, channel in queued:
        if channel == Channel.IN_APP:
            deliver(pk)
    for pk, channel in queued:
        if channel != Channel.IN_APP:
            # If the broker is down this fails fast (short publish retry); relay_due sends it.
            deliver_alert.delay(pk)


def claim(pk: int) -> Delivery | None:
    """Take a row for sending: only one worker wins, and a dead worker's lease expires."""
    now = timezone.now()
    won = Delivery.objects.filter(
        Q(status=Delivery.Status.PENDING)
        | Q(status=Delivery.Status.SENDING, claimed_until__lt=now),
        pk=pk,
    ).update(
        status=Delivery.Status.SENDING,
        claimed_until=now + timedelta(seconds=settings.ALERT_LEASE_SECONDS),
    )
    if not won:
        return None
    return Delivery.objects.select_related("handoff__lead", "user", "endpoint").get(pk=pk)


def deliver(pk: int) -> bool:
    """Send one alert if it is still due; True when it was sent by this call."""
    from handoff import channels, outbound

    delivery = claim(pk)
    if delivery is None:
        return False
    if _no_longer_due(delivery):
        Delivery.objects.filter(pk=pk).update(status=Delivery.Status.SKIPPED, claimed_until=None)
        return False
    try:
        channels.send(delivery)
    except Exception as error:  # any failure: record it and retry with backoff
        attempts = delivery.attempts + 1
        # A refused address (internal, not http) will be refused again: no retries.
        give_up = attempts >= MAX_ATTEMPTS or isinstance(error, outbound.Refused)
        Delivery.objects.filter(pk=pk).update(
            status=Delivery.Status.FAILED if give_up else Delivery.Status.PENDING,
            attempts=attempts,
            last_error=str(error)[:2000],
            claimed_until=None,
            next_attempt_at=timezone.now() + timedelta(seconds=min(600, 2**attempts)),
        )
        logger.warning("alert %s (%s) failed: %s", pk, delivery.channel, error)
        ALERT_FAILURES.labels(delivery.channel).inc()
        return False
    now = timezone.now()
    ALERT_LATENCY.labels(delivery.channel).observe((now - delivery.created_at).total_seconds())
    Delivery.objects.filter(pk=pk).update(
        status=Delivery.Status.SENT,
        attempts=delivery.attempts + 1,
        sent_at=now,
        claimed_until=None,
        last_error="",
    )
    if delivery.channel == Channel.IN_APP and delivery.kind == Kind.HANDOFF:
        # The rep is alerted: the system's part of the delay ends here.
        Handoff.objects.filter(pk=delivery.handoff_id, alerted_at__isnull=True).update(
            alerted_at=now
        )
    return True


def retire_alerts(handoff: Handoff) -> int:
    """The handoff stopped waiting (answered, reassigned, breached): its alerts that asked
    for an answer are stale from now, and the ones not yet sent will not be. Call inside the
    transaction that changes the handoff's status; returns how many were marked stale."""
    now = timezone.now()
    Delivery.objects.filter(
        handoff=handoff, kind__in=WHILE_WAITING, status=Delivery.Status.PENDING
    ).exclude(channel=Channel.WEBHOOK).update(status=Delivery.Status.SKIPPED)
    return Notification.objects.filter(
        handoff=handoff, kind__in=WHILE_WAITING, stale_at__isnull=True
    ).update(stale_at=now)


def unread_count(user: AbstractBaseUser) -> int:
    """What the bell shows: alerts not yet read that still concern the reader."""
    return Notification.objects.filter(
        user=user, read_at__isnull=True, stale_at__isnull=True
    ).count()


def _no_longer_due(delivery: Delivery) -> bool:
    """A "waiting for your answer" alert to a person whose handoff is no longer waiting (a
    worker may take it after the handoff was answered or moved on, or the relay may retry it
    late). Webhooks are an event feed for other systems: every event is still sent."""
    return (
        delivery.channel != Channel.WEBHOOK
        and delivery.kind in WHILE_WAITING
        and delivery.handoff is not None
        and delivery.handoff.status != Handoff.Status.PENDING
    )


def relay_due(limit: int = 500) -> int:
    """Send what is due and was not carried, or whose worker died mid-delivery."""
    now = timezone.now()
    due = Delivery.objects.filter(
        Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Delivery.Status.SENDING, claimed_until__lt=now)
    ).values_list("pk", flat=True)[:limit]
    sent = 0
    for pk in list(due):
        sent += deliver(pk)
    return sent
