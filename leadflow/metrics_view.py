"""/metrics for Prometheus: a bearer token (METRICS_TOKEN), or an admin's session."""

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_prometheus.exports import ExportToDjangoView

from leadflow.instruments import register_collectors
from leads.roles import Role, roles_of


def is_operator(request: HttpRequest) -> bool:
    """Monitoring with the METRICS_TOKEN bearer token, or an admin's session: who may read
    the service's insides (metrics, readiness details)."""
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and offered and hmac.compare_digest(offered, token):
        return True
    return Role.ADMIN in roles_of(request.user)


def metrics(request: HttpRequest) -> HttpResponse:
    if not is_operator(request):
        signed_in = request.user.is_authenticated
        response = HttpResponse(
            "Metrics need the METRICS_TOKEN bearer token.",
            status=403 if signed_in else 401,
            content_type="text/plain",
        )
        response["WWW-Authenticate"] = "Bearer"
        return response
    register_collectors()
    return ExportToDjangoView(request)
