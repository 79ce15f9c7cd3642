from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """mapping[key] in a template, empty when missing."""
    if hasattr(mapping, "get"):
        return mapping.get(key, "")
    return ""


@register.filter
def duration_s(seconds: float | None) -> str:
    """Seconds as a short human duration: "45 s", "3 min 20 s", "2 h 5 min"."""
    from django.utils.translation import gettext as _

    if seconds is None:
        return ""
    seconds = round(seconds)
    if seconds < 60:
        return _("%(s)d s") % {"s": seconds}
    if seconds < 3600:
        return _("%(m)d min %(s)d s") % {"m": seconds // 60, "s": seconds % 60}
    return _("%(h)d h %(m)d min") % {"h": seconds // 3600, "m": seconds % 3600 // 60}


@register.filter
def shipped(text: str) -> str:
    """A text Leadflow ships as data (event types, reasons, questions, rule labels), in the
    reader's language; a text an admin wrote has no translation and shows as written."""
    from django.utils.translation import gettext

    return gettext(text) if isinstance(text, str) and text else text


@register.filter
def display_name(user: Any) -> str:
    """A person as pages show them: full name, else username (see leads.people)."""
    from leads.people import display_name as name_of

    return name_of(user)
