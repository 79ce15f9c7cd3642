"""The built-in event types and the first scoring model shipped with Leadflow.

Used by migration scoring/0002 (with historical models) and by tests that need the
defaults back after a database flush (with the real ones): keep it free of app imports.
"""

from typing import Any

from django.utils import timezone

EVENT_TYPES = [
    ("demo_request", "Demo request"),
    ("pricing_page_visit", "Pricing page visit"),
    ("page_view", "Page view"),
    ("content_download", "Content download"),
    ("webinar_registered", "Webinar registration"),
    ("webinar_attended", "Webinar attendance"),
    ("email_open", "Email open"),
    ("email_click", "Email click"),
    ("email_reply", "Email reply"),
    ("contact_form", "Contact form"),
    ("free_trial", "Free trial"),
    ("competitor_research", "Third-party intent: competitor research"),
    ("category_research", "Third-party intent: category research"),
    ("unsubscribe", "Unsubscribe"),
    ("email_bounce", "Email bounce"),
]

FIT_RULES = [
    ("attributes.seniority", "in", ["vp", "c-level", "director", "head"], 25,
     "Decision-maker seniority"),
    ("attributes.seniority", "equals", "student", -40, "Student"),
    ("company.employees", "between", [50, 5000], 20, "Company of 50–5,000 people"),
    ("company.employees", "gte", 5001, 10, "Enterprise (over 5,000 people)"),
    ("company.industry", "in", ["Software", "Financial services", "Telecommunications"], 20,
     "Target industry"),
    ("company.country", "in", ["ES", "MX", "CO", "AR", "US", "GB", "DE", "FR"], 10,
     "Served country"),
    ("attributes.department", "in", ["marketing", "sales"], 15, "Marketing or sales team"),
    ("email", "ends_with", "@gmail.com", -15, "Personal email address"),
]  # fmt: skip

INTENT_RULES = [
    # event type, points, cap, half-life in days, label
    ("demo_request", 40, 60, 30, "Demo requests"),
    ("pricing_page_visit", 10, 30, 14, "Pricing page visits"),
    ("page_view", 1, 10, 7, "Page views"),
    ("content_download", 8, 24, 21, "Content downloads"),
    ("webinar_registered", 5, 10, 30, "Webinar registrations"),
    ("webinar_attended", 15, 30, 30, "Webinars attended"),
    ("email_open", 1, 5, 14, "Email opens"),
    ("email_click", 3, 12, 14, "Email clicks"),
    ("email_reply", 15, 30, 14, "Email replies"),
    ("contact_form", 25, 50, 30, "Contact forms"),
    ("free_trial", 35, 35, 30, "Free trial"),
    ("competitor_research", 10, 20, 14, "Researching competitors (third party)"),
    ("category_research", 5, 15, 14, "Researching the category (third party)"),
    ("unsubscribe", -30, 30, None, "Unsubscribed"),
    ("email_bounce", -15, 15, None, "Email bounced"),
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
