"""Text PostgreSQL cannot store: checked where input arrives, so it gets a clear error
instead of failing the statement that writes it (a 500, and a batch lost)."""

from typing import Any

from django.utils.translation import gettext as _


def text_fault(value: Any) -> str | None:
    """Why this text, or any key or value of this JSON, cannot be stored (None: it can).

    JSON may escape half of a UTF-16 surrogate pair (``"\\ud800"``): valid JSON, but no
    Unicode text, and PostgreSQL refuses it as it refuses NUL."""
    if isinstance(value, str):
        if "\x00" in value:
            return _("Text cannot contain NUL characters.")
        if not value.isascii() and not _is_unicode(value):
            return _("Text cannot contain an unpaired surrogate (\\ud800 to \\udfff).")
        return None
    if isinstance(value, dict):
        pairs = (text_fault(k) or text_fault(v) for k, v in value.items())
        return next((fault for fault in pairs if fault), None)
    if isinstance(value, list):
        return next((fault for v in value if (fault := text_fault(v))), None)
    return None


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
