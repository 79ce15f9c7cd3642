"""Handoffs: an MQL goes to a rep who accepts (SAL) or rejects (nurture, with a reason),
within an SLA; a breach escalates to the manager and reassigns."""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from handoff import notify, routing
from handoff.hours import add_business_minutes
from handoff.instruments import HANDOFFS, ROUTING_FAILURES, SLA_BREACHES
from handoff.models import Handoff, HandoffSettings, RejectReason
from leads import lifecycle, system_texts
from leads.models import Lead, Team
from leads.people import display_name
from leads.records import assign_owner
from leads.roles import Actor, Role, roles_of
from leads.stages import Stage
from plumbing.errors import Conflict, InvalidInput, NotPermitted

Kind = notify.Kind
User = get_user_model()

logger = logging.getLogger(__name__)


def send_to_sales(lead: Lead, *, actor: Actor, qualified_at: datetime | None = None) -> Handoff:
    """Route an MQL to a rep and alert them. The lead must be an MQL with no open handoff."""
    if actor is not None and not roles_of(actor) & {Role.MARKETER, Role.MANAGER, Role.ADMIN}:
        raise NotPermitted(_("Only marketers, managers and admins send leads to sales."))
    with transaction.atomic():
        lead = (
            # The lead's lock serialises everyone who may send it at once (the inline route, the
            # routing task, the sweep, a marketer's button): the later one finds the open handoff
            # below and gets a Conflict; the one_open_handoff constraint backs this up.
            Lead.objects.select_for_update(of=("self",)).select_related("company").get(pk=lead.pk)
        )
        if lead.stage != Stage.MQL:
            raise Conflict(
                _("Only an MQL can be sent to sales; this lead is %(stage)s.")
                % {"stage": Stage(lead.stage).label}
            )
        if Handoff.objects.filter(lead=lead, status=Handoff.Status.PENDING).exists():
            raise Conflict(_("This lead is already waiting for a rep's answer."))
        return open_handoff(lead, actor=actor, qualified_at=qualified_at or timezone.now())


def open_handoff(
    lead: Lead,
    *,
    actor: Actor,
    qualified_at: datetime,
    exclude: Iterable[int] = (),
    previous: Handoff | None = None,
) -> Handoff:
    """Create the handoff, give the lead to the chosen rep, and queue the alerts.

    Call inside a transaction holding the lead's lock.
    """
    # A lead never scored has no score row (lead.score raises an AttributeError subclass):
    # it routes with no grade, so only rules without a grade condition can take it.
    grade = getattr(getattr(lead, "score", None), "grade", "")
    route = routing.route(lead, grade=grade, exclude=list(exclude))
    now = timezone.now()
    hours = _hours_for(route.rep)
    handoff = Handoff.objects.create(
        lead=lead,
        rep=route.rep,
        rule=route.rule,
        previous=previous,
        sent_by=actor,
        sla_minutes=route.sla_minutes,
        qualified_at=qualified_at,
        created_at=now,
        assigned_at=now if route.rep else None,
        # The clock runs in the team's business hours: a lead arriving at night is not
        # breached before the rep starts work. No rep, no clock: the sweep assigns it later.
        remind_at=add_business_minutes(now, route.sla_minutes / 2, hours) if route.rep else None,
        due_at=add_business_minutes(now, route.sla_minutes, hours) if route.rep else None,
    )
    HANDOFFS.inc()
    if route.rep is not None:
        # In the handoff's transaction: the rep owns the lead exactly when the handoff is theirs.
        assign_owner(lead.pk, owner=route.rep)
        notify.queue_alerts(handoff, Kind.HANDOFF, users=[route.rep], webhooks=True)
    else:
        # Nobody can take it now: it waits (the sweep retries) and the managers know.
        notify.queue_alerts(handoff, Kind.NO_REP, users=_managers(None), email=True)
    return handoff


def assign_waiting() -> int:
    """Beat: give waiting handoffs a rep, and route MQLs that never got a handoff."""
    assigned = 0
    waiting = Handoff.objects.filter(status=Handoff.Status.PENDING, rep__isnull=True)
    for handoff_id in waiting.order_by("pk").values_list("pk", flat=True):  # oldest first
        try:
            routed = _assign_one(handoff_id)
        except Exception:  # one lead's failure never stops the sweep for the others
            logger.exception("assigning waiting handoff %s failed", handoff_id)
            ROUTING_FAILURES.inc()
            continue
        if routed is None:
            break  # nobody has room: the rest waits for the next sweep
        assigned += routed

    if HandoffSettings.current().auto_handoff:
        # MQLs with no waiting handoff: those whose after-commit routing never ran (the process
        # died, the broker and the inline fallback both failed) or found auto-handoff off.
        # send_to_sales re-checks under the lead's lock, so racing the routing task is harmless.
        unrouted = (
            Lead.objects.filter(stage=Stage.MQL)
            .exclude(handoffs__status=Handoff.Status.PENDING)
            .values_list("pk", flat=True)[:500]
        )
        for lead_id in list(unrouted):
            try:
                send_to_sales(Lead(pk=lead_id), actor=None)
                assigned += 1
            except Conflict:
                continue
            except Exception:  # isolated like the handoffs above
                logger.exception("routing MQL %s failed", lead_id)
                ROUTING_FAILURES.inc()
    return assigned


def _assign_one(handoff_id: int) -> int | None:
    """Give one waiting handoff a rep: 1 when assigned, 0 when it must wait (its pools are
    full or someone else has it), None when nobody anywhere has room."""
    with transaction.atomic():
        handoff = (
            # skip_locked: someone else (another sweep, a manager reassigning) holds it; leave it
            # to them. The filter is checked again under the lock: it may be taken since listed.
            Handoff.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(pk=handoff_id, status=Handoff.Status.PENDING, rep__isnull=True)
            .select_related("lead__company")
            .first()
        )
        if handoff is None:
            return 0
        route = routing.route(handoff.lead)
        if route.rep is None:
            if routing.anyone_available():
                return 0  # this lead's pools are full, others are not
            return None
        # Closed and replaced, not updated in place: each handoff row is one rep's turn with
        # its own clock, and the SLA reports read the chain.
        handoff.status = Handoff.Status.REASSIGNED
        handoff.save(update_fields=["status"])
        open_handoff(handoff.lead, actor=None, qualified_at=handoff.qualified_at, previous=handoff)
        return 1


def accept(handoff: Handoff, *, actor: Actor) -> Handoff:
    with transaction.atomic():
        # Locks the handoff with its lead (see _locked); transition then finds the lead already
        # held, so an answer and a marketer's move of the same lead queue, never interleave.
        handoff = _locked(handoff, actor)
        handoff.status = Handoff.Status.ACCEPTED
        handoff.answered_at = timezone.now()
        handoff.save(update_fields=["status", "answered_at"])
        # Same transaction: once the answer commits, a reminder still queued is skipped.
        notify.retire_alerts(handoff)
        # expected_from: if the lead left MQL meanwhile, this raises a Conflict and the whole
        # answer, the handoff's status included, rolls back.
        lifecycle.transition(handoff.lead, Stage.SAL, actor=actor, expected_from=Stage.MQL)
    return handoff


def reject(handoff: Handoff, *, actor: Actor, reason: str, note: str = "") -> Handoff:
    reject_reason = RejectReason.objects.filter(code=reason, active=True).first()
    note = (note or "").strip()
    if reject_reason is None:
        raise InvalidInput({"reason": [_("Choose a reason from the list.")]})
    if reject_reason.needs_text and not note:
        raise InvalidInput({"note": [_("Say a little more about this reason.")]})
    with transaction.atomic():
        handoff = _locked(handoff, actor)
        handoff.status = Handoff.Status.REJECTED
        handoff.answered_at = timezone.now()
        handoff.reject_reason, handoff.reject_note = reject_reason, note
        handoff.save(update_fields=["status", "answered_at", "reject_reason", "reject_note"])
        notify.retire_alerts(handoff)
        # The label is shipped data (read translated); the note is the rep's own words.
        why = (
            system_texts.text("handoff.rejected_with_note", reason=reject_reason.label, note=note)
            if note
            else system_texts.text("handoff.rejected", reason=reject_reason.label)
        )
        lifecycle.transition(
            handoff.lead, Stage.NURTURE, actor=actor, expected_from=Stage.MQL, reason=why
        )
        # Every active marketer hears of a rejection: the reason is what marketing acts on.
        marketers = User.objects.filter(groups__name=Role.MARKETER.value, is_active=True)
        notify.queue_alerts(handoff, Kind.REJECTED, users=marketers, email=False)
    return handoff


def reassign(handoff: Handoff, *, actor: Actor, rep: AbstractBaseUser) -> Handoff:
    """A manager gives a waiting lead to another rep (and the clock starts again)."""
    roles = roles_of(actor)
    if not (Role.ADMIN in roles or (Role.MANAGER in roles and _manages_rep(actor, rep))):
        raise NotPermitted(_("Only the rep's manager or an admin reassigns."))
    if Role.REP not in roles_of(rep):
        raise InvalidInput({"rep": [_("Choose a sales rep.")]})
    with transaction.atomic():
        # Locked and read again: the rep may have answered, or the SLA check expired it, since
        # the manager opened the page; only a handoff still waiting is reassigned.
        old = (
            Handoff.objects.select_for_update(of=("self",))
            .select_related("lead__company")
            .get(pk=handoff.pk)
        )
        if old.status != Handoff.Status.PENDING:
            raise Conflict(no_longer_waiting(old))
        old.status = Handoff.Status.REASSIGNED
        old.save(update_fields=["status"])
        notify.retire_alerts(old)
        now = timezone.now()
        hours = _hours_for(rep)
        new = Handoff.objects.create(
            lead=old.lead,
            rep=rep,
            rule=old.rule,
            previous=old,
            sent_by=actor,
            sla_minutes=old.sla_minutes,
            qualified_at=old.qualified_at,
            created_at=now,
            assigned_at=now,
            remind_at=add_business_minutes(now, old.sla_minutes / 2, hours),
            due_at=add_business_minutes(now, old.sla_minutes, hours),
        )
        assign_owner(old.lead_id, owner=rep)
        notify.queue_alerts(new, Kind.HANDOFF, users=[rep], webhooks=True)
    return new


def check_slas(now: datetime | None = None) -> dict[str, int]:
    """Beat: remind at half the SLA; at the breach, expire, escalate and reassign."""
    now = now or timezone.now()
    reminded = breached = 0
    with transaction.atomic():
        # Reminders: reminded_at is set in the locking transaction, so overlapping beat runs
        # remind each handoff once; skip_locked leaves one being answered right now alone.
        # due_at > now: a handoff already late gets the escalation below instead.
        due = Handoff.objects.select_for_update(skip_locked=True).filter(
            status=Handoff.Status.PENDING,
            rep__isnull=False,
            reminded_at__isnull=True,
            remind_at__lte=now,
            due_at__gt=now,
        )
        for handoff in due:
            handoff.reminded_at = now
            handoff.save(update_fields=["reminded_at"])
            notify.queue_alerts(handoff, Kind.REMINDER, users=[handoff.rep])
            reminded += 1
    # Breaches: one transaction each, so locks are held for one lead at a time and a long
    # backlog does not block answers; 500 a run, the rest next minute.
    late = Handoff.objects.filter(status=Handoff.Status.PENDING, rep__isnull=False, due_at__lte=now)
    for handoff_id in list(late.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            handoff = (
                Handoff.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(pk=handoff_id, status=Handoff.Status.PENDING)
                .select_related("lead__company", "rep")
                .first()
            )
            if handoff is None:
                continue
            handoff.status = Handoff.Status.EXPIRED
            handoff.save(update_fields=["status"])
            notify.retire_alerts(handoff)
            notify.queue_alerts(handoff, Kind.ESCALATION, users=_managers(handoff.rep))
            tried = _reps_tried(handoff)
            # The lead is locked too, as open_handoff expects, and its stage read under the
            # lock: if a marketer moved it out of MQL meanwhile, it is not handed out again.
            lead = (
                Lead.objects.select_for_update(of=("self",))
                .select_related("company")
                .get(pk=handoff.lead_id)
            )
            if lead.stage == Stage.MQL:
                open_handoff(
                    lead,
                    actor=None,
                    qualified_at=handoff.qualified_at,
                    # Reps who already let this lead lapse are not given it again.
                    exclude=tried,
                    previous=handoff,
                )
            breached += 1
            SLA_BREACHES.inc()
    return {"reminded": reminded, "breached": breached}


def _locked(handoff: Handoff, actor: Actor) -> Handoff:
    # No of=: FOR UPDATE locks the joined lead row too, in the same statement, so the
    # answer holds the lead before transition moves it (see accept and reject).
    locked = Handoff.objects.select_for_update().select_related("lead").get(pk=handoff.pk)
    if locked.rep_id != actor.pk and Role.ADMIN not in roles_of(actor):
        raise NotPermitted(_("Only the rep this lead was handed to can answer."))
    if locked.status != Handoff.Status.PENDING:
        raise Conflict(no_longer_waiting(locked))
    return locked


def no_longer_waiting(handoff: Handoff) -> str:
    """Why a handoff can no longer be answered, in words for the person who tried."""
    if handoff.status in (Handoff.Status.REASSIGNED, Handoff.Status.EXPIRED):
        owner = Lead.objects.filter(pk=handoff.lead_id).values_list("owner", flat=True).first()
        holder = User.objects.filter(pk=owner).first() if owner else None
        if holder is not None:
            return _("This lead moved on: %(rep)s has it now.") % {"rep": display_name(holder)}
        return _("This lead moved on: it is waiting for another rep.")
    return _("This handoff is no longer waiting: it was %(status)s.") % {
        "status": handoff.get_status_display().lower()
    }


def _reps_tried(handoff: Handoff) -> list[int]:
    # One query per link of the chain: a lead is reassigned a few times at most.
    tried, current = [], handoff
    while current is not None:
        if current.rep_id:
            tried.append(current.rep_id)
        current = current.previous
    return tried


def _hours_for(rep: AbstractBaseUser | None):  # type: ignore[no-untyped-def]
    if rep is None:
        return None
    # A rep in several teams works to their first team's hours: one deterministic answer.
    team = rep.teams.select_related("hours").order_by("pk").first()
    return getattr(team, "hours", None) if team else None


def _managers(rep: AbstractBaseUser | None) -> list[AbstractBaseUser]:
    """The rep's managers; with no rep (or no team), every sales manager."""
    if rep is not None:
        managers = [
            t.manager
            for t in Team.objects.filter(members=rep).select_related("manager")
            if t.manager
        ]
        if managers:
            return managers
    return list(User.objects.filter(groups__name=Role.MANAGER.value, is_active=True))


def _manages_rep(manager: AbstractBaseUser, rep: AbstractBaseUser) -> bool:
    return Team.objects.filter(manager=manager, members=rep).exists()
