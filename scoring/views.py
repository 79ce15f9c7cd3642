"""Public pages of the scoring app: web-to-lead forms."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from scoring import webforms
from scoring.models import FormSubmission, WebForm


def _cors(response: HttpResponse, origin: str) -> HttpResponse:
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Vary"] = "Origin"
    return response


@csrf_exempt  # posted from other sites; protected by origins, honeypot and rate limit
def web_form(request: HttpRequest, key: str) -> HttpResponse:
    form = get_object_or_404(WebForm, key=key, active=True)
    origin = request.headers.get("Origin", "")
    wants_json = request.content_type == "application/json"
    if not webforms.origin_allowed(form, origin):
        return JsonResponse({"detail": _("This site may not post this form.")}, status=403)
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204), origin)
    if request.method != "POST":
        return render(request, "scoring/webform.html", {"form": form, "data": {}, "errors": {}})
    ip = request.META.get("REMOTE_ADDR")
    if webforms.rate_limited(ip):
        response = JsonResponse(
            {"detail": _("Too many submissions: try again in a minute.")}, status=429
        )
        response["Retry-After"] = "60"
        return _cors(response, origin)
    if wants_json:
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return _cors(JsonResponse({"detail": _("Malformed JSON.")}, status=400), origin)
        if not isinstance(data, dict):
            return _cors(JsonResponse({"detail": _("Send a JSON object.")}, status=400), origin)
    else:
        data = request.POST.dict()
    submission = webforms.submit(
        form, data, ip=ip, origin=origin, user_agent=request.headers.get("User-Agent", "")
    )
    if submission.status == FormSubmission.Status.INVALID:
        if wants_json:
            return _cors(JsonResponse(submission.errors, status=400), origin)
        return render(
            request,
            "scoring/webform.html",
            {"form": form, "data": data, "errors": submission.errors},
            status=400,
        )
    if wants_json:
        return _cors(JsonResponse({"status": "received"}, status=201), origin)
    if form.redirect_url:
        return redirect(form.redirect_url)
    return render(request, "scoring/webform_thanks.html", {"form": form})
