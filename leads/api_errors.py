"""One exception handler for every app's API: domain errors become 400 / 403 / 409."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from leads.errors import Conflict, InvalidInput, NotPermitted


class ErrorSerializer(serializers.Serializer):
    """The body of 403, 404, 409 and 429 answers (documented in the schema)."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message, "code": exc.code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, InvalidInput):
        exc = ValidationError(exc.errors)
    elif isinstance(exc, NotPermitted):
        exc = PermissionDenied(exc.message)
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    return drf_exception_handler(exc, context)
