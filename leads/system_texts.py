"""Texts the system writes for people to read later, stored as a code and parameters.

A stage change's reason written by the system ("Imported", "Rejected by sales: Bad
timing") must read in the language of whoever reads it, not of whoever (or whatever
worker) wrote it. So the writer stores :class:`Stored` — a code from :data:`TEXTS` and its
parameters — and every reader renders it with :func:`render` in the active language. The
English rendering is stored beside the code too, so exports, search and the admin keep a
stable, readable text; a reason a person typed has no code and is shown as typed.

Parameters are kept as given (JSON) and formatted when read: a parameter listed in a
text's ``shipped`` is itself a text Leadflow ships (a reject reason's label, a scoring rule's
label) and goes through the catalogue; what a person typed (a note, a form's name) does
not; numbers are formatted in the reader's locale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

Params = dict[str, Any]


def _number(value: Any) -> Any:
    """A number in the reader's locale ("7,5" in Spanish; 25.0 shows as "25")."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return formats.number_format(value, use_l10n=True)


def _points(value: Any) -> str:
    """A rule's points with their sign: "+20", "−7,5" in Spanish."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    shown = _number(abs(value))
    return f"+{shown}" if value >= 0 else f"−{shown}"


def _contributions(value: Any) -> str:
    """Scoring rules that fired, [[label, points], ...], as "Label +20; Other −5"."""
    if not isinstance(value, list):
        return str(value)
    return "; ".join(f"{gettext(str(label))} {_points(points)}" for label, points in value)


@dataclass(frozen=True)
class SystemText:
    """One kind of stored text: its template (``%(name)s`` placeholders) and how each
    parameter is shown to the reader."""

    template: str | Promise
    shipped: frozenset[str] = frozenset()  # parameters that are shipped texts
    formatters: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)

    def render(self, params: Mapping[str, Any]) -> str:
        shown: Params = {}
        for name, value in params.items():
            if name in self.formatters:
                shown[name] = self.formatters[name](value)
            elif name in self.shipped and isinstance(value, str) and value:
                shown[name] = gettext(value)
            else:
                shown[name] = _number(value)
        return str(self.template) % shown


# Every code the system writes. Codes are stable (the API gives them out): add, never rename.
TEXTS: dict[str, SystemText] = {
    "lead.created": SystemText(_("Created")),
    "lead.imported": SystemText(_("Imported")),
    # A text Leadflow ships as data (demo reasons, say): stored in English, read through
    # the catalogue. Mark such texts with gettext_noop where they are defined.
    "shipped": SystemText("%(text)s", shipped=frozenset({"text"})),
    "scoring.first_event": SystemText(_("First seen in a behaviour event")),
    "scoring.form_submitted": SystemText(_("Submitted the form “%(form)s”")),
    "scoring.crossed_thresholds": SystemText(
        _("Crossed the MQL thresholds (fit ≥ %(mql_fit)s, intent ≥ %(mql_intent)s)")
    ),
    "scoring.promoted": SystemText(
        _(
            "Fit %(fit)s ≥ %(mql_fit)s and intent %(intent)s ≥ %(mql_intent)s "
            "(scoring model v%(version)s)"
        )
    ),
    "scoring.promoted_by": SystemText(
        _(
            "Fit %(fit)s ≥ %(mql_fit)s and intent %(intent)s ≥ %(mql_intent)s "
            "(scoring model v%(version)s): %(rules)s"
        ),
        formatters={"rules": _contributions},
    ),
    "handoff.rejected": SystemText(
        _("Rejected by sales: %(reason)s"), shipped=frozenset({"reason"})
    ),
    "handoff.rejected_with_note": SystemText(
        _("Rejected by sales: %(reason)s. %(note)s"), shipped=frozenset({"reason"})
    ),
    "handoff.closed_lost": SystemText(_("Closed lost: %(reason)s")),
}


@dataclass(frozen=True)
class Stored:
    """A system text to store: its code and parameters (JSON-serialisable values)."""

    code: str
    params: Params = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in TEXTS:
            raise KeyError(f"unknown system text code: {self.code}")

    @property
    def english(self) -> str:
        """The text as stored beside the code: English, whoever wrote it."""
        with translation.override("en"):
            return TEXTS[self.code].render(self.params)

    def __str__(self) -> str:
        return render(self.code, self.params)


def text(code: str, **params: Any) -> Stored:
    """The system text ``code`` with its parameters, ready to be stored."""
    return Stored(code, params)


def shipped(english: str) -> Stored:
    """A text Leadflow ships (marked with gettext_noop where defined), read translated."""
    return Stored("shipped", {"text": english})


def render(code: str, params: Mapping[str, Any] | None, fallback: str = "") -> str:
    """The stored text in the reader's (active) language; ``fallback`` (the text as
    stored) when there is no code — a person's words — or a code this version lacks."""
    kind = TEXTS.get(code or "")
    if kind is None:
        return fallback
    try:
        return kind.render(params or {})
    except (KeyError, TypeError, ValueError):  # parameters from an older shape
        return fallback


def fields_for(reason: str | Stored | None) -> dict[str, Any]:
    """The StageChange fields for a reason: typed text as typed, a system text as its
    code, parameters and English rendering."""
    if isinstance(reason, Stored):
        english, code, params = reason.english, reason.code, reason.params
        return {"reason": english, "reason_code": code, "reason_params": params}
    return {"reason": (reason or "").strip(), "reason_code": "", "reason_params": {}}


def plain(reason: str | Stored | None) -> str:
    """The reason as a string for rules that read it (guards): the English text."""
    return reason.english if isinstance(reason, Stored) else (reason or "").strip()


# What an erased lead's notes say instead (stored in English, read translated: Note.shown).
ERASED_NOTE = gettext_noop("[erased on request]")

# Demo and benchmark data's own labels for the history they load.
DEMO_DATA = gettext_noop("Demo data")
SYNTHETIC_DATA = gettext_noop("Synthetic benchmark data")
