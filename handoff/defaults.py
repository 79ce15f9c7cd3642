"""What a new Leadflow starts with: reject reasons, qualifying questions, settings.

Used by migration handoff/0002 (historical models) and by tests after a flush: keep it
free of app imports.
"""

from typing import Any

from django.utils.translation import gettext_noop

REJECT_REASONS = [
    ("not_a_fit", gettext_noop("Not a fit"), False),
    ("no_budget", gettext_noop("No budget"), False),
    ("bad_timing", gettext_noop("Bad timing"), False),
    ("no_authority", gettext_noop("No authority"), False),
    ("duplicate", gettext_noop("Duplicate"), False),
    ("bad_contact_data", gettext_noop("Bad contact data"), False),
    ("other", gettext_noop("Other"), True),
]

QUESTIONS = [
    # text, category, answer type, choices, passing, required
    (gettext_noop("Is there a budget for this purchase?"), "budget", "yes_no", [], True, True),
    (
        gettext_noop("Is the contact the decision-maker, or can they bring one in?"),
        "authority",
        "yes_no",
        [],
        True,
        True,
    ),
    (gettext_noop("How many seats do they need?"), "need", "number", [], 5, False),
    (gettext_noop("What problem are they trying to solve?"), "need", "text", [], None, True),
    (
        gettext_noop("When do they want to start?"),
        "timeline",
        "choice",
        [
            gettext_noop("This month"),
            gettext_noop("This quarter"),
            gettext_noop("This year"),
            gettext_noop("No date"),
        ],
        [gettext_noop("This month"), gettext_noop("This quarter")],
        True,
    ),
    (gettext_noop("Have they booked a next meeting?"), "engagement", "yes_no", [], None, False),
]


def install_defaults(RejectReason: Any, QualifyingQuestion: Any, HandoffSettings: Any) -> None:
    for order, (code, label, needs_text) in enumerate(REJECT_REASONS):
        RejectReason.objects.get_or_create(
            code=code, defaults={"label": label, "needs_text": needs_text, "order": order}
        )
    if not QualifyingQuestion.objects.exists():
        for order, (text, category, kind, choices, passing, required) in enumerate(QUESTIONS):
            QualifyingQuestion.objects.create(
                text=text,
                category=category,
                answer_type=kind,
                choices=choices,
                passing=passing,
                required=required,
                order=order,
            )
    HandoffSettings.objects.get_or_create(pk=1)
