"""The handoff app's part of a person's data: handoffs, contact attempts, answers, surveys."""

from typing import Any

from handoff.models import Answer, ContactAttempt, FollowUp, Handoff
from leads.models import Lead


def export(lead: Lead) -> dict[str, Any]:
    return {
        "handoffs": list(Handoff.objects.filter(lead=lead).order_by("created_at").values(
            "rep__username", "status", "created_at", "answered_at", "reject_reason__label",
            "reject_note")),
        "contact_attempts": list(ContactAttempt.objects.filter(lead=lead).values(
            "kind", "outcome", "note", "at")),
        "answers": list(Answer.objects.filter(lead=lead).values("question__text", "value",
                                                                "answered_at")),
        "follow_ups": list(FollowUp.objects.filter(lead=lead).values("score", "answered_at")),
    }  # fmt: skip


def erase(lead: Lead) -> None:
    """Outcomes and times stay (SLA and reason reports); what people wrote goes."""
    Handoff.objects.filter(lead=lead).update(reject_note="")
    ContactAttempt.objects.filter(lead=lead).update(note="")
    Answer.objects.filter(lead=lead, question__answer_type="text").update(value="")
