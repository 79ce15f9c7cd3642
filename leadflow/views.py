"""Pages that belong to no single app."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Readiness (database, broker) is a separate check."""
    return JsonResponse({"status": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each user's starting page; for now everyone starts at the leads list."""
    return redirect("leads:list")
