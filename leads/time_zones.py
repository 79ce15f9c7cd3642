"""Time zones people and teams may choose: the IANA names this machine knows."""

import logging
import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory"})


def validate_time_zone(name: str) -> None:
    """A model and form validator: an IANA time zone name such as Europe/Madrid."""
    if name not in time_zones():
        raise ValidationError(
            _("“%(zone)s” is not a time zone; use a name such as Europe/Madrid."),
            code="invalid_time_zone",
            params={"zone": str(name)[:64]},
        )


def zone_or_utc(name: str) -> zoneinfo.ZoneInfo:
    """The zone, or UTC for a name saved before names were checked: a clock that runs in
    UTC is better than routing that stops for everybody."""
    if name in time_zones():
        return zoneinfo.ZoneInfo(name)
    logger.warning("unknown time zone %r: using UTC", name)
    return zoneinfo.ZoneInfo("UTC")
