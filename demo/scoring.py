"""Demo behaviour for the demo leads: what each did, in keeping with how far it got, then
its scores, so lead pages and queues show real explanations."""

import random
from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from leads.models import Lead
from leads.stages import Stage
from scoring.live import rescore_leads
from scoring.models import Event, LeadScore

# Per stage: which events a lead there typically produced, and how many.
BEHAVIOUR = {
    Stage.LEAD: (["page_view", "email_open", "content_download"], (0, 4)),
    Stage.MQL: (["pricing_page_visit", "demo_request", "webinar_attended", "email_click",
                 "page_view"], (4, 9)),
    Stage.SAL: (["demo_request", "pricing_page_visit", "email_reply", "page_view"], (5, 10)),
    Stage.SQL: (["demo_request", "email_reply", "pricing_page_visit", "free_trial"], (6, 12)),
    Stage.CUSTOMER: (["demo_request", "email_reply", "free_trial", "pricing_page_visit"],
                     (6, 12)),
    Stage.NURTURE: (["content_download", "webinar_registered", "email_open", "page_view"],
                    (2, 6)),
    Stage.DISQUALIFIED: (["page_view", "email_bounce", "unsubscribe"], (1, 3)),
}  # fmt: skip
PAGES = ["/pricing", "/product/scoring", "/blog/mql-vs-sql", "/customers", "/docs/api"]


def seed_demo_capture() -> None:
    """A demo web form and a tracked site, so the capture pages show their snippets."""
    from leads.models import Campaign
    from scoring.models import TrackingSite, WebForm

    if not WebForm.objects.exists():
        WebForm.objects.create(
            name="Demo request",
            campaign=Campaign.objects.filter(utm_campaign="webinar-scoring").first(),
            fields=[
                {"name": "email", "label": "Work email", "type": "email", "required": True,
                 "maps_to": "email"},
                {"name": "first_name", "label": "First name", "type": "text", "required": True,
                 "maps_to": "first_name"},
                {"name": "company_size", "label": "Company size", "type": "text",
                 "maps_to": "attributes.company_size"},
            ],
            consent_text="I agree to be contacted about Leadflow.",
            thank_you="Thanks! A specialist will call you within one business day.",
        )  # fmt: skip
    if not TrackingSite.objects.exists():
        TrackingSite.objects.create(name="www.leadflow.example",
                                    allowed_origins=["https://www.leadflow.example"])  # fmt: skip


def seed_demo_events(lead_ids: Sequence[int], *, seed: int = 2026) -> None:
    rng = random.Random(seed)
    now = timezone.now()
    events = []
    for lead in Lead.objects.filter(pk__in=lead_ids).order_by("pk"):
        types, (low, high) = BEHAVIOUR[Stage(lead.stage)]
        span = max((min(lead.stage_changed_at, now) - lead.created_at).total_seconds(), 3600)
        warm = lead.stage in (Stage.MQL, Stage.SAL, Stage.SQL, Stage.CUSTOMER)
        for index in range(rng.randint(low, high)):
            # Leads that reached marketing qualification asked for something concrete.
            event_type = "demo_request" if warm and index == 0 else rng.choice(types)
            properties = {"url": rng.choice(PAGES)} if event_type == "page_view" else {}
            events.append(
                Event(
                    lead=lead, type=event_type, source="website",
                    external_id=f"demo-{lead.pk}-{index}",
                    occurred_at=lead.created_at + timedelta(seconds=rng.uniform(0, span)),
                    properties=properties,
                )
            )  # fmt: skip
    Event.objects.bulk_create(events, ignore_conflicts=True)
    rescore_leads(list(lead_ids), at=now)


def mirror_made_up_scores(lead_ids: Sequence[int]) -> None:
    """Synthetic leads arrive with made-up scores on them: their score rows get the same
    (lists sort by those), as version 0, which any real scoring rebuilds."""
    LeadScore.objects.bulk_create(
        [
            LeadScore(lead_id=pk, model_version=0, fit=fit, intent=intent, likelihood=likelihood)
            for pk, fit, intent, likelihood in Lead.objects.filter(pk__in=lead_ids).values_list(
                "pk", "fit", "intent", "likelihood"
            )
        ],
        ignore_conflicts=True,
        batch_size=5000,
    )
