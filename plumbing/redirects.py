"""Where a page may send the browser next: only back into this site.

Every ``next`` a form or link carries goes through here. A hand-made check such as
``startswith("/") and not startswith("//")`` lets ``/\\evil.example`` through, which
browsers read as ``//evil.example``; Django's own check knows these spellings."""

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest, fallback: str, *args: object) -> str:
    """The request's ``next`` (POST first, then the query) when it stays on this site,
    else the fallback (a URL name with its args, or a path)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(fallback, *args)


def next_path(request: HttpRequest) -> str:
    """The request's ``next`` (POST first, then the query) when it is a path on this site,
    else "" (for pages that act differently when there is one, and have no fallback)."""
    return local_path(request.POST.get("next") or request.GET.get("next") or "")


def local_path(url: str) -> str:
    """The url when it is a path on this site, else "" (for code with no request)."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return url
    return ""
