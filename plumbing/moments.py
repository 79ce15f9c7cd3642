"""Dates and times typed or sent by people and programs, read one way everywhere.

Django's parsers raise ValueError (rather than answering None) on text shaped like a
date that names none — ``2026-02-30``, ``T25:00``, an offset of ``+99:00`` — and a year
near 1 or 9999 overflows as soon as a period is computed from it (``end - 30 days``), or
is stored by PostgreSQL as a year BC that Python cannot read back. So every date from
outside is read here, and only years 1900–2100 are dates at all."""

from datetime import UTC, date, datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_LENGTH = 40  # the longest ISO 8601 date-time with fractions and an offset, and some
# What the API schema promises is read: a date, or a date and time with an optional offset.
# Narrower than what is read (the first and last years are left out, so that an offset
# never carries a documented value outside 1900–2100), so every documented value works.
MOMENT_PATTERN = (
    r"^(19[1-9][0-9]|20[0-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
    r"(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
    r"(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9])?)?$"
)
MOMENT_SCHEMA = {"type": "string", "pattern": MOMENT_PATTERN}


def read_moment(text: object, *, default_zone: object = None) -> datetime | None:
    """An aware datetime in UTC from ISO 8601 text (a date alone is its midnight), or None
    for anything that is not one in 1900–2100. Naive times are in default_zone (or UTC)."""
    if not isinstance(text, str) or not text or len(text) > MAX_LENGTH:
        return None
    try:
        value = parse_datetime(text)
        if value is None and (day := parse_date(text)) is not None:
            value = datetime.combine(day, time.min)
    except (ValueError, OverflowError):
        return None
    if value is None or not FIRST_YEAR <= value.year <= LAST_YEAR:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, default_zone or UTC)  # type: ignore[arg-type]
    try:
        # In UTC: PostgreSQL refuses offsets past 15:59 ("-23:13" parses in Python).
        value = value.astimezone(UTC)
    except OverflowError:
        return None
    return value if FIRST_YEAR <= value.year <= LAST_YEAR else None


def read_day(text: object) -> date | None:
    """A date from YYYY-MM-DD text, or None for anything else or outside 1900–2100."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return None
    try:
        day = parse_date(text.strip())
    except ValueError:
        return None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return day
