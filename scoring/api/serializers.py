from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from plumbing.api_fields import ModelSerializer
from plumbing.errors import Conflict
from scoring.engine import NUMBER
from scoring.models import (
    EventType,
    FitRule,
    IntentRule,
    LikelihoodModel,
    Operator,
    RescoreJob,
    ScoringModel,
    SourceApiKey,
    TrackingSite,
    WebForm,
)

NUMERIC_OPERATORS = {Operator.GTE, Operator.LTE}


class EventTypeSerializer(ModelSerializer):
    class Meta:
        model = EventType
        fields = ["id", "code", "label", "description", "builtin"]
        read_only_fields = ["builtin"]


class SourceApiKeySerializer(ModelSerializer):
    class Meta:
        model = SourceApiKey
        fields = ["id", "name", "prefix", "source", "source_kind", "requests_per_minute",
                  "created", "revoked", "expiry_date"]  # fmt: skip
        read_only_fields = ["id", "prefix", "created", "revoked"]
        # The library's model defaults the name to None on a NOT NULL column.
        extra_kwargs = {"name": {"required": True, "allow_null": False}}


class FitRuleSerializer(ModelSerializer):
    class Meta:
        model = FitRule
        fields = ["id", "attribute", "operator", "value", "points", "label"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        operator, value = attrs.get("operator"), attrs.get("value")
        if operator in NUMERIC_OPERATORS and not _is_number(value):
            raise serializers.ValidationError({"value": [_("This operator compares numbers.")]})
        if operator == Operator.BETWEEN and not (
            isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)
        ):
            raise serializers.ValidationError({"value": [_("Give two numbers: [low, high].")]})
        if operator == Operator.IN and not (isinstance(value, list) and value):
            raise serializers.ValidationError({"value": [_("Give a list of values.")]})
        if operator in (Operator.EQUALS, Operator.CONTAINS, Operator.ENDS_WITH) and (
            value in (None, "") or isinstance(value, (list, dict))
        ):
            raise serializers.ValidationError({"value": [_("Give one value to compare with.")]})
        attribute = attrs.get("attribute", "")
        if not attribute or (attribute.startswith("attributes.") and len(attribute) == 11):
            raise serializers.ValidationError({"attribute": [_("Name a field or attribute.")]})
        return attrs


class IntentRuleSerializer(ModelSerializer):
    class Meta:
        model = IntentRule
        fields = ["id", "event_type", "property_key", "property_contains", "points", "cap",
                  "half_life_days", "label"]  # fmt: skip

    def validate_event_type(self, value: str) -> str:
        if not EventType.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("Not a known event type."))
        return value

    def validate_half_life_days(self, value: float | None) -> float | None:
        if value is not None and value <= 0:
            raise serializers.ValidationError(_("A half-life is more than zero days."))
        return value


class ScoringModelSerializer(ModelSerializer):
    fit_rules = FitRuleSerializer(many=True, required=False)
    intent_rules = IntentRuleSerializer(many=True, required=False)

    class Meta:
        model = ScoringModel
        fields = [
            "id",
            "version",
            "status",
            "notes",
            "fit_points_for_100",
            "intent_points_for_100",
            "mql_fit",
            "mql_intent",
            "use_likelihood",
            "mql_likelihood",
            "hot_intent",
            "fit_grade_cuts",
            "intent_grade_cuts",
            "fit_rules",
            "intent_rules",
            "created_at",
            "activated_at",
        ]
        read_only_fields = ["version", "status", "created_at", "activated_at"]
        # Bounds in the fields (not only in validate) so that the API schema states them.
        extra_kwargs = {
            name: {"min_value": 0, "max_value": 100,
                   "error_messages": {"max_value": gettext_lazy("A score is at most 100.")}}
            for name in ("mql_fit", "mql_intent", "mql_likelihood", "hot_intent")
        }  # fmt: skip

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and self.instance.status != ScoringModel.Status.DRAFT:
            # The row is fine; its state refuses the edit: a conflict, not bad input.
            raise Conflict(_("Only a draft can be edited: copy this version into a new draft."))
        for name in ("fit_grade_cuts", "intent_grade_cuts"):
            cuts = attrs.get(name)
            if cuts and not (
                isinstance(cuts, list)
                and len(cuts) == 3
                and all(isinstance(c, int) and 0 <= c <= 100 for c in cuts)
                and cuts[0] > cuts[1] > cuts[2]
            ):
                raise serializers.ValidationError(
                    {name: [_("Three falling whole numbers from 0 to 100, e.g. [75, 50, 25].")]}
                )
        for name in ("mql_fit", "mql_intent", "mql_likelihood", "hot_intent"):
            if name in attrs and attrs[name] > 100:
                raise serializers.ValidationError({name: [_("A score is at most 100.")]})
        return attrs

    @transaction.atomic
    def create(self, validated: dict[str, Any]) -> ScoringModel:
        from scoring.versions import create_draft

        fit_rules = validated.pop("fit_rules", [])
        intent_rules = validated.pop("intent_rules", [])
        return create_draft(
            actor=self.context["request"].user,
            settings=validated,
            fit_rules=fit_rules,
            intent_rules=intent_rules,
        )

    @transaction.atomic
    def update(self, instance: ScoringModel, validated: dict[str, Any]) -> ScoringModel:
        from scoring.versions import edit_draft

        return edit_draft(
            instance,
            actor=self.context["request"].user,
            settings=validated,
            fit_rules=validated.pop("fit_rules", None),
            intent_rules=validated.pop("intent_rules", None),
        )


class RescoreJobSerializer(ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = RescoreJob
        fields = ["id", "model_version", "reason", "status", "total", "done", "percent",
                  "promoted", "error", "created_at", "started_at", "finished_at"]  # fmt: skip


class LikelihoodModelSerializer(ModelSerializer):
    class Meta:
        model = LikelihoodModel
        fields = ["id", "kind", "status", "progress", "active", "activated_at", "features",
                  "coefficients", "intercept", "samples", "positives", "holdout_auc",
                  "figures", "error", "created_at"]  # fmt: skip
        read_only_fields = fields


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or (isinstance(value, str) and bool(NUMBER.match(value)))


FIELD_TYPES = {"text", "email", "tel", "textarea", "checkbox"}
FORM_TARGETS = {"email", "first_name", "last_name", "phone", "title", "company"}


class WebFormSerializer(ModelSerializer):
    class Meta:
        model = WebForm
        fields = [
            "id",
            "name",
            "title",
            "key",
            "fields",
            "consent_text",
            "campaign",
            "thank_you",
            "redirect_url",
            "allowed_origins",
            "active",
        ]
        read_only_fields = ["key"]

    def validate_fields(self, value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not value:
            raise serializers.ValidationError(_("List the form's fields."))
        names = set()
        for spec in value:
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
                raise serializers.ValidationError(_("Each field has a name."))
            target = spec.get("maps_to", "")
            if target and target not in FORM_TARGETS and not target.startswith("attributes."):
                raise serializers.ValidationError(_("“%s” is not a lead field.") % target)
            if spec.get("type", "text") not in FIELD_TYPES:
                raise serializers.ValidationError(_("Unknown field type."))
            if spec["name"] in names or spec["name"] in {"website", "consent"}:
                raise serializers.ValidationError(_("Field names must be unique."))
            names.add(spec["name"])
        if not any(spec.get("maps_to") == "email" for spec in value):
            raise serializers.ValidationError(_("A form needs a field mapped to email."))
        return value

    def validate_allowed_origins(self, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(
            isinstance(o, str) and o.startswith(("http://", "https://")) for o in value
        ):
            raise serializers.ValidationError(_("A list of origins such as https://example.com."))
        return value


class TrackingSiteSerializer(ModelSerializer):
    class Meta:
        model = TrackingSite
        fields = ["id", "name", "key", "allowed_origins", "active"]
        read_only_fields = ["key"]
