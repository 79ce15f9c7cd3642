"""Language and time zone: the user's own choice (saved), else the browser's
Accept-Language (LocaleMiddleware) and the site's time zone."""

import zoneinfo
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from leads.decorators import role_required
from leads.models import Preferences
from leads.time_zones import time_zones as known_time_zones
from plumbing import redirects


@cache
def time_zones() -> list[str]:
    return sorted(known_time_zones())


class UserPreferencesMiddleware:
    """After authentication: a signed-in user's saved language and time zone win."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        prefs = None
        if user is not None and user.is_authenticated:
            prefs = Preferences.objects.filter(user=user).only("language", "time_zone").first()
        if prefs and prefs.language:
            translation.activate(prefs.language)
            request.LANGUAGE_CODE = prefs.language
        if prefs and prefs.time_zone in time_zones():
            timezone.activate(zoneinfo.ZoneInfo(prefs.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The switcher: Django's cookie for everyone, and the saved choice for a user."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        Preferences.objects.update_or_create(user=request.user, defaults={"language": language})
    return response


@role_required()
def preferences(request: HttpRequest) -> HttpResponse:
    prefs, _created = Preferences.objects.get_or_create(user=request.user)
    error = ""
    if request.method == "POST":
        language = request.POST.get("language", "")
        zone = request.POST.get("time_zone", "")
        if language not in {"", *dict(settings.LANGUAGES)} or zone not in time_zones():
            error = _("Choose a language and a time zone from the lists.")
        else:
            prefs.language, prefs.time_zone = language, zone
            prefs.save(update_fields=["language", "time_zone"])
            if language:
                translation.activate(language)
            messages.success(request, _("Preferences saved."))
            return redirect(redirects.next_url(request, "preferences"))
    return render(
        request,
        "preferences.html",
        {"prefs": prefs, "zones": time_zones(), "error": error},
        status=400 if error else 200,
    )
