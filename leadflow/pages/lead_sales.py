"""The rep's actions on a SAL, from the lead page and the inbox: answer the qualifying
questions, log a contact attempt. Each htmx form gets its panel back, updated.

htmx does not swap 4xx answers (and logs them as console errors), so a refused form comes
back as a 200 partial with the errors next to the fields; without htmx the whole lead page
is rendered with them, as a 400."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from handoff import qualification
from handoff.panels import attempts_context, qualify_context
from leadflow.pages.lead import render_lead_page
from leads.access import visible_leads
from leads.decorators import role_required
from leads.roles import Role
from plumbing.errors import DomainError, InvalidInput
from plumbing.localized_input import parse_decimal
from plumbing.redirects import next_path

SALES_ROLES = (Role.REP, Role.MANAGER, Role.ADMIN)


def _refused(error: DomainError) -> dict[str, list[str]]:
    if isinstance(error, InvalidInput):
        return {key: list(messages_) for key, messages_ in error.errors.items()}
    return {"__all__": [error.message]}


@require_GET
@role_required(*SALES_ROLES)
def qualify_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The questions panel on its own, for the inbox's SAL rows."""
    lead = get_object_or_404(visible_leads(request.user), pk=pk)
    return render(request, "leads/_qualify.html", {"qualify": qualify_context(request, lead)})


@require_POST
@role_required(*SALES_ROLES)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The rep records qualifying answers for a SAL, numbers read in their language."""
    lead = get_object_or_404(visible_leads(request.user), pk=pk)
    answers, errors = qualification.answers_from_form(request.POST, parse_number=parse_decimal)
    if not errors:
        try:
            qualification.record_answers(lead, actor=request.user, answers=answers)
        except DomainError as error:
            errors = _refused(error)
    typed = request.POST.dict() if errors else None
    if request.htmx:
        context = qualify_context(request, lead, typed=typed, errors=errors, saved=not errors)
        return render(request, "leads/_qualify.html", {"qualify": context})
    if errors:
        return render_lead_page(
            request, lead, status=400, qualify=qualify_context(request, lead, typed=typed,
                                                               errors=errors)
        )  # fmt: skip
    messages.success(request, _("Answers saved."))
    return redirect("lead-page", pk=pk)


@require_POST
@role_required(*SALES_ROLES)
def log_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    """A call, email or meeting and its outcome, from the lead page or the inbox."""
    lead = get_object_or_404(visible_leads(request.user), pk=pk)
    form = request.POST
    next_url = next_path(request)
    errors: dict[str, list[str]] = {}
    try:
        qualification.log_attempt(
            lead,
            actor=request.user,
            kind=form.get("kind", ""),
            outcome=form.get("outcome", ""),
            note=form.get("note", ""),
        )
    except DomainError as error:
        errors = _refused(error)
    typed = form.dict() if errors else None
    in_inbox = bool(next_url)
    if request.htmx:
        context = attempts_context(
            request, lead, next_url=next_url, typed=typed, errors=errors, recent=not in_inbox
        )
        context["logged"] = not errors
        return render(request, "leads/_attempts.html", {"attempts": context})
    if errors:
        return render_lead_page(
            request, lead, status=400,
            attempts=attempts_context(request, lead, typed=typed, errors=errors),
        )  # fmt: skip
    messages.success(request, _("Contact attempt logged."))
    return redirect(next_url) if next_url else redirect("lead-page", pk=lead.pk)
