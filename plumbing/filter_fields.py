"""Filter fields for query strings that people and programs type: ids within what the
database holds, dates and times within 1900–2100 (plumbing.moments). Anything else is the
filter's error (a 400 on the API, a message beside the field on the pages)."""

from datetime import datetime
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from plumbing.moments import MOMENT_SCHEMA, read_moment

MAX_ID = 2**63 - 1  # PostgreSQL's bigint


class IdField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class MomentField(forms.CharField):
    default_error_messages = {
        "invalid": _("Use an ISO date or date and time between 1900 and 2100.")
    }

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        moment = read_moment(text)
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return moment


@extend_schema_field(MOMENT_SCHEMA)
class MomentFilter(django_filters.Filter):
    field_class = MomentField
