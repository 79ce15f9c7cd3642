from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leads import lifecycle
from leads.models import (
    Campaign,
    Company,
    Lead,
    Note,
    SalesCost,
    SpendEntry,
    StageChange,
    Team,
)
from leads.records import normalize_email, update_lead
from leads.stages import Stage
from plumbing.api_fields import ModelSerializer
from plumbing.text_checks import text_fault

User = get_user_model()


def taken(queryset: Any, instance: Any) -> bool:
    """Whether another row than ``instance`` already holds this value."""
    if instance is not None:
        queryset = queryset.exclude(pk=instance.pk)
    return queryset.exists()


class LeadSerializer(ModelSerializer):
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    company_name = serializers.CharField(source="company.name", read_only=True, allow_null=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "email",
            "external_id",
            "first_name",
            "last_name",
            "phone",
            "title",
            "company",
            "company_name",
            "source",
            "campaign",
            "owner",
            "team",
            "email_ok",
            "phone_ok",
            "attributes",
            "first_touch",
            "last_touch",
            "stage",
            "stage_label",
            "stage_changed_at",
            "fit",
            "intent",
            "likelihood",
            "deal_value",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "first_touch",
            "last_touch",
            "stage",
            "stage_changed_at",
            "fit",
            "intent",
            "likelihood",
            "deal_value",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        # Uniqueness is checked case-insensitively in validate_email / validate_external_id.
        validators: list[Any] = []
        # The API asks for an email (leads known only by an external id or a phone come
        # from CSV imports).
        extra_kwargs = {
            "email": {"validators": [], "required": True, "allow_blank": False},
            "external_id": {"validators": []},
        }

    def validate_email(self, value: str) -> str:
        email = normalize_email(value)
        if taken(Lead.objects.filter(email=email), self.instance):
            raise serializers.ValidationError(_("A lead with this email already exists."))
        return email

    def validate_external_id(self, value: str) -> str:
        value = value.strip()
        if value and taken(Lead.objects.filter(external_id=value), self.instance):
            raise serializers.ValidationError(_("A lead with this external id already exists."))
        return value

    def validate_attributes(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Attributes must be a JSON object."))
        if fault := text_fault(value):
            raise serializers.ValidationError(fault)
        return value

    def create(self, validated_data: dict[str, Any]) -> Lead:
        return lifecycle.create_lead(actor=self.context["request"].user, **validated_data)

    def update(self, instance: Lead, validated_data: dict[str, Any]) -> Lead:
        return update_lead(instance, actor=self.context["request"].user, changes=validated_data)


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    # "from" is a Python keyword: the field is renamed in to_internal_value.
    deal_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    closed_at = serializers.DateField(required=False, allow_null=True, default=None)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.ChoiceField(
            choices=Stage.choices,
            required=False,
            allow_null=True,
            help_text=_("The stage you expect the lead to be in; 409 if it has moved."),
        )
        return fields


class StageChangeSerializer(ModelSerializer):
    actor_name = serializers.SerializerMethodField()
    reason = serializers.CharField(
        source="reason_text",
        read_only=True,
        help_text=gettext_lazy(
            "Why: a person's words as typed, or the system's text in the request's language "
            "(Accept-Language)."
        ),
    )
    reason_code = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy(
            "For a text the system wrote, its stable code (empty for a person's words)."
        ),
    )
    reason_params = serializers.JSONField(
        read_only=True, help_text=gettext_lazy("The parameters of the system's text.")
    )

    class Meta:
        model = StageChange
        fields = [
            "id", "from_stage", "to_stage", "actor", "actor_name",
            "reason", "reason_code", "reason_params", "at", "loaded",
        ]  # fmt: skip

    def get_actor_name(self, change: StageChange) -> str:
        if change.actor is None:
            return _("System")
        return change.actor.get_full_name() or change.actor.get_username()


class CompanySerializer(ModelSerializer):
    class Meta:
        model = Company
        fields = ["id", "domain", "name", "industry", "employees", "annual_revenue", "country"]
        extra_kwargs = {"domain": {"validators": []}}

    def validate_domain(self, value: str) -> str:
        domain = value.strip().lower()
        if taken(Company.objects.filter(domain=domain), self.instance):
            raise serializers.ValidationError(_("A company with this domain already exists."))
        return domain


class TeamSerializer(ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "manager", "members"]


class CampaignSerializer(ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name", "channel", "utm_campaign", "starts_on", "ends_on"]
        validators: list[Any] = []

    def validate_utm_campaign(self, value: str) -> str:
        value = value.strip()
        if value and taken(Campaign.objects.filter(utm_campaign=value), self.instance):
            raise serializers.ValidationError(_("Another campaign uses this UTM code."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        starts = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError({"ends_on": [_("A campaign ends after it starts.")]})
        return attrs


class NoteSerializer(ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Note
        fields = ["id", "text", "author", "at"]
        read_only_fields = ["author", "at"]


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z]{3}$", "default": "EUR"})
class CurrencyField(serializers.CharField):
    """A three-letter currency code (ISO 4217), read in capitals."""


class PeriodAmountSerializer(ModelSerializer):
    """An amount spent over a period of days (both ends included)."""

    currency = CurrencyField(max_length=3, required=False)

    def validate_amount(self, value: Any) -> Any:
        if value < 0:
            raise serializers.ValidationError(_("An amount cannot be negative."))
        return value

    def validate_currency(self, value: str) -> str:
        value = value.strip().upper()
        if len(value) != 3 or not value.isalpha():
            raise serializers.ValidationError(_("A three-letter currency code, e.g. EUR."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        starts = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError({"ends_on": [_("The period ends after it starts.")]})
        return attrs


class SpendEntrySerializer(PeriodAmountSerializer):
    class Meta:
        model = SpendEntry
        fields = ["id", "campaign", "amount", "currency", "starts_on", "ends_on"]


class SalesCostSerializer(PeriodAmountSerializer):
    class Meta:
        model = SalesCost
        fields = ["id", "amount", "currency", "starts_on", "ends_on"]


class ApiTokenSerializer(serializers.Serializer):
    token_key = serializers.CharField(read_only=True, help_text=_("The token's first characters."))
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, allow_null=True)


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text=_("Shown once: store it now."))
