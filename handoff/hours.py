"""The SLA clock: it runs only during a team's business hours, in the team's time zone."""

from datetime import datetime, timedelta

from handoff.models import TeamHours
from leads.time_zones import zone_or_utc


def add_business_minutes(start: datetime, minutes: float, hours: TeamHours | None) -> datetime:
    """The moment ``minutes`` of working time have passed after ``start``."""
    if hours is None or hours.always_on or not hours.weekdays:
        return start + timedelta(minutes=minutes)
    zone = zone_or_utc(hours.time_zone)
    at = start.astimezone(zone)
    left = timedelta(minutes=minutes)
    for _day in range(366):  # a year of calendar is more than any SLA spans
        day_start = at.replace(
            hour=hours.starts.hour, minute=hours.starts.minute, second=0, microsecond=0
        )
        day_end = at.replace(
            hour=hours.ends.hour, minute=hours.ends.minute, second=0, microsecond=0
        )
        if at.weekday() in hours.weekdays and at < day_end:
            begin = max(at, day_start)
            if begin + left <= day_end:
                return (begin + left).astimezone(start.tzinfo)
            left -= day_end - begin
        at = (at + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    raise ValueError("no working hours configured in the coming year")
