"""What a new Leadflow starts with: reject reasons, qualifying questions, settings.

Used by migration handoff/0002 (historical models) and by tests after a flush: keep it
free of app imports.
"""

from typing import Any

from django.utils.translation import gettext_noop as N_

REJECT_REASONS = [
    ("not_a_fit", N_("Not a fit"), False),
    ("no_budget", N_("No budget"), False),
    ("bad_timing", N_("Bad timing"), False),
    ("no_authority", N_("No authority"), False),
    ("duplicate", N_("Duplicate"), False),
    ("bad_contact_data", N_("Bad contact data"), False),
    ("other", N_("Other"), True),
]

QUESTIONS = [
    # text, category, answer type, choices, passing, required
    (N_("Is there a budget for this purchase?"), "budget", "yes_no", [], True, True),
    (
        N_("Is the contact the decision-maker, or can they bring one in?"),
        "authority",
        "yes_no",
        [],
        True,
        True,
    ),
    (N_("How many seats do they need?"), "need", "number", [], 5, False),
    (N_("What problem are they trying to solve?"), "need", "text", [], None, True),
    (
        N_("When do they want to start?"),
        "timeline",
        "choice",
        [N_("This month"), N_("This quarter"), N_("This year"), N_("No date")],
        [N_("This month"), N_("This quarter")],
        True,
    ),
    (N_("Have they booked a next meeting?"), "engagement", "yes_no", [], None, False),
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
