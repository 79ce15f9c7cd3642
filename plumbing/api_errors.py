"""One exception handler for every app's API: domain errors become 400 / 403 / 409."""

import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from plumbing.errors import Conflict, InvalidInput, NotPermitted

logger = logging.getLogger(__name__)


class ErrorSerializer(serializers.Serializer):
    """The body of 403, 404, 409 and 429 answers (documented in the schema)."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


def api_error(request: Any, status_code: int, detail: str, code: str) -> JsonResponse | None:
    """The API's error body for a request under /api/ answered outside DRF (URL resolver,
    middleware); None for pages, which answer in HTML."""
    if not request.path.startswith("/api/"):
        return None
    return JsonResponse({"detail": detail, "code": code}, status=status_code)


# The database or the broker is briefly out of reach: the sender should retry (with the same
# event ids, which makes the retry safe), not treat it as a bug in its request.
RETRY_AFTER_SECONDS = 5


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.warning("database unavailable: %s", type(exc).__name__)
        return Response(
            {"detail": _("The service is briefly unavailable: retry in a few seconds."),
             "code": "unavailable"},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )  # fmt: skip
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message, "code": exc.code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ProtectedError | RestrictedError):
        # Deleting what other rows still use (a reject reason on past handoffs, say).
        return Response(
            {"detail": _("This is still in use, so it cannot be deleted; deactivate it instead."),
             "code": "in_use"},
            status=status.HTTP_409_CONFLICT,
        )  # fmt: skip
    if isinstance(exc, InvalidInput):
        exc = ValidationError(exc.errors)
    elif isinstance(exc, NotPermitted):
        exc = PermissionDenied(exc.message)
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    return drf_exception_handler(exc, context)
