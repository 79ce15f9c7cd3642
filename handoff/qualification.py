"""After acceptance: contact attempts, the qualifying questions, and the SQL decision."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from handoff.models import Answer, ContactAttempt, HandoffSettings, QualifyingQuestion
from leads import access
from leads.models import Lead
from leads.roles import Actor, Role, roles_of
from leads.stages import Stage
from plumbing.errors import Conflict, InvalidInput, NotPermitted

QType = QualifyingQuestion.AnswerType


def may_work(actor: Actor, lead: Lead) -> bool:
    """The owner rep, their manager, or an admin."""
    roles = roles_of(actor)
    return (
        Role.ADMIN in roles
        or (Role.REP in roles and lead.owner_id == actor.pk)
        or (Role.MANAGER in roles and access.manages(actor, lead))
    )


def log_attempt(
    lead: Lead, *, actor: Actor, kind: str, outcome: str, note: str = ""
) -> ContactAttempt:
    if not may_work(actor, lead):
        raise NotPermitted(_("Only the lead's rep or their manager logs attempts."))
    if lead.stage not in (Stage.SAL, Stage.SQL):
        raise Conflict(_("Contact attempts are logged once the lead is accepted."))
    errors = {}
    if kind not in ContactAttempt.Kind.values:
        errors["kind"] = [_("Choose call, email or meeting.")]
    if outcome not in ContactAttempt.Outcome.values:
        errors["outcome"] = [_("Choose an outcome.")]
    if errors:
        raise InvalidInput(errors)
    return ContactAttempt.objects.create(
        lead=lead, rep=actor, kind=kind, outcome=outcome, note=note.strip()
    )


def _attempt_times(lead: Lead) -> list[datetime]:
    return list(
        ContactAttempt.objects.filter(lead=lead).order_by("at").values_list("at", flat=True)
    )


def _rule_met(times: list[datetime], settings: HandoffSettings) -> bool:
    if len(times) < settings.attempts_required:
        return False
    return times[-1] - times[0] >= timedelta(days=settings.attempts_span_days)


def _next_due(times: list[datetime], settings: HandoffSettings) -> datetime | None:
    """Persistence wins: the attempts are spread evenly over the span."""
    if not times:
        return timezone.now()
    if len(times) >= settings.attempts_required:
        return None
    step = timedelta(days=settings.attempts_span_days) / max(settings.attempts_required - 1, 1)
    return times[-1] + step


def attempts_rule_met(lead: Lead) -> bool:
    """Enough attempts, spread over enough days, to call a lead unresponsive."""
    return _rule_met(_attempt_times(lead), HandoffSettings.current())


def _parse(question: QualifyingQuestion, value: Any) -> Any:
    if question.answer_type == QType.YES_NO:
        if not isinstance(value, bool):
            raise ValueError(_("Answer yes or no."))
        return value
    if question.answer_type == QType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(_("Answer with a number."))
        return value
    if question.answer_type == QType.CHOICE:
        if value not in question.choices:
            shown = ", ".join(_(str(choice)) for choice in question.choices)  # shipped texts
            raise ValueError(_("Choose one of: %s.") % shown)
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_("Write an answer."))
    return value.strip()


def record_answers(lead: Lead, *, actor: Actor, answers: dict[str, Any]) -> list[Answer]:
    if not may_work(actor, lead):
        raise NotPermitted(_("Only the lead's rep or their manager records answers."))
    if lead.stage != Stage.SAL:
        raise Conflict(_("Qualifying answers are recorded while the lead is a SAL."))
    questions = {str(q.pk): q for q in QualifyingQuestion.objects.filter(active=True)}
    errors: dict[str, list[str]] = {}
    parsed = {}
    for key, value in answers.items():
        question = questions.get(str(key))
        if question is None:
            errors[str(key)] = [_("Not an active question.")]
            continue
        try:
            parsed[question] = _parse(question, value)
        except ValueError as error:
            errors[str(key)] = [str(error)]
    if errors:
        raise InvalidInput(errors)
    saved = []
    with transaction.atomic():
        for question, value in parsed.items():
            # One answer per question (a unique constraint): answering again replaces value, who
            # and when. The whole form saves in one transaction, so the SQL guard never sees half.
            answer, _created = Answer.objects.update_or_create(
                lead=lead,
                question=question,
                defaults={"value": value, "answered_by": actor, "answered_at": timezone.now()},
            )
            saved.append(answer)
    return saved


def passes(question: QualifyingQuestion, value: Any) -> bool:
    rule = question.passing
    if rule is None:
        return True
    if question.answer_type == QType.YES_NO:
        return value is rule
    if question.answer_type == QType.NUMBER:
        return value >= rule
    if question.answer_type == QType.CHOICE:
        return value in (rule if isinstance(rule, list) else [rule])
    return bool(value)


def missing_for_sql(lead: Lead, *, states: "list[QuestionState] | None" = None) -> list[str]:
    """What stands between this SAL and SQL, one sentence per required question.
    (``states``: the lead's questions_for(), when the caller already has them.)"""
    missing = []
    for state in questions_for(lead) if states is None else states:
        if not state.question.required:
            continue
        if not state.answered:
            missing.append(_("Not answered: %s") % _(state.question.text))
        elif not state.passes:
            missing.append(_("Does not meet the criteria: %s") % _(state.question.text))
    return missing


# --- What the pages show: the questions with their answers, and the attempts so far --------


@dataclass(frozen=True)
class QuestionState:
    """One active question as the rep sees it: the answer so far and whether it passes."""

    question: QualifyingQuestion
    answered: bool
    value: Any
    passes: bool


def questions_for(
    lead: Lead,
    *,
    questions: list[QualifyingQuestion] | None = None,
    answers: dict[int, Any] | None = None,
) -> list[QuestionState]:
    """The active questions and this lead's answers (``questions`` and ``answers``, by
    question id, when a list of leads has read them for all at once)."""
    if answers is None:
        answers = {a.question_id: a.value for a in Answer.objects.filter(lead=lead)}
    if questions is None:
        questions = list(QualifyingQuestion.objects.filter(active=True))
    states = []
    for question in questions:
        answered = question.pk in answers
        value = answers.get(question.pk)
        states.append(
            QuestionState(question, answered, value, answered and passes(question, value))
        )
    return states


def answers_from_form(
    data: Mapping[str, str], *, parse_number: Callable[[str], Decimal]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Typed answers from a form (fields ``q<pk>``), with the errors of those that are not
    answers. Blank fields are left out: an answer once given is not erased by a blank.
    ``parse_number`` reads numbers in the person's locale."""
    answers: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for question in QualifyingQuestion.objects.filter(active=True):
        key = str(question.pk)
        raw = data.get(f"q{key}", "").strip()
        if raw == "":
            continue
        if question.answer_type == QType.YES_NO:
            if raw not in ("yes", "no"):
                errors[key] = [_("Answer yes or no.")]
                continue
            answers[key] = raw == "yes"
        elif question.answer_type == QType.NUMBER:
            try:
                number = parse_number(raw)
            except ValueError as error:
                errors[key] = [str(error)]
                continue
            # Stored as JSON: whole numbers as ints, so "12" reads back as 12, not 12.0.
            answers[key] = int(number) if number == number.to_integral_value() else float(number)
        else:
            answers[key] = raw
    return answers, errors


@dataclass(frozen=True)
class AttemptsProgress:
    """The contact attempts so far against the admin's "unresponsive" rule."""

    made: int
    required: int
    span_days: int
    days_covered: int  # from the first attempt to the last
    met: bool
    next_due: datetime | None


def attempts_progress(
    lead: Lead,
    *,
    settings: HandoffSettings | None = None,
    times: list[datetime] | None = None,
) -> AttemptsProgress:
    """The lead's attempts against the rule (a list of leads passes the ``settings`` and
    each lead's attempt ``times``, oldest first, read for all at once)."""
    settings = settings or HandoffSettings.current()
    times = _attempt_times(lead) if times is None else times
    return AttemptsProgress(
        made=len(times),
        required=settings.attempts_required,
        span_days=settings.attempts_span_days,
        days_covered=(times[-1] - times[0]).days if times else 0,
        met=_rule_met(times, settings),
        next_due=_next_due(times, settings),
    )
