"""The lead page — "the story" a rep reads before the call. It combines every app's data,
so it lives in the project package: who they are, what they did and what happened to
them (newest first), and why they score what they do."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from handoff.guards import UNRESPONSIVE, unresponsive_reason
from handoff.models import ContactAttempt, Handoff
from handoff.panels import attempts_context, qualify_context
from leadflow import charts
from leads import lifecycle, privacy, records
from leads.access import visible_leads
from leads.decorators import role_required
from leads.lifecycle import allowed_moves
from leads.models import Lead
from leads.people import display_name
from leads.roles import Role, roles_of
from leads.stages import Stage
from plumbing import redirects
from plumbing.errors import DomainError, InvalidInput
from plumbing.localized_input import example_number, parse_date, parse_decimal
from scoring.explain import explain
from scoring.models import Event, EventType

TIMELINE_LIMIT = 200


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # event, stage, handoff, attempt
    title: str
    detail: str = ""


def timeline(lead: Any) -> list[Entry]:
    entries: list[Entry] = []
    labels = dict(EventType.objects.values_list("code", "label"))
    for event in Event.objects.filter(lead=lead).order_by("-occurred_at")[:TIMELINE_LIMIT]:
        url = (event.properties or {}).get("url", "")
        entries.append(
            Entry(
                event.occurred_at,
                "event",
                _(labels.get(event.type, event.type)),
                f"{url} · {event.source}" if url else event.source,
            )
        )
    for change in lead.history.select_related("actor").order_by("-at")[:TIMELINE_LIMIT]:
        who = display_name(change.actor) if change.actor else _("System")
        title = (
            _("Created as a lead")
            if not change.from_stage
            else _("%(from)s → %(to)s")
            % {"from": change.get_from_stage_display(), "to": change.get_to_stage_display()}
        )
        entries.append(Entry(change.at, "stage", title, f"{who}: {change.reason_text}".strip(": ")))
    for handoff in Handoff.objects.filter(lead=lead).select_related("rep", "reject_reason"):
        rep = display_name(handoff.rep) if handoff.rep else _("no rep yet")
        detail = _(handoff.reject_reason.label) if handoff.reject_reason else ""  # shipped
        entries.append(
            Entry(
                handoff.created_at,
                "handoff",
                _("Handed to %(rep)s: %(status)s")
                % {"rep": rep, "status": handoff.get_status_display()},
                detail,
            )
        )
    for note in lead.notes.select_related("author").order_by("-at")[:TIMELINE_LIMIT]:
        who = display_name(note.author) if note.author else "—"
        entries.append(Entry(note.at, "note", _("Note by %(who)s") % {"who": who}, note.shown))
    for attempt in ContactAttempt.objects.filter(lead=lead).select_related("rep"):
        entries.append(
            Entry(
                attempt.at,
                "attempt",
                f"{attempt.get_kind_display()}: {attempt.get_outcome_display()}",
                attempt.note,
            )
        )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:TIMELINE_LIMIT]


def _deal_details(form: Any) -> tuple[Decimal | None, date | None, dict[str, list[str]]]:
    """The won deal's value and close date, read in the person's language."""
    errors: dict[str, list[str]] = {}
    deal = closed = None
    if form.get("deal_value", "").strip():
        try:
            deal = parse_decimal(form["deal_value"])
        except ValueError as error:
            errors["deal_value"] = [str(error)]
    if form.get("closed_at", "").strip():
        try:
            closed = parse_date(form["closed_at"])
        except ValueError as error:
            errors["closed_at"] = [str(error)]
    return deal, closed, errors


# The fields each move form on the page shows its errors next to; any other error of a
# refused move (a guard's refusal, a stage someone changed meanwhile) is said above it.
MOVE_FORM_FIELDS = {
    "move": {"reason"},
    "won": {"deal_value", "closed_at"},
    "lost": {"reason"},
}


def _refused_move(name: str, data: dict[str, str], errors: dict[str, list[str]]) -> dict[str, Any]:
    shown = MOVE_FORM_FIELDS.get(name, set())
    general = [msg for key, msgs in errors.items() if key not in shown for msg in msgs]
    return {"name": name, "data": data, "errors": errors, "general": general}


def _reason(typed: str) -> lifecycle.Reason:
    """What a person typed, as typed; the unresponsive move's code (the attempts panel's
    button) as the system text every reader reads in their language."""
    return unresponsive_reason() if typed.strip() == UNRESPONSIVE else typed


@require_POST
@role_required()
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """A stage move from the lead page or the inbox: the lifecycle decides. A refusal shows
    the lead page again with the error next to the form that was sent and what was typed
    in it (status 400); a move made goes back to where it was made."""
    lead = get_object_or_404(visible_leads(request.user), pk=pk)
    form = request.POST
    deal, closed, errors = _deal_details(form)
    if not errors:
        try:
            lifecycle.transition(
                lead,
                form.get("to", ""),
                actor=request.user,
                reason=_reason(form.get("reason", "")),
                expected_from=form.get("from") or None,
                deal_value=deal,
                closed_at=closed,
            )
        except InvalidInput as error:
            errors = {key: list(msgs) for key, msgs in error.errors.items()}
        except DomainError as error:
            errors = {"__all__": [error.message]}
    if errors:
        return render_lead_page(
            request,
            lead,
            status=400,
            move_form=_refused_move(form.get("form", "move"), form.dict(), errors),
        )
    messages.success(request, _("Moved to %(stage)s.") % {"stage": lead.get_stage_display()})
    # Back to where the move was made (the inbox), else the lead's page.
    return redirect(redirects.next_url(request, "lead-page", pk))


@require_POST
@role_required(Role.ADMIN)
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(visible_leads(request.user), pk=pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the erasure."))
    else:
        try:
            privacy.erase(lead, actor=request.user)
            messages.success(request, _("Personal data erased."))
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("lead-page", pk=pk)


@require_POST
@role_required()
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(visible_leads(request.user), pk=pk)
    try:
        records.add_note(lead, author=request.user, text=request.POST.get("text", ""))
        messages.success(request, _("Note added."))
    except InvalidInput as error:
        messages.error(request, " ".join(m for msgs in error.errors.values() for m in msgs))
    return redirect("lead-page", pk=pk)


@role_required()
def lead_page(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(
        visible_leads(request.user).select_related("company", "owner", "team", "campaign"), pk=pk
    )
    return render_lead_page(request, lead, fresh=True)


def render_lead_page(
    request: HttpRequest,
    lead: Lead,
    *,
    status: int = 200,
    qualify: dict[str, Any] | None = None,
    attempts: dict[str, Any] | None = None,
    move_form: dict[str, Any] | None = None,
    fresh: bool = False,
) -> HttpResponse:
    """The whole page; a refused form passes its own panel's context (errors, what was
    typed) or ``move_form`` (which move form, its data and errors). The lead is read again
    (a refused change may have left the caller's copy edited) unless the caller just read
    it with its company, owner, team and campaign (``fresh``)."""
    if not fresh:
        lead = (
            Lead.objects.select_related("company", "owner", "team", "campaign")
            .filter(pk=lead.pk)
            .get()
        )
    score = explain(lead, with_likelihood_reasons=True)
    open_handoff = Handoff.objects.filter(lead=lead, status=Handoff.Status.PENDING).first()
    moves = allowed_moves(request.user, lead)
    selling = lead.stage in (Stage.SAL, Stage.SQL)
    other_moves = [stage for stage in moves if stage != Stage.CUSTOMER]
    may_win = Stage.CUSTOMER in moves
    move_form = move_form or _refused_move("", {}, {})
    # A refused form that is no longer on the page (the lead moved meanwhile) still says why.
    on_page = {"won", "lost"} if may_win else set()
    if other_moves:
        on_page |= {"move", "sql", "unresponsive"}
    move_form["placed"] = move_form["name"] in on_page
    return render(
        request,
        "leads/lead_page.html",
        {
            "lead": lead,
            "score": score,
            "likelihood_explanation": score["likelihood_explanation"],
            "timeline": timeline(lead),
            "moves": moves,
            # The won move has its own form (value and close date) in the deal panel.
            "other_moves": other_moves,
            "may_win": may_win,
            "move_form": move_form,
            "open_handoff": open_handoff,
            "is_admin": Role.ADMIN in roles_of(request.user),
            "qualify": qualify
            or (qualify_context(request, lead) if lead.stage == Stage.SAL else None),
            "attempts": attempts or (attempts_context(request, lead) if selling else None),
            "today": timezone.localdate(),
            "number_example": example_number(),
            "trend": charts.trend(
                list(
                    reversed(
                        lead.score_history.order_by("-at").values_list("at", "fit", "intent")[:60]
                    )
                )
            ),
        },
        status=status,
    )
