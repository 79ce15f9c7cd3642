import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContactAttempt(models.Model):
    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        EMAIL = "email", _("Email")
        MEETING = "meeting", _("Meeting")

    class Outcome(models.TextChoices):
        NO_ANSWER = "no_answer", _("No answer")
        VOICEMAIL = "voicemail", _("Voicemail")
        CONNECTED = "connected", _("Connected")
        MEETING_BOOKED = "meeting_booked", _("Meeting booked")

    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="attempts")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        ordering = ["-at"]
        indexes = [models.Index(fields=["lead", "at"], name="attempt_lead_at")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.outcome}"


class QualifyingQuestion(models.Model):
    class Category(models.TextChoices):
        BUDGET = "budget", _("Budget")
        AUTHORITY = "authority", _("Authority")
        NEED = "need", _("Need")
        TIMELINE = "timeline", _("Timeline")
        ENGAGEMENT = "engagement", _("Engagement")

    class AnswerType(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no")
        CHOICE = "choice", _("Choice")
        NUMBER = "number", _("Number")
        TEXT = "text", _("Text")

    text = models.CharField(_("question"), max_length=300)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    answer_type = models.CharField(_("answer type"), max_length=8, choices=AnswerType.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    passing = models.JSONField(
        _("passing answers"),
        null=True,
        blank=True,
        help_text=_("yes/no: true or false; choice: the accepted choices; number: the minimum"),
    )
    required = models.BooleanField(_("required for SQL"), default=False)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("qualifying question")
        verbose_name_plural = _("qualifying questions")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Answer(models.Model):
    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(QualifyingQuestion, on_delete=models.CASCADE, related_name="+")
    value = models.JSONField(_("answer"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["lead", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


def survey_token() -> str:
    return secrets.token_urlsafe(24)


class FollowUp(models.Model):
    """After the sale: a task for the owner and a one-question survey for the customer."""

    class Category(models.TextChoices):
        PROMOTER = "promoter", _("Promoter")
        PASSIVE = "passive", _("Passive")
        DETRACTOR = "detractor", _("Detractor")

    lead = models.OneToOneField("leads.Lead", on_delete=models.CASCADE, related_name="follow_up")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=survey_token)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    category = models.CharField(max_length=10, choices=Category.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"follow-up for lead {self.lead_id}"

    @property
    def referral_source(self) -> bool:
        return self.category == self.Category.PROMOTER
