"""Numbers and dates as people type them in their own language.

A Spanish rep types a deal as "12.500,50" or "12500,50"; an English one as "12,500.50".
Django's own ``sanitize_separators`` only knows one thousands separator per locale (for
Spanish a no-break space, which nobody types), so the rules are spelled out here: the
locale's decimal separator, and as grouping the locale's thousands separator, spaces, and
the other mark ("." where the decimal mark is ","; "," where it is "."). Grouping must be
in threes, so "12.50" in Spanish is refused rather than silently read as 1250.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _

SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space (French/Spanish print)
CURRENCY = "€$£"


class UnreadableNumber(ValueError):
    """The text is not a number in the reader's locale; the message says how to write it."""


def _separators() -> tuple[str, str]:
    decimal = formats.get_format("DECIMAL_SEPARATOR")
    grouping = "." if decimal == "," else ","
    return decimal, grouping


def example_number() -> str:
    """How 12,500.50 is written in the active language (for error messages)."""
    decimal, grouping = _separators()
    return f"12{grouping}500{decimal}50"


def parse_decimal(text: str) -> Decimal:
    """The number ``text`` means in the active language. Raises UnreadableNumber."""
    decimal, grouping = _separators()
    raw = text.strip().strip(CURRENCY).strip()
    for space in SPACES:
        raw = raw.replace(space, "\u00a0")
    sign = ""
    if raw[:1] in "-+":
        sign, raw = raw[:1].replace("+", ""), raw[1:]
    whole, _sep, fraction = raw.partition(decimal)
    groups_ok = re.fullmatch(rf"\d{{1,3}}([{re.escape(grouping)}\u00a0]\d{{3}})*|\d+", whole)
    if not groups_ok or (fraction and not fraction.isdigit()) or (_sep and not fraction):
        raise UnreadableNumber(
            _("Write a number such as %(example)s.") % {"example": example_number()}
        )
    digits = re.sub(rf"[{re.escape(grouping)}\u00a0]", "", whole)
    try:
        return Decimal(f"{sign}{digits}.{fraction or 0}")
    except InvalidOperation:  # pragma: no cover - the pattern above admits digits only
        raise UnreadableNumber(
            _("Write a number such as %(example)s.") % {"example": example_number()}
        ) from None


def parse_date(text: str) -> date:
    """A date from a date input (ISO) or typed in the active language's own format."""
    raw = text.strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    for pattern in formats.get_format("DATE_INPUT_FORMATS"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(
        _("Write a date such as %(example)s.")
        % {"example": formats.date_format(date(2026, 3, 31), "SHORT_DATE_FORMAT")}
    )
