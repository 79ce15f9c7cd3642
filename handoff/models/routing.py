from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from leads.time_zones import validate_time_zone


class RepProfile(models.Model):
    """A sales rep's availability. Team and manager live in leads.Team, their only home."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rep_profile"
    )
    active = models.BooleanField(_("takes new leads"), default=True)
    out_of_office = models.BooleanField(_("out of office"), default=False)
    capacity = models.PositiveIntegerField(_("open handoffs at most"), default=25)

    class Meta:
        verbose_name = _("rep profile")
        verbose_name_plural = _("rep profiles")

    def __str__(self) -> str:
        return str(self.user)


class Strategy(models.TextChoices):
    ROUND_ROBIN = "round_robin", _("Round robin")
    LEAST_LOADED = "least_loaded", _("Least loaded")


class RoutingRule(models.Model):
    """Ordered: the first active rule whose conditions all match routes the lead. An empty
    condition matches everything."""

    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    industries = models.JSONField(_("industries"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    grades = models.JSONField(_("grades"), default=list, blank=True, help_text="e.g. A1, B2")
    min_employees = models.PositiveIntegerField(_("company size at least"), null=True, blank=True)
    max_employees = models.PositiveIntegerField(_("company size at most"), null=True, blank=True)
    pool = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("reps"), blank=True)
    strategy = models.CharField(
        _("strategy"), max_length=16, choices=Strategy.choices, default=Strategy.ROUND_ROBIN
    )
    sla_minutes = models.PositiveIntegerField(_("SLA (minutes)"), default=5)
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class HandoffSettings(models.Model):
    """The admin's handoff settings: one row (pk 1)."""

    auto_handoff = models.BooleanField(_("hand over new MQLs automatically"), default=True)
    default_sla_minutes = models.PositiveIntegerField(_("SLA when no rule matches"), default=5)
    fallback_pool = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("fallback reps"), blank=True, related_name="+"
    )
    attempts_required = models.PositiveIntegerField(
        _("contact attempts before 'unresponsive'"), default=6
    )
    attempts_span_days = models.PositiveIntegerField(_("…over at least (days)"), default=10)
    followup_days = models.PositiveIntegerField(_("follow-up after the sale (days)"), default=30)

    class Meta:
        verbose_name = _("handoff settings")
        verbose_name_plural = _("handoff settings")

    def __str__(self) -> str:
        return str(_("Handoff settings"))

    @classmethod
    def current(cls) -> "HandoffSettings":
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row


def validate_weekdays(value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 6 for day in value
    ):
        raise ValidationError(
            _("List the working days as numbers from 0 (Monday) to 6 (Sunday)."), code="invalid"
        )


class TeamHours(models.Model):
    """When a team's SLA clock runs. Without a row, or with always_on, it always runs."""

    team = models.OneToOneField("leads.Team", on_delete=models.CASCADE, related_name="hours")
    always_on = models.BooleanField(_("always on"), default=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    weekdays = models.JSONField(
        _("working days (0 = Monday)"), default=list, blank=True, validators=[validate_weekdays]
    )
    # Times, not text: a text default came back from the API as "09:00", not the schema's
    # time format, until the row was read again.
    starts = models.TimeField(_("day starts"), default=time(9, 0))
    ends = models.TimeField(_("day ends"), default=time(18, 0))

    class Meta:
        verbose_name = _("team hours")
        verbose_name_plural = _("team hours")

    def __str__(self) -> str:
        return f"{self.team}: {self.starts}–{self.ends} {self.time_zone}"
