"""The pages of alerts: the notifications list, the bell's count, and where an alert's
link goes (the lead, or where it went when the reader may no longer open it)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from handoff import alert_texts, notify
from handoff.models import Handoff, Notification
from leads.access import visible_leads
from leads.decorators import role_required
from leads.models import Lead
from leads.people import display_name
from leads.stages import Stage

User = get_user_model()

# Lazy: read in each request's language (gettext here would fix the import's language).


@role_required()
def notifications(request: HttpRequest) -> HttpResponse:
    """The reader's alerts, newest first, in the reader's language; opening the page reads
    them."""
    items = list(
        Notification.objects.filter(user=request.user).select_related("lead", "handoff")[:100]
    )
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return render(
        request,
        "handoff/notifications.html",
        {"items": [(item, alert_texts.text_of(item)) for item in items]},
    )


@role_required()
def bell(request: HttpRequest) -> HttpResponse:
    """The bell's link and unread count, swapped into the bell's stable wrapper."""
    response = render(
        request, "handoff/_bell_link.html", {"unread": notify.unread_count(request.user)}
    )
    response["Vary"] = "HX-Request"
    return response


@role_required()
def alert_lead(request: HttpRequest, pk: int) -> HttpResponse:
    """Where an alert's "Open the lead" goes. Whether the reader may still open the lead is
    decided now, at the click: if so, the lead's page; if the lead moved on (to another rep
    after an SLA breach or a reassignment, or merged away), a page that says where it went
    and since when. Someone who was never alerted about the lead gets the usual 404."""
    lead = Lead.objects.filter(pk=pk).select_related("owner", "company").first()
    if lead is None:
        raise Http404
    visible = visible_leads(request.user)
    Notification.objects.filter(user=request.user, lead=lead, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if visible.filter(pk=lead.pk).exists():
        return redirect("lead-page", pk=lead.pk)
    if lead.merged_into_id and visible.filter(pk=lead.merged_into_id).exists():
        return redirect("lead-page", pk=lead.merged_into_id)
    alerted = Notification.objects.filter(user=request.user, lead=lead).exists()
    if not (alerted or Handoff.objects.filter(lead=lead, rep=request.user).exists()):
        raise Http404
    return render(request, "handoff/lead_moved_on.html", {"lead": lead, "moved": whereabouts(lead)})


def whereabouts(lead: Lead) -> dict[str, Any]:
    """Where a lead is now, for someone who may no longer open it: with whom and since when."""
    latest = Handoff.objects.filter(lead=lead).select_related("rep").order_by("-created_at").first()
    with_rep = latest is not None and latest.rep_id is not None and latest.rep_id == lead.owner_id
    return {
        "owner": display_name(lead.owner) if lead.owner_id else "",
        "since": (latest.assigned_at or latest.created_at) if with_rep else lead.stage_changed_at,
        "stage": Stage(lead.stage).label,
        "waiting": latest is not None and latest.status == Handoff.Status.PENDING,
    }
