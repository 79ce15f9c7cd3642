"""The built-in event types and the first scoring model shipped with Leadflow.

Used by migration scoring/0002 (with historical models) and by tests that need the
defaults back after a database flush (with the real ones): keep it free of app imports.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop

# Shipped texts are stored in English and shown through the catalogue (the |shipped
# filter), so each user reads them in their language; texts an admin writes show as written.

EVENT_TYPES = [
    ("demo_request", gettext_noop("Demo request")),
    ("pricing_page_visit", gettext_noop("Pricing page visit")),
    ("page_view", gettext_noop("Page view")),
    ("content_download", gettext_noop("Content download")),
    ("webinar_registered", gettext_noop("Webinar registration")),
    ("webinar_attended", gettext_noop("Webinar attendance")),
    ("email_open", gettext_noop("Email open")),
    ("email_click", gettext_noop("Email click")),
    ("email_reply", gettext_noop("Email reply")),
    ("contact_form", gettext_noop("Contact form")),
    ("free_trial", gettext_noop("Free trial")),
    ("competitor_research", gettext_noop("Third-party intent: competitor research")),
    ("category_research", gettext_noop("Third-party intent: category research")),
    ("unsubscribe", gettext_noop("Unsubscribe")),
    ("email_bounce", gettext_noop("Email bounce")),
]

FIT_RULES = [
    ("attributes.seniority", "in", ["vp", "c-level", "director", "head"], 25,
     gettext_noop("Decision-maker seniority")),
    ("attributes.seniority", "equals", "student", -40, gettext_noop("Student")),
    ("company.employees", "between", [50, 5000], 20, gettext_noop("Company of 50–5,000 people")),
    ("company.employees", "gte", 5001, 10, gettext_noop("Enterprise (over 5,000 people)")),
    ("company.industry", "in", ["Software", "Financial services", "Telecommunications"], 20,
     gettext_noop("Target industry")),
    ("company.country", "in", ["ES", "MX", "CO", "AR", "US", "GB", "DE", "FR"], 10,
     gettext_noop("Served country")),
    ("attributes.department", "in", ["marketing", "sales"], 15,
     gettext_noop("Marketing or sales team")),
    ("email", "ends_with", "@gmail.com", -15, gettext_noop("Personal email address")),
]  # fmt: skip

INTENT_RULES = [
    # event type, points, cap, half-life in days, label
    ("demo_request", 40, 60, 30, gettext_noop("Demo requests")),
    ("pricing_page_visit", 10, 30, 14, gettext_noop("Pricing page visits")),
    ("page_view", 1, 10, 7, gettext_noop("Page views")),
    ("content_download", 8, 24, 21, gettext_noop("Content downloads")),
    ("webinar_registered", 5, 10, 30, gettext_noop("Webinar registrations")),
    ("webinar_attended", 15, 30, 30, gettext_noop("Webinars attended")),
    ("email_open", 1, 5, 14, gettext_noop("Email opens")),
    ("email_click", 3, 12, 14, gettext_noop("Email clicks")),
    ("email_reply", 15, 30, 14, gettext_noop("Email replies")),
    ("contact_form", 25, 50, 30, gettext_noop("Contact forms")),
    ("free_trial", 35, 35, 30, gettext_noop("Free trial")),
    ("competitor_research", 10, 20, 14, gettext_noop("Researching competitors (third party)")),
    ("category_research", 5, 15, 14, gettext_noop("Researching the category (third party)")),
    ("unsubscribe", -30, 30, None, gettext_noop("Unsubscribed")),
    ("email_bounce", -15, 15, None, gettext_noop("Email bounced")),
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
