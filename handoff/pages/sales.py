"""Pages for daily sales work: the marketer's MQL queue and Nurture, the rep's inbox (the
manager's Team page is in team_pages, alerts in alert_pages). Actions call the same domain
functions as the API and answer htmx requests with the updated row."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from handoff import bulk, handoffs
from handoff.models import Handoff, RejectReason
from handoff.panels import sal_rows
from leads import system_texts
from leads.access import visible_leads
from leads.decorators import role_required
from leads.filters import filter_leads
from leads.models import Campaign, StageChange
from leads.people import display_name
from leads.roles import Role
from leads.stages import Stage
from plumbing import redirects
from plumbing.errors import DomainError
from plumbing.keyset import BadCursor, keyset_page
from scoring.criteria import active_spec

User = get_user_model()

# Lazy: read in each request's language (gettext here would fix the import's language).
QUEUE_SORTS = {
    "-fit": gettext_lazy("Best fit"),
    "-intent": gettext_lazy("Most intent"),
    "-likelihood": gettext_lazy("Most likely"),
    "created_at": gettext_lazy("Oldest"),
}


# The filters the queue's bar shows (their errors appear beside them; others above).
QUEUE_FILTER_BAR = frozenset({"q", "source", "campaign", "country", "industry", "fit_grade",
                              "intent_grade", "fit_min"})  # fmt: skip


@role_required(Role.MARKETER, Role.ADMIN)
def queue(request: HttpRequest) -> HttpResponse:
    """MQLs waiting to be sent to sales (or already with a rep), best first."""
    ordering = request.GET.get("ordering", "-fit")
    if ordering not in QUEUE_SORTS:
        ordering = "-fit"
    all_mqls = visible_leads(request.user).filter(stage=Stage.MQL)
    filtered = filter_leads(request.GET, all_mqls.select_related("company", "owner"))
    mqls = filtered.leads
    if request.GET.get("hot"):
        mqls = mqls.filter(intent__gte=active_spec().hot_intent)
    try:
        page = keyset_page(mqls, ordering=ordering, cursor=request.GET.get("cursor"), size=50)
    except BadCursor:  # a stale or edited cursor: the first page, not an error
        page = keyset_page(mqls, ordering=ordering, cursor=None, size=50)
    waiting = set(
        Handoff.objects.filter(
            lead__in=[lead.pk for lead in page.rows], status=Handoff.Status.PENDING
        ).values_list("lead_id", flat=True)
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    bulk = request.session.pop(BULK_FLASH, None)
    kept = set(bulk["selected"]) if bulk else set()
    return render(
        request,
        "handoff/queue.html",
        {
            "leads": page.rows,
            "next_cursor": page.next_cursor,
            "ordering": ordering,
            "sorts": QUEUE_SORTS,
            "waiting": waiting,
            "query": query.urlencode(),
            "filters": request.GET,
            "filter_errors": filtered.errors,
            "bar_fields": QUEUE_FILTER_BAR,
            "filtered": filtered.active,
            # The real empty state only when there is no MQL at all, not when the
            # filters hide them.
            "no_mqls": not page.rows and not all_mqls.exists(),
            "clear_url": f"{reverse('queue')}?{urlencode({'ordering': ordering})}",
            "campaigns": Campaign.objects.order_by("name"),
            "bulk": bulk,
            "kept": kept,
            "selected_on_page": sum(
                1 for lead in page.rows if lead.pk in kept and lead.pk not in waiting
            ),
        },
    )


# The last bulk action's outcome, shown once by the queue after the redirect.
BULK_FLASH = "queue_bulk_outcome"


def _bulk_flash(outcome: bulk.BulkOutcome, *, reason: str) -> dict[str, Any]:
    """What the queue shows after a bulk action: plain data the session can hold."""
    return {
        "action": outcome.action,
        "reason": reason,
        "selected": outcome.selected,
        "done": len(outcome.done),
        "failures": [
            {"id": f.lead.pk, "name": f.lead.full_name or f.lead.email, "why": f.why}
            for f in outcome.failures
        ],
        "errors": outcome.errors,
    }


@require_POST
@role_required(Role.MARKETER, Role.ADMIN)
def send_selected(request: HttpRequest) -> HttpResponse:
    """Bulk on the queue: send the selected MQLs to sales, or move them to nurture or
    disqualify them with a reason. The queue then says how many were done and, per lead,
    why others were not, with the selection and the reason still filled in."""
    ids = [int(pk) for pk in request.POST.getlist("lead") if pk.isdigit()]
    reason = request.POST.get("reason", "")
    outcome = bulk.apply_to_selected(
        visible_leads(request.user),
        ids,
        action=request.POST.get("action", bulk.SEND),
        actor=request.user,
        reason=reason,
    )
    request.session[BULK_FLASH] = _bulk_flash(outcome, reason=reason)
    return redirect(redirects.next_url(request, "queue"))


@role_required(Role.MARKETER, Role.ADMIN)
def nurture(request: HttpRequest) -> HttpResponse:
    """Leads back in nurture, with why: the reason of the move and sales' rejection."""
    # The latest move into nurture and the latest rejection, as subqueries of the page's
    # one query (no query per row); a lead nurtured and recycled twice shows its last reason.
    why = StageChange.objects.filter(lead=OuterRef("pk"), to_stage=Stage.NURTURE).order_by("-at")
    rejection = Handoff.objects.filter(lead=OuterRef("pk"), status=Handoff.Status.REJECTED)
    leads = (
        visible_leads(request.user)
        .filter(stage=Stage.NURTURE)
        .annotate(
            why=Subquery(why.values("reason")[:1]),
            why_code=Subquery(why.values("reason_code")[:1]),
            why_params=Subquery(why.values("reason_params")[:1]),
            rejected_for=Subquery(
                rejection.order_by("-answered_at").values("reject_reason__label")[:1]
            ),
        )
        .select_related("company")
    )
    reason = request.GET.get("reason", "")
    if reason:
        # Filters on the latest rejection only: the reason the lead is in nurture now.
        leads = leads.filter(rejected_for=reason)
    try:
        page = keyset_page(
            leads, ordering="-stage_changed_at", cursor=request.GET.get("cursor"), size=50
        )
    except BadCursor:  # a stale or edited cursor: the first page, not an error
        page = keyset_page(leads, ordering="-stage_changed_at", cursor=None, size=50)
    for lead in page.rows:  # the system's words in the reader's language
        lead.why = system_texts.render(lead.why_code, lead.why_params, fallback=lead.why or "")
    return render(
        request,
        "handoff/nurture.html",
        {
            "leads": page.rows,
            "next_cursor": page.next_cursor,
            "reason": reason,
            "reasons": RejectReason.objects.filter(active=True),
        },
    )


@require_POST
@role_required(Role.MARKETER, Role.MANAGER, Role.ADMIN)
def send_to_sales(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(visible_leads(request.user), pk=pk)
    try:
        handoff = handoffs.send_to_sales(lead, actor=request.user)
    except DomainError as error:
        # A refusal reads as an error, in place of the button, never as a success.
        if request.htmx:
            return HttpResponse(format_html('<span role="alert" class="form-error">{}</span>',
                                            error.message))  # fmt: skip
        messages.error(request, error.message)
        return redirect("queue")
    rep = display_name(handoff.rep) if handoff.rep else _("the team (no rep free yet)")
    text = _("Sent to %(rep)s.") % {"rep": rep}
    if request.htmx:
        return HttpResponse(format_html('<span role="status">{}</span>', text))
    messages.success(request, text)
    return redirect("queue")


def _inbox(user: object) -> QuerySet[Handoff]:
    return (
        Handoff.objects.filter(rep=user, status=Handoff.Status.PENDING)
        .select_related("lead__company")
        .order_by("due_at")
    )


@role_required(Role.REP, Role.ADMIN)
def inbox(request: HttpRequest) -> HttpResponse:
    mine = visible_leads(request.user)
    sals = list(mine.filter(stage=Stage.SAL, owner=request.user).select_related("company")[:100])
    return render(
        request,
        "handoff/inbox.html",
        {
            "pending": _inbox(request.user),
            # Each SAL with what is missing for SQL and its contact attempts against the
            # "unresponsive" rule; attempts are logged in the card (leadflow/pages/lead_sales.py).
            "sals": sal_rows(request, sals, next_url=reverse("inbox")),
            "sqls": mine.filter(stage=Stage.SQL, owner=request.user).select_related("company")[
                :100
            ],
            "reasons": RejectReason.objects.filter(active=True),
            "today": timezone.localdate(),
        },
    )


def _answered(
    request: HttpRequest, handoff: Handoff, text: str, *, refused: bool = False
) -> HttpResponse:
    if request.htmx:
        return render(request, "handoff/_answered_row.html",
                      {"handoff": handoff, "text": text, "refused": refused})  # fmt: skip
    (messages.error if refused else messages.info)(request, text)
    return redirect("inbox")


def _handoff_for_answer(request: HttpRequest, pk: int) -> Handoff:
    """The handoff a rep answers from the inbox: theirs even once the lead has moved on to
    someone else (they are then told so in place), else one of a lead they may see."""
    handoff = get_object_or_404(Handoff.objects.select_related("lead"), pk=pk)
    if (
        handoff.rep_id != request.user.pk
        and not visible_leads(request.user).filter(pk=handoff.lead_id).exists()
    ):
        raise Http404
    return handoff


@require_POST
@role_required(Role.REP, Role.ADMIN)
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = _handoff_for_answer(request, pk)
    try:
        handoffs.accept(handoff, actor=request.user)
    except DomainError as error:
        return _answered(request, handoff, error.message, refused=True)
    return _answered(
        request, handoff, _("Accepted: %(who)s is now your SAL.") % {"who": handoff.lead}
    )


@require_POST
@role_required(Role.REP, Role.ADMIN)
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = _handoff_for_answer(request, pk)
    try:
        handoffs.reject(
            handoff,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        return _answered(request, handoff, bulk.readable(error), refused=True)
    return _answered(request, handoff, _("Rejected: back to marketing with your reason."))
