from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Operator(models.TextChoices):
    EQUALS = "equals", _("equals")
    IN = "in", _("is one of")
    CONTAINS = "contains", _("contains")
    ENDS_WITH = "ends_with", _("ends with")
    GTE = "gte", _("at least")
    LTE = "lte", _("at most")
    BETWEEN = "between", _("between")
    IS_EMPTY = "is_empty", _("is empty")


class ScoringModel(models.Model):
    """A versioned set of scoring criteria. Exactly one is active; an active or retired
    model is never edited: editing starts a new draft version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    version = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)
    fit_points_for_100 = models.PositiveIntegerField(
        _("fit points for a score of 100"), default=100
    )
    intent_points_for_100 = models.PositiveIntegerField(
        _("intent points for a score of 100"), default=100
    )
    mql_fit = models.PositiveSmallIntegerField(_("MQL: fit at least"), default=60)
    mql_intent = models.PositiveSmallIntegerField(_("MQL: intent at least"), default=40)
    use_likelihood = models.BooleanField(_("MQL also needs likelihood"), default=False)
    mql_likelihood = models.PositiveSmallIntegerField(_("MQL: likelihood at least"), default=50)
    hot_intent = models.PositiveSmallIntegerField(_("hot: intent at least"), default=70)
    fit_grade_cuts = models.JSONField(_("fit grade cut points (A, B, C)"), default=list, blank=True)
    intent_grade_cuts = models.JSONField(
        _("intent grade cut points (1, 2, 3)"), default=list, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scoring model")
        verbose_name_plural = _("scoring models")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="active"),
                name="scoring_model_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.get_status_display()})"


class FitRule(models.Model):
    model = models.ForeignKey(ScoringModel, on_delete=models.CASCADE, related_name="fit_rules")
    attribute = models.CharField(
        _("attribute"),
        max_length=100,
        help_text=_(
            "A lead field (title), a company field (company.industry) or an imported "
            "attribute (attributes.seniority)."
        ),
    )
    operator = models.CharField(_("operator"), max_length=10, choices=Operator.choices)
    value = models.JSONField(_("value"), null=True, blank=True)
    points = models.IntegerField(_("points"))
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("fit rule")
        verbose_name_plural = _("fit rules")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label or f"{self.attribute} {self.operator} {self.value}"


class IntentRule(models.Model):
    model = models.ForeignKey(ScoringModel, on_delete=models.CASCADE, related_name="intent_rules")
    event_type = models.CharField(_("event type"), max_length=50)
    property_key = models.CharField(_("property"), max_length=100, blank=True)
    property_contains = models.CharField(_("property contains"), max_length=200, blank=True)
    points = models.IntegerField(_("points per occurrence"))
    cap = models.PositiveIntegerField(_("at most (points)"), null=True, blank=True)
    half_life_days = models.FloatField(_("half-life (days)"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("intent rule")
        verbose_name_plural = _("intent rules")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(half_life_days__isnull=True) | models.Q(half_life_days__gt=0),
                name="intent_rule_positive_half_life",
            )
        ]

    def __str__(self) -> str:
        return self.label or self.event_type
