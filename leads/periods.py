"""The period a page shows: a preset (last 7, 30 or 90 days) or chosen dates."""

from datetime import datetime, time, timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

PERIODS = {"7": _("Last 7 days"), "30": _("Last 30 days"), "90": _("Last 90 days")}


def period(request: HttpRequest) -> tuple[datetime, datetime, str]:
    """From ?days=7|30|90, or ?start=…&end=… (dates, end inclusive); default 30 days."""
    now = timezone.now()
    start_day, end_day = (
        parse_date(request.GET.get("start", "")),
        parse_date(request.GET.get("end", "")),
    )
    if start_day and end_day and start_day <= end_day:
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(start_day, time.min, tzinfo=zone),
            datetime.combine(end_day + timedelta(days=1), time.min, tzinfo=zone),
            "custom",
        )
    days = request.GET.get("days", "30")
    days = days if days in PERIODS else "30"
    return now - timedelta(days=int(days)), now, days
