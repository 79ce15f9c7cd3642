"""Pages that belong to no single app."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import defaults

from leadflow.health import readiness
from leadflow.navigation import landing_url
from leads.api_errors import api_error


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Readiness (database, broker) is a separate check."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness for load balancers and compose: 200 when the database and the broker
    answer, 503 otherwise; lagging workers, beat or alerts are warnings in the body."""
    ready, body = readiness()
    return JsonResponse(body, status=200 if ready else 503)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own work: marketers the MQL queue, reps their inbox,
    managers the team queue, admins the scoring settings."""
    return redirect(landing_url(request.user))


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """API paths answer 404 in JSON, as the API's own 404s do; pages get the HTML page."""
    return api_error(request, 404, _("Not found."), "not_found") or defaults.page_not_found(
        request, exception
    )
