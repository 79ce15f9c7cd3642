"""After acceptance: contact attempts, the qualifying questions, and the SQL decision."""

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from handoff.models import Answer, ContactAttempt, HandoffSettings, QualifyingQuestion
from leads import access
from leads.errors import Conflict, InvalidInput, NotPermitted
from leads.models import Lead
from leads.roles import Role, roles_of
from leads.stages import Stage

QType = QualifyingQuestion.AnswerType


def may_work(actor: AbstractBaseUser, lead: Lead) -> bool:
    """The owner rep, their manager, or an admin."""
    roles = roles_of(actor)
    return (
        Role.ADMIN in roles
        or (Role.REP in roles and lead.owner_id == actor.pk)
        or (Role.MANAGER in roles and access.manages(actor, lead))
    )


def log_attempt(
    lead: Lead, *, actor: AbstractBaseUser, kind: str, outcome: str, note: str = ""
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


def attempts_rule_met(lead: Lead) -> bool:
    """Enough attempts, spread over enough days, to call a lead unresponsive."""
    settings = HandoffSettings.current()
    times = list(
        ContactAttempt.objects.filter(lead=lead).order_by("at").values_list("at", flat=True)
    )
    if len(times) < settings.attempts_required:
        return False
    return times[-1] - times[0] >= timedelta(days=settings.attempts_span_days)


def next_attempt_due(lead: Lead) -> datetime | None:
    """Persistence wins: the attempts are spread evenly over the span."""
    settings = HandoffSettings.current()
    last = ContactAttempt.objects.filter(lead=lead).order_by("-at").first()
    if last is None:
        return timezone.now()
    count = ContactAttempt.objects.filter(lead=lead).count()
    if count >= settings.attempts_required:
        return None
    step = timedelta(days=settings.attempts_span_days) / max(settings.attempts_required - 1, 1)
    return last.at + step


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
            raise ValueError(_("Choose one of: %s.") % ", ".join(map(str, question.choices)))
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_("Write an answer."))
    return value.strip()


def record_answers(lead: Lead, *, actor: AbstractBaseUser, answers: dict[str, Any]) -> list[Answer]:
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


def missing_for_sql(lead: Lead) -> list[str]:
    """What stands between this SAL and SQL, one sentence per required question."""
    answers = {a.question_id: a.value for a in Answer.objects.filter(lead=lead)}
    missing = []
    for question in QualifyingQuestion.objects.filter(active=True, required=True):
        if question.pk not in answers:
            missing.append(_("Not answered: %s") % _(question.text))
        elif not passes(question, answers[question.pk]):
            missing.append(_("Does not meet the criteria: %s") % _(question.text))
    return missing
