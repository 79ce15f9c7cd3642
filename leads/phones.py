"""Phone numbers as one key per line: "612 34 56 78", "+34 612 345 678" and
"0034612345678" are the same phone, so an import keyed by phone finds the same lead."""

import phonenumbers
from django.conf import settings


def phone_key(text: str, region: str | None = None) -> str:
    """The phone in E.164 ("+34612345678"), or "" when it is not a possible number.

    A number without a country prefix is read in ``region`` (the lead's country), else in
    the PHONE_REGION setting."""
    text = (text or "").strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, (region or settings.PHONE_REGION or "").upper() or None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
