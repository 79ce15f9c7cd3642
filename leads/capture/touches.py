"""Attribution touches: first and latest (UTM source, medium, campaign, content, term,
referrer, landing page) on each lead; the campaign is matched by its UTM code."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from leads import records
from leads.models import Campaign, Lead

TOUCH_KEYS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "utm_term",
    "referrer",
    "landing_page",
)


def touch_from(data: Mapping[str, Any]) -> dict[str, str]:
    """The touch fields found in a form post, an event's properties or a page view."""
    return {
        key: str(data[key])[:500]
        for key in TOUCH_KEYS
        if isinstance(data.get(key), (str, int)) and str(data[key]).strip()
    }


@transaction.atomic
def record_touches(touches: Mapping[int, Mapping[str, str]]) -> None:
    """Lead id → its newest touch. Sets the first touch once and the latest every time;
    a lead without a campaign joins the one whose UTM code it carries."""
    touches = {pk: touch for pk, touch in touches.items() if touch}
    if not touches:
        return
    codes = {t["utm_campaign"].lower() for t in touches.values() if t.get("utm_campaign")}
    campaigns = (
        {
            code.lower(): pk
            for pk, code in Campaign.objects.filter(utm_campaign__in=codes).values_list(
                "pk", "utm_campaign"
            )
        }
        if codes
        else {}
    )
    leads = Lead.objects.select_for_update(of=("self",)).filter(pk__in=touches).order_by("pk")
    changed = []
    joins: dict[int, int] = {}
    for lead in leads:
        touch = dict(touches[lead.pk])
        lead.last_touch = touch
        if not lead.first_touch:
            lead.first_touch = touch
        campaign = campaigns.get(touch.get("utm_campaign", "").lower())
        if lead.campaign_id is None and campaign is not None:
            joins[lead.pk] = campaign
        changed.append(lead)
    Lead.objects.bulk_update(changed, ["first_touch", "last_touch"])
    # Joining a campaign moves the lead's history into the campaign's report slices.
    records.join_campaigns(joins)
