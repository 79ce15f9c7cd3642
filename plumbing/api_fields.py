"""Serializer pieces every app's API shares."""

from typing import Any

from django.db import models
from rest_framework import serializers


class JSONField(serializers.JSONField):
    """DRF's JSONField, refusing ``null`` however it arrives.

    DRF checks for null before parsing, so a form field holding the text ``null`` got
    through as None and reached a NOT NULL column (a 500). Parse first, then check."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        if value is None and not self.allow_null:
            self.fail("null")
        return value


class ModelSerializer(serializers.ModelSerializer):
    """The base of every model serializer: model JSON fields get the JSONField above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.JSONField: JSONField,
    }
