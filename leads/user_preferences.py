"""A person's language and time zone, for work done outside their requests (alert emails,
webhooks, notifications written by a worker)."""

import zoneinfo
from typing import Any

from django.conf import settings


def language_of(user: Any) -> str:
    prefs = getattr(user, "preferences", None)
    return (prefs.language if prefs else "") or settings.LANGUAGE_CODE


def zone_of(user: Any) -> zoneinfo.ZoneInfo:
    prefs = getattr(user, "preferences", None)
    try:
        return zoneinfo.ZoneInfo(prefs.time_zone if prefs else settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)
