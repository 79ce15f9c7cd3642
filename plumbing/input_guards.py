"""Checks on raw input that hold for every page and endpoint."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from plumbing.api_errors import api_error


def refuse_nul_in_query(get_response: Callable[[HttpRequest], HttpResponse]):  # type: ignore[no-untyped-def]
    """A NUL character in the query string is never meant, and PostgreSQL refuses it in
    any text it compares: answer 400 here rather than a 500 from whichever filter meets it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        # The path too: /f/%00/ reached a lookup by key, and PostgreSQL refused the NUL.
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value for key, value in _pairs(request)
        ):
            message = _("The address contains a NUL character.")
            return api_error(request, 400, message, "invalid") or HttpResponseBadRequest(message)
        return get_response(request)

    return middleware


def _pairs(request: HttpRequest):  # type: ignore[no-untyped-def]
    for key, values in request.GET.lists():
        for value in values:
            yield key, value
