"""The scoring app's part of a person's data: behaviour, page views, form posts, scores."""

from typing import Any

from leads.models import Lead
from scoring.models import Event, FormSubmission, PageView


def export(lead: Lead) -> dict[str, Any]:
    return {
        "events": list(Event.objects.filter(lead=lead).order_by("occurred_at").values(
            "type", "source", "occurred_at", "properties")),
        "page_views": list(PageView.objects.filter(lead=lead).order_by("at").values(
            "url", "title", "referrer", "utm", "at")),
        "form_submissions": list(FormSubmission.objects.filter(lead=lead).values(
            "form__name", "data", "created_at")),
        "scores": {"fit": lead.fit, "intent": lead.intent, "likelihood": lead.likelihood},
    }  # fmt: skip


def erase(lead: Lead) -> None:
    """Events keep their type and time (intent and reports still count them); what they
    carried (pages, form answers, UTM beyond the campaign) goes."""
    for event in Event.objects.filter(lead=lead).exclude(properties={}).only("properties"):
        kept = {k: v for k, v in (event.properties or {}).items() if k == "utm_campaign"}
        Event.objects.filter(pk=event.pk).update(properties=kept)
    PageView.objects.filter(lead=lead).update(url="", title="", referrer="", visitor="")
    FormSubmission.objects.filter(lead=lead).update(data={})
