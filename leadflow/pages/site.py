"""Pages that belong to no single app."""

from functools import cache

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from leadflow.health import readiness
from leadflow.metrics_view import is_operator
from leadflow.navigation import landing_url
from leadflow.paths import BASE_DIR
from plumbing.api_errors import api_error


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Readiness (database, broker) is a separate check."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness for load balancers and compose: 200 when the database and the broker
    answer, 503 otherwise; lagging workers, beat or alerts are warnings in the body (for
    operators: the METRICS_TOKEN bearer token or an admin's session)."""
    ready, body = readiness()
    if not is_operator(request):
        # The status code is what load balancers read; which dependency fails and how far
        # the workers lag is for operators only.
        body = {"status": body["status"]}
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


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request Django refuses before any view (too many fields, a body over the limit, a
    bad Host): API paths answer 400 in JSON, as the API's own 400s do."""
    return api_error(
        request, 400, _("The request could not be read (too many fields, or too large)."),
        "bad_request",
    ) or defaults.bad_request(request, exception)  # fmt: skip


def server_error(request: HttpRequest) -> HttpResponse:
    """API paths answer 500 in JSON; pages get templates/500.html, which needs neither the
    database nor a request context (whatever broke may be either)."""
    return api_error(request, 500, _("Server error."), "server_error") or defaults.server_error(
        request
    )


FAVICON = "img/favicon.svg"


@cache
def _favicon() -> bytes:
    path = finders.find(FAVICON) or str(BASE_DIR / "static" / FAVICON)
    with open(path, "rb") as icon:
        return icon.read()


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on their own (pages link the SVG): the same icon."""
    try:
        return HttpResponse(_favicon(), content_type="image/svg+xml")
    except OSError:
        raise Http404 from None
