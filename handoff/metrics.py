"""Handoff numbers: SLA compliance, speed to lead, rejection reasons, NPS.

Definitions (also in README.md), over handoffs created in [start, end):
- SLA compliance: answered (accepted or rejected) by the due time ÷ (answered + expired);
  breaches are the rest of that same set (answered late or expired), so the two figures
  always agree; None (no data) while nothing was answered or expired. Handoffs with no SLA
  clock (no due time) are not counted either way.
- Time to accept: alert → acceptance (the rep's part); system delay: qualifying move →
  alert (ours). Median and 90th percentile, in seconds.
- Rejections: count per reason, per lead source and per routing rule.
- ``people`` (a queryset of users, e.g. ``leads.access.team_members``) keeps the handoffs
  of those reps only: a manager's figures are his teams' figures; None counts everyone.
- NPS over follow-up surveys answered in the period: % promoters (9–10) − % detractors
  (0–6), None when nobody answered.
"""

import statistics
from collections import Counter
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from handoff.models import FollowUp, Handoff
from leads.people import display_name
from leads.reports.metrics import NO_FILTERS, Filters
from plumbing.numbers import percentile, ratio

People = QuerySet[Any] | None


def _stats(values: list[float]) -> dict[str, float | None]:
    values = sorted(values)
    return {
        "median": round(statistics.median(values), 1) if values else None,
        "p90": round(percentile(values, 90), 1) if values else None,
    }


def _of(people: People) -> Q:
    return Q() if people is None else Q(rep__in=people.values("pk"))


def _sla_outcomes(rows: list[dict[str, Any]]) -> tuple[int, int]:
    """(answered in time, breaches) over handoffs with an SLA clock: the one source of both
    the compliance rate and the breach count."""
    in_time = breaches = 0
    for row in rows:
        if row["due_at"] is None:
            continue
        if row["answered_at"] is not None:
            if row["answered_at"] <= row["due_at"]:
                in_time += 1
            else:
                breaches += 1
        elif row["status"] == Handoff.Status.EXPIRED:
            breaches += 1
    return in_time, breaches


def sla(
    start: datetime, end: datetime, filters: Filters = NO_FILTERS, *, people: People = None
) -> dict[str, Any]:
    handoffs = Handoff.objects.filter(
        filters.moves(), _of(people), created_at__gte=start, created_at__lt=end,
        rep__isnull=False,
    )  # fmt: skip
    rows = list(
        handoffs.values(
            "rep__username", "status", "due_at", "answered_at", "alerted_at", "qualified_at"
        )
    )
    reps = {r["rep__username"] for r in rows}
    names = {
        user.get_username(): display_name(user)
        for user in get_user_model().objects.filter(username__in=reps)
    }
    in_time, breaches = _sla_outcomes(rows)
    expired = sum(1 for r in rows if r["status"] == Handoff.Status.EXPIRED)
    accepted = [r for r in rows if r["status"] == Handoff.Status.ACCEPTED and r["alerted_at"]]
    per_rep: dict[str, dict[str, Any]] = {}
    for rep in sorted(reps, key=lambda username: names.get(username, username).lower()):
        mine = [r for r in rows if r["rep__username"] == rep]
        per_rep[rep] = {
            "name": names.get(rep, rep),
            "handoffs": len(mine),
            "breaches": _sla_outcomes(mine)[1],
            "time_to_accept_s": _stats(
                [
                    (r["answered_at"] - r["alerted_at"]).total_seconds()
                    for r in mine
                    if r["status"] == Handoff.Status.ACCEPTED and r["alerted_at"]
                ]
            ),
        }
    return {
        "handoffs": len(rows),
        "answered_in_time": in_time,
        "breaches": breaches,
        "expired": expired,
        "compliance": ratio(in_time, in_time + breaches),
        "time_to_accept_s": _stats(
            [(r["answered_at"] - r["alerted_at"]).total_seconds() for r in accepted]
        ),
        "system_delay_s": _stats(
            [(r["alerted_at"] - r["qualified_at"]).total_seconds() for r in rows if r["alerted_at"]]
        ),
        "per_rep": per_rep,
    }


def rejections(
    start: datetime, end: datetime, filters: Filters = NO_FILTERS, *, people: People = None
) -> dict[str, Any]:
    rejected = Handoff.objects.filter(
        filters.moves(), _of(people), status=Handoff.Status.REJECTED,
        answered_at__gte=start, answered_at__lt=end,
    )  # fmt: skip

    def count(field: str) -> dict[str, int]:
        rows = rejected.values_list(field).annotate(n=Count("pk")).order_by("-n")
        return {str(key) if key is not None else "—": n for key, n in rows}

    return {
        "total": rejected.count(),
        "by_reason": count("reject_reason__label"),
        "by_source": count("lead__source"),
        "by_rule": count("rule__name"),
        "by_source_and_reason": [
            {"source": source, "reason": reason, "count": n}
            for source, reason, n in rejected.values_list("lead__source", "reject_reason__label")
            .annotate(n=Count("pk"))
            .order_by("-n")
        ],
    }


def nps(start: datetime, end: datetime) -> dict[str, Any]:
    answers = Counter(
        FollowUp.objects.filter(answered_at__gte=start, answered_at__lt=end).values_list(
            "category", flat=True
        )
    )
    total = sum(answers.values())
    promoters, passives = answers[FollowUp.Category.PROMOTER], answers[FollowUp.Category.PASSIVE]
    detractors = answers[FollowUp.Category.DETRACTOR]
    return {
        "answers": total,
        "promoters": promoters,
        "passives": passives,
        "detractors": detractors,
        "nps": round(100 * (promoters - detractors) / total) if total else None,
    }
