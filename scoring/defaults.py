"""The built-in event types and the first scoring model shipped with Leadflow.

Used by migration scoring/0002 (with historical models) and by tests that need the
defaults back after a database flush (with the real ones): keep it free of app imports.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop as N_

# Shipped texts are stored in English and shown through the catalogue (the |shipped
# filter), so each user reads them in their language; texts an admin writes show as written.

EVENT_TYPES = [
    ("demo_request", N_("Demo request")),
    ("pricing_page_visit", N_("Pricing page visit")),
    ("page_view", N_("Page view")),
    ("content_download", N_("Content download")),
    ("webinar_registered", N_("Webinar registration")),
    ("webinar_attended", N_("Webinar attendance")),
    ("email_open", N_("Email open")),
    ("email_click", N_("Email click")),
    ("email_reply", N_("Email reply")),
    ("contact_form", N_("Contact form")),
    ("free_trial", N_("Free trial")),
    ("competitor_research", N_("Third-party intent: competitor research")),
    ("category_research", N_("Third-party intent: category research")),
    ("unsubscribe", N_("Unsubscribe")),
    ("email_bounce", N_("Email bounce")),
]

FIT_RULES = [
    ("attributes.seniority", "in", ["vp", "c-level", "director", "head"], 25,
     N_("Decision-maker seniority")),
    ("attributes.seniority", "equals", "student", -40, N_("Student")),
    ("company.employees", "between", [50, 5000], 20, N_("Company of 50–5,000 people")),
    ("company.employees", "gte", 5001, 10, N_("Enterprise (over 5,000 people)")),
    ("company.industry", "in", ["Software", "Financial services", "Telecommunications"], 20,
     N_("Target industry")),
    ("company.country", "in", ["ES", "MX", "CO", "AR", "US", "GB", "DE", "FR"], 10,
     N_("Served country")),
    ("attributes.department", "in", ["marketing", "sales"], 15, N_("Marketing or sales team")),
    ("email", "ends_with", "@gmail.com", -15, N_("Personal email address")),
]  # fmt: skip

INTENT_RULES = [
    # event type, points, cap, half-life in days, label
    ("demo_request", 40, 60, 30, N_("Demo requests")),
    ("pricing_page_visit", 10, 30, 14, N_("Pricing page visits")),
    ("page_view", 1, 10, 7, N_("Page views")),
    ("content_download", 8, 24, 21, N_("Content downloads")),
    ("webinar_registered", 5, 10, 30, N_("Webinar registrations")),
    ("webinar_attended", 15, 30, 30, N_("Webinars attended")),
    ("email_open", 1, 5, 14, N_("Email opens")),
    ("email_click", 3, 12, 14, N_("Email clicks")),
    ("email_reply", 15, 30, 14, N_("Email replies")),
    ("contact_form", 25, 50, 30, N_("Contact forms")),
    ("free_trial", 35, 35, 30, N_("Free trial")),
    ("competitor_research", 10, 20, 14, N_("Researching competitors (third party)")),
    ("category_research", 5, 15, 14, N_("Researching the category (third party)")),
    ("unsubscribe", -30, 30, None, N_("Unsubscribed")),
    ("email_bounce", -15, 15, None, N_("Email bounced")),
]


def install_defaults(
    EventType: Any,
    ScoringModel: Any,
    FitRule: Any,
    IntentRule: Any,
) -> None:
    for code, label in EVENT_TYPES:
        EventType.objects.get_or_create(code=code, defaults={"label": label, "builtin": True})
    if ScoringModel.objects.exists():
        return
    model = ScoringModel.objects.create(
        version=1,
        status="active",
        activated_at=timezone.now(),
        notes="Starting point shipped with Leadflow: copy it into a draft and tune it.",
        fit_points_for_100=90,
        intent_points_for_100=100,
        mql_fit=60,
        mql_intent=40,
        hot_intent=70,
        fit_grade_cuts=[75, 50, 25],
        intent_grade_cuts=[75, 50, 25],
    )
    for attribute, operator, value, points, label in FIT_RULES:
        FitRule.objects.create(
            model=model,
            attribute=attribute,
            operator=operator,
            value=value,
            points=points,
            label=label,
        )
    for event_type, points, cap, half_life, label in INTENT_RULES:
        IntentRule.objects.create(
            model=model,
            event_type=event_type,
            points=points,
            cap=cap,
            half_life_days=half_life,
            label=label,
        )
