"""The period a page shows: a preset (last 7, 30 or 90 days) or chosen dates."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.http import HttpRequest, QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plumbing.moments import read_day

PERIODS = {
    "7": gettext_lazy("Last 7 days"),
    "30": gettext_lazy("Last 30 days"),
    "90": gettext_lazy("Last 90 days"),
}
DEFAULT_DAYS = "30"


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime  # exclusive
    chosen: str  # a PERIODS key, or "custom" for dates
    # What the person asked for and could not have, by field ("start", "end", "days"):
    # the page shows the default period then, and says so beside the fields.
    errors: dict[str, list[str]] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)


def _day(value: str, errors: list[str]) -> date | None:
    day = read_day(value)  # None for 2026-02-30, garbage, or a year outside 1900–2100
    if day is None:
        errors.append(_("“%(value)s” is not a date: use YYYY-MM-DD.") % {"value": value})
    return day


def read_period(params: QueryDict) -> Period:
    """From ?days=7|30|90, or ?start=…&end=… (dates, end inclusive); default 30 days.

    Dates that cannot be read, a start after the end or one date without the other give
    the default period with errors that say why, never a silent fallback."""
    now = timezone.now()
    typed = {name: params.get(name, "").strip() for name in ("start", "end", "days")}
    errors: dict[str, list[str]] = {}
    if typed["start"] or typed["end"]:
        start_errors: list[str] = []
        end_errors: list[str] = []
        start_day = _day(typed["start"], start_errors) if typed["start"] else None
        end_day = _day(typed["end"], end_errors) if typed["end"] else None
        if not typed["start"]:
            start_errors.append(_("Give the first day too, or choose a period."))
        if not typed["end"]:
            end_errors.append(_("Give the last day too, or choose a period."))
        if start_day and end_day and start_day > end_day:
            start_errors.append(
                _("The start (%(start)s) is after the end (%(end)s).")
                % {
                    "start": formats.date_format(start_day, "SHORT_DATE_FORMAT"),
                    "end": formats.date_format(end_day, "SHORT_DATE_FORMAT"),
                }
            )
        errors = {name: found for name, found in (("start", start_errors),
                                                   ("end", end_errors)) if found}  # fmt: skip
        if not errors and start_day and end_day:
            zone = timezone.get_current_timezone()
            return Period(
                start=datetime.combine(start_day, time.min, tzinfo=zone),
                end=datetime.combine(end_day + timedelta(days=1), time.min, tzinfo=zone),
                chosen="custom",
                typed=typed,
            )
    days = typed["days"] or DEFAULT_DAYS
    if days not in PERIODS:
        errors["days"] = [_("Choose one of the periods in the list.")]
        days = DEFAULT_DAYS
    return Period(
        start=now - timedelta(days=int(days)), end=now, chosen=days, errors=errors, typed=typed
    )


def period(request: HttpRequest) -> tuple[datetime, datetime, str]:
    """The period as (start, end, chosen), errors aside: see :func:`read_period`."""
    found = read_period(request.GET)
    return found.start, found.end, found.chosen
