from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from handoff import alert_texts
from handoff.models import (
    Answer,
    ContactAttempt,
    FollowUp,
    Handoff,
    HandoffSettings,
    Notification,
    QualifyingQuestion,
    RejectReason,
    RepProfile,
    RoutingRule,
    TeamHours,
    WebhookEndpoint,
)
from leads.time_zones import time_zones, validate_time_zone
from plumbing.api_fields import ModelSerializer

User = get_user_model()


class HandoffSerializer(ModelSerializer):
    lead_email = serializers.CharField(source="lead.email", read_only=True)
    lead_name = serializers.CharField(source="lead.full_name", read_only=True)
    company = serializers.CharField(source="lead.company.name", read_only=True, allow_null=True)
    fit = serializers.IntegerField(source="lead.fit", read_only=True, allow_null=True)
    intent = serializers.IntegerField(source="lead.intent", read_only=True, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    reject_reason = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    system_delay_s = serializers.FloatField(source="system_delay", read_only=True, allow_null=True)
    human_delay_s = serializers.FloatField(source="human_delay", read_only=True, allow_null=True)

    class Meta:
        model = Handoff
        fields = [
            "id",
            "lead",
            "lead_email",
            "lead_name",
            "company",
            "fit",
            "intent",
            "rep",
            "rule",
            "status",
            "status_label",
            "sla_minutes",
            "created_at",
            "remind_at",
            "due_at",
            "alerted_at",
            "answered_at",
            "reject_reason",
            "reject_note",
            "previous",
            "system_delay_s",
            "human_delay_s",
        ]
        read_only_fields = fields


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("The code of a reject reason."))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReassignSerializer(serializers.Serializer):
    rep = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class SendToSalesSerializer(serializers.Serializer):
    leads = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=500)


class NotificationSerializer(ModelSerializer):
    """An alert in the reader's language (the request's); ``params`` for clients that write
    their own text, ``stale`` once the handoff it was about stopped waiting."""

    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    stale = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id", "kind", "title", "body", "params", "stale", "url", "lead", "handoff",
            "created_at", "read_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_title(self, notification: Notification) -> str:
        return self._words(notification).title

    def get_body(self, notification: Notification) -> str:
        return self._words(notification).body

    @staticmethod
    def _words(notification: Notification) -> alert_texts.AlertText:
        """Rendered once per row in the reader's language, for the title and the body."""
        if not hasattr(notification, "_words"):
            notification._words = alert_texts.text_of(notification)  # type: ignore[attr-defined]
        return notification._words  # type: ignore[attr-defined]

    def get_stale(self, notification: Notification) -> bool:
        return notification.stale_at is not None


class ContactAttemptSerializer(ModelSerializer):
    class Meta:
        model = ContactAttempt
        fields = ["id", "kind", "outcome", "note", "at", "rep"]
        read_only_fields = ["id", "at", "rep"]


class AnswerSerializer(ModelSerializer):
    class Meta:
        model = Answer
        fields = ["question", "value", "answered_by", "answered_at"]
        read_only_fields = fields


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]
        },
    }
)
class AnswersField(serializers.DictField):
    """Question id → a yes/no, a number, a text or one of the question's choices."""


class AnswersInSerializer(serializers.Serializer):
    answers = AnswersField(child=serializers.JSONField(), help_text=_("Question id → answer."))


class ConvertSerializer(serializers.Serializer):
    deal_value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    closed_at = serializers.DateField()


class LoseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RoutingRuleSerializer(ModelSerializer):
    class Meta:
        model = RoutingRule
        fields = [
            "id",
            "name",
            "order",
            "active",
            "countries",
            "industries",
            "sources",
            "grades",
            "min_employees",
            "max_employees",
            "pool",
            "strategy",
            "sla_minutes",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("countries", "industries", "sources", "grades"):
            value = attrs.get(name)
            if value is not None and not (
                isinstance(value, list) and all(isinstance(v, str) for v in value)
            ):
                raise serializers.ValidationError({name: [_("A list of texts.")]})
        low, high = attrs.get("min_employees"), attrs.get("max_employees")
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError({"max_employees": [_("At least the minimum.")]})
        if attrs.get("sla_minutes") == 0:
            raise serializers.ValidationError({"sla_minutes": [_("At least one minute.")]})
        return attrs


class RejectReasonSerializer(ModelSerializer):
    class Meta:
        model = RejectReason
        fields = ["id", "code", "label", "needs_text", "active", "order"]


class QualifyingQuestionSerializer(ModelSerializer):
    class Meta:
        model = QualifyingQuestion
        fields = [
            "id",
            "text",
            "category",
            "answer_type",
            "choices",
            "passing",
            "required",
            "active",
            "order",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs.get("answer_type", getattr(self.instance, "answer_type", None))
        choices = attrs.get("choices", getattr(self.instance, "choices", []))
        if kind == QualifyingQuestion.AnswerType.CHOICE and not choices:
            raise serializers.ValidationError({"choices": [_("List the choices.")]})
        return attrs


# What the schema promises a receiver's address looks like: http(s), a public host name,
# an optional port. Narrower than what is accepted (an address is checked again by the
# model's validator and at send time), so that every documented address is taken.
WEB_ADDRESS = (
    r"^https?://([a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?\.){1,4}[a-z]{2,12}"
    r"(:[1-9][0-9]{0,3})?(/[!-~]{0,200})?$"
)


@extend_schema_field({"type": "string", "maxLength": 500, "pattern": WEB_ADDRESS})
class WebAddressField(serializers.URLField):
    pass


class WebhookEndpointSerializer(ModelSerializer):
    serializer_field_mapping = {
        **ModelSerializer.serializer_field_mapping,
        models.URLField: WebAddressField,
    }

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "name", "url", "secret", "active"]
        # A signing secret is used byte for byte: trimming it would sign with a key the
        # receiver does not hold.
        extra_kwargs = {"secret": {"write_only": True, "trim_whitespace": False}}


class RepProfileSerializer(ModelSerializer):
    class Meta:
        model = RepProfile
        fields = ["id", "user", "active", "out_of_office", "capacity"]


@extend_schema_field({"type": "string", "enum": sorted(time_zones())})
class TimeZoneField(serializers.CharField):
    """An IANA time zone name; the schema lists the names this server knows."""


class TeamHoursSerializer(ModelSerializer):
    time_zone = TimeZoneField(max_length=64, required=False, validators=[validate_time_zone])

    class Meta:
        model = TeamHours
        fields = ["id", "team", "always_on", "time_zone", "weekdays", "starts", "ends"]


class HandoffSettingsSerializer(ModelSerializer):
    class Meta:
        model = HandoffSettings
        fields = [
            "auto_handoff",
            "default_sla_minutes",
            "fallback_pool",
            "attempts_required",
            "attempts_span_days",
            "followup_days",
        ]


class FollowUpSerializer(ModelSerializer):
    class Meta:
        model = FollowUp
        fields = [
            "id",
            "lead",
            "owner",
            "created_at",
            "done_at",
            "score",
            "category",
            "answered_at",
            "referral_source",
        ]
        read_only_fields = fields
