"""The words of an alert, written in the reader's language when it is read.

An alert is stored as a code (its kind) and parameters: the lead's name, the reason code,
the due time. Each page, email or webhook writes the text out in the language active at
that moment (the reader's request, or ``translation.override`` for a recipient's email), so
a Spanish reader never sees an English alert because an English-speaking writer caused it.
What a person typed (a rejection note, a lead's job title) is a parameter shown as typed.
"""

import zoneinfo
from datetime import datetime
from typing import Any, NamedTuple, TypedDict

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from handoff.models import Handoff, Notification

Kind = Notification.Kind


class AlertParams(TypedDict, total=False):
    who: str  # the lead's name or email
    lead_title: str  # typed by people: shown as typed
    company: str
    reason: str  # a reject reason's label: shipped text, translated when shown
    note: str  # the rep's own words
    due_at: str  # ISO 8601, shown in the reader's time zone
    fit: int
    intent: int
    days: int  # follow-ups: days since the sale


class AlertText(NamedTuple):
    title: str
    body: str


def params_for(kind: str, handoff: Handoff | None, **extra: Any) -> AlertParams:
    """What an alert about ``handoff`` needs to be written out later, in any language."""
    params = AlertParams(**extra)  # type: ignore[typeddict-item]
    if handoff is None:
        return params
    lead = handoff.lead
    params["who"] = lead.full_name or lead.email
    if lead.title:
        params["lead_title"] = lead.title
    if lead.company_id and lead.company.name:
        params["company"] = lead.company.name
    if kind == Kind.REJECTED and handoff.reject_reason_id:
        params["reason"] = handoff.reject_reason.label
        if handoff.reject_note:
            params["note"] = handoff.reject_note
    if handoff.due_at and kind in (Kind.HANDOFF, Kind.REMINDER):
        params["due_at"] = handoff.due_at.isoformat()
    if lead.fit is not None and lead.intent is not None:
        params["fit"], params["intent"] = lead.fit, lead.intent
    return params


def title_of(kind: str, params: AlertParams, *, stale: bool = False) -> str:
    who = params.get("who", "")
    if stale and kind == Kind.REMINDER:
        # An old reminder must not go on asking for an answer nobody waits for.
        return _("%(who)s is no longer waiting for your answer") % {"who": who}
    titles = {
        Kind.HANDOFF: _("New lead for you: %(who)s"),
        Kind.REMINDER: _("Reminder: %(who)s is waiting for your answer"),
        Kind.ESCALATION: _("SLA breached: %(who)s was not answered in time"),
        Kind.REJECTED: _("Sales rejected %(who)s"),
        Kind.NO_REP: _("No rep available for %(who)s"),
        Kind.FOLLOW_UP: _("Follow up with %(who)s"),
    }
    return titles.get(kind, "%(who)s") % {"who": who}


def body_of(
    kind: str, params: AlertParams, *, zone: zoneinfo.ZoneInfo | None = None, stale: bool = False
) -> str:
    """The alert's details; times in ``zone`` (default: the active one)."""
    if kind == Kind.FOLLOW_UP:
        return _("%(days)d days since the sale: check in and ask for a referral.") % {
            "days": params.get("days", 0)
        }
    parts = [params.get("lead_title", ""), params.get("company", "")]
    if kind == Kind.REJECTED and params.get("reason"):
        parts.append(_("Reason: %s") % _(params["reason"]))
        parts.append(params.get("note", ""))
    due = parse_datetime(params.get("due_at", ""))
    if due and not stale and kind in (Kind.HANDOFF, Kind.REMINDER):
        parts.append(_("Answer by %s") % _clock(due, zone))
    if "fit" in params:
        parts.append(
            _("Fit %(fit)s, intent %(intent)s")
            % {"fit": params["fit"], "intent": params.get("intent", 0)}
        )
    return " · ".join(str(p) for p in parts if p)


def render(
    kind: str, params: AlertParams, *, zone: zoneinfo.ZoneInfo | None = None, stale: bool = False
) -> AlertText:
    return AlertText(title_of(kind, params, stale=stale), body_of(kind, params, zone=zone,
                                                                   stale=stale))  # fmt: skip


def text_of(notification: Notification, *, zone: zoneinfo.ZoneInfo | None = None) -> AlertText:
    """A notification's words for the reader now; a row from before codes keeps its text."""
    if not notification.params:
        return AlertText(notification.title, notification.body)
    return render(
        notification.kind, notification.params, zone=zone, stale=notification.stale_at is not None
    )


def _clock(moment: datetime, zone: zoneinfo.ZoneInfo | None) -> str:
    local = timezone.localtime(moment, zone or timezone.get_current_timezone())
    return f"{time_format(local, 'H:i')} {local.tzname()}"
