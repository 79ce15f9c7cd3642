"""Public pages of the scoring app: web-to-lead forms."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from leads.capture.touches import TOUCH_KEYS
from plumbing import json_input
from plumbing.limits import origin_allowed, over_limit, seconds_to_next_minute
from plumbing.text_checks import text_fault
from scoring import tracking, webforms
from scoring.models import FormSubmission, TrackingSite, WebForm

MAX_FORM_BODY_BYTES = 64 * 1024  # a form's fields fit many times over
MAX_VIEWS_PER_IP_PER_MINUTE = 120  # a person reads pages far slower than that


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
    if not origin_allowed(form.allowed_origins, origin):
        return JsonResponse({"detail": _("This site may not post this form.")}, status=403)
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204), origin)
    if request.method != "POST":
        # The visit's UTM codes and referrer ride along as hidden fields, so the hosted
        # form attributes its leads as the embedded one does.
        touch = {key: request.GET[key] for key in TOUCH_KEYS[:5] if request.GET.get(key)}
        if referrer := request.headers.get("Referer", ""):
            touch["referrer"] = referrer
        touch["landing_page"] = request.build_absolute_uri()
        context = {"form": form, "data": {}, "errors": {}, "touch": touch}
        return render(request, "scoring/webform.html", context)
    if len(request.body) > MAX_FORM_BODY_BYTES:
        message = _("This submission is too large.")
        return _cors(JsonResponse({"detail": message}, status=413), origin)
    ip = request.META.get("REMOTE_ADDR")
    if webforms.rate_limited(ip):
        response = JsonResponse(
            {"detail": _("Too many submissions: try again in a minute.")}, status=429
        )
        response["Retry-After"] = "60"
        return _cors(response, origin)
    if wants_json:
        try:
            data = json_input.loads(request.body or b"{}")
        except ValueError:
            return _cors(JsonResponse({"detail": _("Malformed JSON.")}, status=400), origin)
        if not isinstance(data, dict):
            return _cors(JsonResponse({"detail": _("Send a JSON object.")}, status=400), origin)
    else:
        data = request.POST.dict()
    if fault := text_fault(data):  # NUL or half a surrogate pair: no database stores it
        return _cors(JsonResponse({"detail": fault}, status=400), origin)
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


@csrf_exempt  # a beacon from the tracked site; it can only add anonymous page views
def collect(request: HttpRequest) -> HttpResponse:
    """Store one page view fast (204); scoring happens when the visitor is known."""
    if request.method != "POST" or len(request.body) > 8192:
        return HttpResponse(status=400)
    try:
        data = json_input.loads(request.body)
    except ValueError:
        return HttpResponse(status=400)
    if not isinstance(data, dict) or text_fault(data):
        return HttpResponse(status=400)
    if over_limit(f"collect-ip:{request.META.get('REMOTE_ADDR')}",
                  per_minute=MAX_VIEWS_PER_IP_PER_MINUTE):  # fmt: skip
        response = HttpResponse(status=429)
        response["Retry-After"] = str(seconds_to_next_minute())
        return response
    site = TrackingSite.objects.filter(key=str(data.get("site", "")), active=True).first()
    if site is None:
        return HttpResponse(status=404)
    origin = request.headers.get("Origin", "")
    if not origin_allowed(site.allowed_origins, origin):
        return HttpResponse(status=403)
    tracking.record_view(site, data, user_agent=request.headers.get("User-Agent", ""))
    return _cors(HttpResponse(status=204), origin)


def tracked_link(request: HttpRequest, token: str) -> HttpResponse:
    """A link in an email: counts the click, then goes on to the page (which the snippet
    tells about the lead, so earlier visits are stitched)."""
    link = tracking.read_link(token)
    if link is None:
        return HttpResponse(_("This link is not valid."), status=400, content_type="text/plain")
    lead_id, target = link  # the page the link was signed for; a ?to= is never followed
    if not tracking.is_bot(request.headers.get("User-Agent", "")):  # mail link scanners
        tracking.email_click(lead_id)
    return redirect(tracking.landing_url(target, token))
