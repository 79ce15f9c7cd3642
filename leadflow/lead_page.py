"""The lead page — "the story" a rep reads before the call. It combines every app's data,
so it lives in the project package: who they are, what they did and what happened to
them (newest first), and why they score what they do."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from handoff import qualification
from handoff.models import ContactAttempt, Handoff, QualifyingQuestion
from leadflow import charts
from leads import lifecycle, privacy, records, redirects
from leads.access import visible_leads
from leads.decorators import role_required
from leads.errors import DomainError, InvalidInput
from leads.lifecycle import allowed_moves
from leads.roles import Role, roles_of
from scoring import engine
from scoring.criteria import active_spec
from scoring.live import events_by_lead
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
        who = change.actor.get_full_name() if change.actor else _("System")
        title = (
            _("Created as a lead")
            if not change.from_stage
            else _("%(from)s → %(to)s")
            % {"from": change.get_from_stage_display(), "to": change.get_to_stage_display()}
        )
        entries.append(Entry(change.at, "stage", title, f"{who}: {change.reason}".strip(": ")))
    for handoff in Handoff.objects.filter(lead=lead).select_related("rep", "reject_reason"):
        rep = handoff.rep.get_full_name() if handoff.rep else _("no rep yet")
        detail = handoff.reject_reason.label if handoff.reject_reason else ""
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
        who = note.author.get_full_name() or note.author.username if note.author else "—"
        entries.append(Entry(note.at, "note", _("Note by %(who)s") % {"who": who}, note.text))
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


@require_POST
@role_required()
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """A stage move from the lead page: the lifecycle decides, its refusals are shown."""
    lead = get_object_or_404(visible_leads(request.user), pk=pk)
    form = request.POST
    try:
        deal = Decimal(form["deal_value"]) if form.get("deal_value") else None
        closed = date.fromisoformat(form["closed_at"]) if form.get("closed_at") else None
        lifecycle.transition(
            lead,
            form.get("to", ""),
            actor=request.user,
            reason=form.get("reason", ""),
            expected_from=form.get("from") or None,
            deal_value=deal,
            closed_at=closed,
        )
        messages.success(request, _("Moved to %(stage)s.") % {"stage": lead.get_stage_display()})
    except (InvalidOperation, ValueError):
        messages.error(request, _("Give the deal value as a number and the date as YYYY-MM-DD."))
    except InvalidInput as error:
        messages.error(request, " ".join(m for msgs in error.errors.values() for m in msgs))
    except DomainError as error:
        messages.error(request, error.message)
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


@require_POST
@role_required()
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The rep records qualifying answers for a SAL."""
    lead = get_object_or_404(visible_leads(request.user), pk=pk)
    answers = {}
    for question in QualifyingQuestion.objects.filter(active=True):
        raw = request.POST.get(f"q{question.pk}", "").strip()
        if raw == "":
            continue
        if question.answer_type == QualifyingQuestion.AnswerType.YES_NO:
            answers[str(question.pk)] = raw == "yes"
        elif question.answer_type == QualifyingQuestion.AnswerType.NUMBER:
            try:
                answers[str(question.pk)] = float(raw) if "." in raw else int(raw)
            except ValueError:
                answers[str(question.pk)] = raw  # reported as not a number below
        else:
            answers[str(question.pk)] = raw
    try:
        qualification.record_answers(lead, actor=request.user, answers=answers)
        messages.success(request, _("Answers saved."))
    except InvalidInput as error:
        messages.error(request, " ".join(m for msgs in error.errors.values() for m in msgs))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("lead-page", pk=pk)


@role_required()
def lead_page(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(
        visible_leads(request.user).select_related("company", "owner", "team", "campaign"), pk=pk
    )
    spec = active_spec()
    score = engine.score_lead(
        spec,
        engine.facts_of(lead),
        events_by_lead([lead.pk]).get(lead.pk, ()),
        at=timezone.now(),
        likelihood=lead.likelihood,
    )
    open_handoff = Handoff.objects.filter(lead=lead, status=Handoff.Status.PENDING).first()
    return render(
        request,
        "leads/lead_page.html",
        {
            "lead": lead,
            "score": score,
            "spec": spec,
            "contributions": sorted(score.contributions, key=lambda c: -abs(c["points"])),
            "timeline": timeline(lead),
            "moves": allowed_moves(request.user, lead),
            "open_handoff": open_handoff,
            "is_admin": Role.ADMIN in roles_of(request.user),
            "trend": charts.trend(
                list(
                    reversed(
                        lead.score_history.order_by("-at").values_list("at", "fit", "intent")[:60]
                    )
                )
            ),
        },
    )
