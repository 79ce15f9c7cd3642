"""How senders of events authenticate and are rate-limited: per-source API keys."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework_api_key.permissions import KeyParser

from leads.roles import Role, roles_of
from plumbing.limits import over_limit, seconds_to_next_minute
from scoring.models import SourceApiKey

KEYWORD = "Api-Key"


class SourceKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <key>``. The key, not a user, is the caller: request.auth."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, SourceApiKey] | None:
        key = KeyParser().get(request)
        if not key:
            return None
        try:
            api_key = SourceApiKey.objects.get_from_key(key)
        except SourceApiKey.DoesNotExist:
            raise AuthenticationFailed(_("This API key is not valid.")) from None
        if not api_key.is_valid(key):
            raise AuthenticationFailed(_("This API key has been revoked or has expired."))
        return AnonymousUser(), api_key

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class SendsEvents(BasePermission):
    """A valid source key, or a signed-in marketer or admin (for tests and tools)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, SourceApiKey):
            return True
        return bool(roles_of(request.user) & {Role.MARKETER, Role.ADMIN})


class SourceKeyRateThrottle(BaseThrottle):
    """A fixed one-minute window per key, counted atomically in the shared cache."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if not isinstance(request.auth, SourceApiKey):
            return True
        self.reset_in = seconds_to_next_minute()
        key = request.auth
        return not over_limit(f"source-key:{key.pk}", per_minute=key.requests_per_minute)

    def wait(self) -> float | None:
        return float(getattr(self, "reset_in", 60))


class SourceKeyScheme(OpenApiAuthenticationExtension):
    """Documents the Api-Key header in the OpenAPI schema."""

    target_class = "scoring.api.auth.SourceKeyAuthentication"
    name = "SourceApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Api-Key <key>"}  # fmt: skip
