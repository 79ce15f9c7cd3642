import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def form_key() -> str:
    return secrets.token_urlsafe(12)


class WebForm(models.Model):
    """A web-to-lead form a marketer or admin defines; it has a public URL and an embed
    snippet. ``name`` is for the team; visitors see ``title``.

    ``fields`` is a list of {"name", "label", "type" (text, email, tel, textarea,
    checkbox), "required", "maps_to" (a lead field, "company" for the company's name, or
    "attributes.<name>")}.
    """

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Internal: visitors never see it.")
    )
    title = models.CharField(
        _("title"),
        max_length=150,
        blank=True,
        help_text=_("The heading visitors see on the hosted form, e.g. “Ask for a demo”."),
    )
    key = models.CharField(_("public key"), max_length=32, unique=True, default=form_key)
    fields = models.JSONField(_("fields"), default=list)
    consent_text = models.CharField(
        _("consent checkbox text"),
        max_length=300,
        blank=True,
        help_text=_("Empty: the form asks for no consent."),
    )
    campaign = models.ForeignKey(
        "leads.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    thank_you = models.CharField(_("thank-you message"), max_length=300, blank=True)
    redirect_url = models.URLField(_("redirect after submit"), blank=True)
    allowed_origins = models.JSONField(
        _("allowed origins"),
        default=list,
        blank=True,
        help_text=_("Sites that may post this form, e.g. https://www.example.com. Empty: any."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("web form")
        verbose_name_plural = _("web forms")

    def __str__(self) -> str:
        return self.name


class FormSubmission(models.Model):
    """What a visitor sent, stored before anything else happens: nothing is lost."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        INVALID = "invalid", _("Invalid")
        SPAM = "spam", _("Spam")

    form = models.ForeignKey(WebForm, on_delete=models.CASCADE, related_name="submissions")
    data = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    errors = models.JSONField(default=dict, blank=True)
    lead = models.ForeignKey(
        "leads.Lead", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    origin = models.CharField(max_length=300, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.form} at {self.created_at:%Y-%m-%d %H:%M}"
