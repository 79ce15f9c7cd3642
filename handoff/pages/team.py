"""The manager's Team page: his teams' waiting handoffs, SLA figures per rep, and
reassigning a handoff to another of his reps."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from handoff import handoffs, metrics
from handoff.models import Handoff
from leads.access import team_members, visible_leads
from leads.decorators import role_required
from leads.people import display_name
from leads.roles import Role, group_for, roles_of
from plumbing.errors import DomainError, InvalidInput

User = get_user_model()

# Lazy: read in each request's language (gettext here would fix the import's language).


def _assignable_reps(user: object) -> QuerySet[Any]:
    """Reps this user may hand a lead to: an admin any, a manager those of their teams."""
    reps = User.objects.filter(groups__name=group_for(Role.REP), is_active=True)
    if Role.ADMIN not in roles_of(user):
        reps = reps.filter(teams__manager=user)
    return reps.distinct().order_by("first_name", "last_name", "username")


@role_required(Role.MANAGER, Role.ADMIN)
def team(request: HttpRequest) -> HttpResponse:
    """The manager's teams: their open handoffs (most urgent first) with reassign, and
    last week's SLA per rep. Only the manager's own teams; an admin sees everyone."""
    now = timezone.now()
    people = team_members(request.user)
    pending = Handoff.objects.filter(status=Handoff.Status.PENDING)
    if people is not None:
        # Waiting with one of my reps, or waiting for any rep on a lead of my teams.
        pending = pending.filter(
            Q(rep__in=people.values("pk"))
            | Q(rep__isnull=True, lead__in=visible_leads(request.user).values("pk"))
        )
    reps = list(_assignable_reps(request.user))
    sla = metrics.sla(now - timedelta(days=7), now, people=people)
    return render(
        request,
        "handoff/team.html",
        {
            "pending": pending.select_related("lead__company", "rep").order_by("due_at")[:200],
            "reps": reps,
            "sla": sla,
            "per_rep": _per_rep_rows(reps, sla["per_rep"]),
        },
    )


def _per_rep_rows(reps: list[Any], per_rep: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every rep of the teams, those without a handoff this week too, then anyone else who
    had one (a rep since moved to another team), by name."""
    rows = {
        rep.get_username(): per_rep.get(rep.get_username())
        or {
            "name": display_name(rep),
            "handoffs": 0,
            "breaches": 0,
            "time_to_accept_s": {"median": None, "p90": None},
        }
        for rep in reps
    }
    rows |= {username: row for username, row in per_rep.items() if username not in rows}
    return sorted(rows.values(), key=lambda row: row["name"].lower())


@require_POST
@role_required(Role.MANAGER, Role.ADMIN)
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = get_object_or_404(Handoff, pk=pk, lead__in=visible_leads(request.user))
    rep = _assignable_reps(request.user).filter(pk=request.POST.get("rep") or 0).first()
    try:
        if rep is None:
            raise InvalidInput({"rep": [_("Choose one of your reps.")]})
        handoffs.reassign(handoff, actor=request.user, rep=rep)
        messages.success(request, _("Reassigned to %(rep)s: they were alerted.") % {
            "rep": display_name(rep)})  # fmt: skip
    except InvalidInput as error:
        messages.error(request, " ".join(m for msgs in error.errors.values() for m in msgs))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("team")
