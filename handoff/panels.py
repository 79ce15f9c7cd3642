"""What the rep's panels on a SAL show: the qualifying questions (with the answers so
far, or what was just typed when it was refused, and what is still missing for SQL) and
the contact attempts against the admin's "unresponsive" rule. The lead page and the
inbox's SAL rows include the partials (templates/leads/_qualify.html, _attempts.html)."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from handoff import qualification
from handoff.guards import UNRESPONSIVE
from handoff.models import Answer, ContactAttempt, HandoffSettings, QualifyingQuestion
from leads.models import Lead
from leads.stages import Stage

RECENT_ATTEMPTS = 5
QType = QualifyingQuestion.AnswerType


def criteria_text(question: QualifyingQuestion) -> str:
    """What answer the question needs for SQL, in the reader's language."""
    rule = question.passing
    if rule is None:
        return _("Any answer") if question.required else _("For the record")
    if question.answer_type == QType.YES_NO:
        return _("Needs: yes") if rule is True else _("Needs: no")
    if question.answer_type == QType.NUMBER:
        return _("Needs at least %(minimum)s") % {"minimum": formats.localize(rule)}
    if question.answer_type == QType.CHOICE:
        accepted = rule if isinstance(rule, list) else [rule]
        return _("Needs: %(choices)s") % {"choices": " / ".join(_(str(c)) for c in accepted)}
    return _("Needs an answer")


def qualify_context(
    request: HttpRequest,
    lead: Lead,
    *,
    typed: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    saved: bool = False,
) -> dict[str, Any]:
    """The questions with the answers so far (or what was just typed, on an error)."""
    typed = typed or {}
    errors = errors or {}
    items = []
    states = qualification.questions_for(lead)
    for state in states:
        key = str(state.question.pk)
        items.append(
            {
                "state": state,
                "question": state.question,
                "typed": typed.get(f"q{key}"),
                "errors": errors.get(key, []),
                "criteria": criteria_text(state.question),
            }
        )
    return {
        "lead": lead,
        "questions": items,
        "missing": qualification.missing_for_sql(lead, states=states),
        "may_answer": lead.stage == Stage.SAL and qualification.may_work(request.user, lead),
        "general_errors": errors.get("__all__", []),
        "saved": saved,
    }


def attempts_context(
    request: HttpRequest,
    lead: Lead,
    *,
    next_url: str = "",
    typed: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    settings: HandoffSettings | None = None,
    times: list[datetime] | None = None,
    recent: bool = True,
) -> dict[str, Any]:
    progress = qualification.attempts_progress(lead, settings=settings, times=times)
    may_work = qualification.may_work(request.user, lead)  # a query for a manager: once
    return {
        "lead": lead,
        "progress": progress,
        "next_overdue": progress.next_due is not None and progress.next_due <= timezone.now(),
        "recent": list(ContactAttempt.objects.filter(lead=lead)[:RECENT_ATTEMPTS])
        if recent
        else [],
        "kinds": ContactAttempt.Kind.choices,
        "outcomes": ContactAttempt.Outcome.choices,
        "may_log": lead.stage in (Stage.SAL, Stage.SQL) and may_work,
        "may_mark_unresponsive": progress.met and lead.stage == Stage.SAL and may_work,
        "unresponsive": UNRESPONSIVE,
        "unresponsive_targets": [Stage.DISQUALIFIED, Stage.NURTURE],
        "typed": typed or {},
        "errors": errors or {},
        "general_errors": (errors or {}).get("__all__", []),
        "next_url": next_url,
    }


def sal_rows(request: HttpRequest, leads: list[Lead], *, next_url: str) -> list[dict[str, Any]]:
    """The inbox's SAL cards: each lead with what is missing for SQL and its attempts
    panel. Questions, answers, attempts and the rule are read once for all the leads."""
    ids = [lead.pk for lead in leads]
    questions = list(QualifyingQuestion.objects.filter(active=True))
    answers: dict[int, dict[int, Any]] = defaultdict(dict)
    for lead_id, question_id, value in Answer.objects.filter(lead_id__in=ids).values_list(
        "lead_id", "question_id", "value"
    ):
        answers[lead_id][question_id] = value
    times: dict[int, list[datetime]] = defaultdict(list)
    for lead_id, at in (
        ContactAttempt.objects.filter(lead_id__in=ids).order_by("at").values_list("lead_id", "at")
    ):
        times[lead_id].append(at)
    rule = HandoffSettings.current()
    rows = []
    for lead in leads:
        states = qualification.questions_for(lead, questions=questions, answers=answers[lead.pk])
        rows.append(
            {
                "lead": lead,
                "missing": qualification.missing_for_sql(lead, states=states),
                "attempts": attempts_context(
                    request,
                    lead,
                    next_url=next_url,
                    settings=rule,
                    times=times[lead.pk],
                    recent=False,
                ),
            }
        )
    return rows
