"""Campaigns with their spend: what each campaign cost and what it brought (cost per
lead, MQL, SQL and customer for the chosen period). Saved through the API's serializers."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leads.api.serializers import CampaignSerializer, SpendEntrySerializer
from leads.decorators import role_required
from leads.models import Campaign, Channel, SpendEntry
from leads.reports import metrics
from leads.reports.periods import PERIODS, period
from leads.roles import Role


def _fields(request: HttpRequest, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: request.POST.get(name, "").strip() or None for name in names}


@role_required(Role.MARKETER, Role.ADMIN)
def campaigns(request: HttpRequest) -> HttpResponse:
    start, end, chosen = period(request)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        data = _fields(request, ("name", "channel", "utm_campaign", "starts_on", "ends_on"))
        data["utm_campaign"] = data["utm_campaign"] or ""
        checked = CampaignSerializer(data=data)
        if checked.is_valid():
            campaign = checked.save()
            messages.success(request, _("Campaign “%(name)s” added.") % {"name": campaign.name})
            return redirect("campaign", pk=campaign.pk)
        errors = checked.errors
    numbers = {row["campaign"]: row for row in metrics.cost_per_stage(start, end)}
    rows = [(campaign, numbers.get(campaign.pk)) for campaign in Campaign.objects.order_by("name")]
    return render(
        request,
        "leads/campaigns.html",
        {"rows": rows, "channels": Channel.choices, "errors": errors, "periods": PERIODS,
         "chosen": chosen, "start": start, "end": end},
        status=400 if errors else 200,
    )  # fmt: skip


@role_required(Role.MARKETER, Role.ADMIN)
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        data = {**_fields(request, ("amount", "currency", "starts_on", "ends_on")),
                "campaign": campaign.pk}  # fmt: skip
        checked = SpendEntrySerializer(data=data)
        if checked.is_valid():
            checked.save()
            messages.success(request, _("Spend entry added."))
            return redirect("campaign", pk=campaign.pk)
        errors = checked.errors
    return render(
        request,
        "leads/campaign.html",
        {
            "campaign": campaign,
            "entries": campaign.spend_entries.order_by("-starts_on"),
            "errors": errors,
            "values": request.POST,
        },
        status=400 if errors else 200,
    )


@require_POST
@role_required(Role.MARKETER, Role.ADMIN)
def delete_spend(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(SpendEntry, pk=pk)
    entry.delete()
    messages.success(request, _("Spend entry removed."))
    return redirect("campaign", pk=entry.campaign_id)
