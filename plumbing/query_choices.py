"""A query parameter that names one of a few choices (``?as=csv``): an unknown value is the
caller's mistake, answered with a 400 that names the parameter, not quietly read as the
default."""

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError


def one_of(params: Mapping[str, str], name: str, choices: Sequence[str]) -> str:
    """The chosen value, or the first choice when the parameter is absent or empty."""
    value = params.get(name) or choices[0]
    if value not in choices:
        raise ValidationError({name: [_("Choose one of: %s.") % ", ".join(choices)]})
    return value
