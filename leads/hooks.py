"""The core's hook registry: how ``leads`` reaches higher apps without importing them.

Higher apps register in their ``AppConfig.ready``, which calls ``connect()`` in the app's
own ``hooks.py``. Each event is a typed payload (a dataclass below) and hooks register for
its class:

- **guards** may refuse a move (``scoring``/``handoff`` rules such as "only by accepting
  the handoff"). ``lifecycle.transition`` asks every guard registered for the move and
  refuses with the first reason given, so every path to a stage obeys the same rules.
- **consistency hooks** (``add_consistency_hook``) run inside the transaction of the
  change, so other apps' rows stay consistent with it (a merge re-points events and
  handoffs) or nothing is written at all.
- **follow-ups** (``add_follow_up``) run once after the transaction commits and never after
  a rollback; they start work (routing a new MQL). A periodic sweep in the owning app
  catches any that a crash between commit and follow-up left undone.

Higher apps also add their CSV importers and their sections of a person's data export
here. One explicit mechanism instead of Django signals, so the order and the transaction
boundary of each hook are plain to see.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.db import transaction

from leads.roles import Actor

if TYPE_CHECKING:
    from leads.capture.import_values import Outcome
    from leads.models import Lead, StageChange

logger = logging.getLogger(__name__)


# --- Events: one typed payload each; the payload's class is the event ----------------------


class Payload:
    """What every event's payload is; hooks register for one payload class."""


@dataclass(frozen=True)
class StageChanged(Payload):
    """Live moves: one StageChange row for a single move, many for a bulk move. A row
    from nothing (``from_stage == ""``) is a lead just created."""

    changes: Sequence[StageChange]


@dataclass(frozen=True)
class HistoryLoaded(Payload):
    """StageChange rows of history loaded from elsewhere (imports, demo). Not live moves:
    only rollups listen, nothing is routed or alerted."""

    changes: Sequence[StageChange]


@dataclass(frozen=True)
class LeadsEdited(Payload):
    """Leads whose details (fields, company, attributes) were edited."""

    lead_ids: Sequence[int]


@dataclass
class LeadsMerged(Payload):
    """A duplicate merged into a primary. Each app's consistency hook fills ``moved`` with
    the ids of the rows it re-pointed, by "app_label.model", so undo can return them;
    follow-ups run after the merge commits."""

    primary_id: int
    duplicate_id: int
    moved: dict[str, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class MergeUndone(Payload):
    """A merge undone: both leads are in the lists again (follow-ups re-score them)."""

    primary_id: int
    duplicate_id: int


@dataclass(frozen=True)
class PersonErased(Payload):
    """A person's data erased on request: each app clears what its rows say about them,
    inside the erase."""

    lead: Lead


P = TypeVar("P", bound=Payload)
Hook = Callable[[P], None]


@dataclass(frozen=True)
class Move:
    """What a guard is asked about: ``actor`` is None for the system."""

    lead: Lead
    source: str
    target: str
    actor: Actor
    reason: str


Guard = Callable[[Move], str | None]  # a refusal reason, or None to allow
# A higher app's section of a person's data export (privacy): its rows about the lead.
DataExport = Callable[["Lead"], dict[str, Any]]


class Importer(Protocol):
    """A CSV importer (a module such as scoring.event_import), run by the core's import
    jobs like leads.capture.imports."""

    def validate_mapping(
        self, mapping: dict[str, str], headers: Iterable[str]
    ) -> dict[str, list[str]]: ...

    def import_rows(
        self,
        rows: Iterable[dict[str, str]],
        mapping: dict[str, str],
        *,
        actor: Actor,
        source: str,
        on_batch: Callable[[int, Outcome], None] | None = None,
    ) -> Outcome: ...


class HookRegistry:
    def __init__(self) -> None:
        self._guards: dict[tuple[str, str], list[Guard]] = defaultdict(list)
        self._consistency: dict[type[Payload], list[Hook[Any]]] = defaultdict(list)
        self._follow_ups: dict[type[Payload], list[Hook[Any]]] = defaultdict(list)
        self._importers: dict[str, Importer] = {}
        self._data_exports: list[DataExport] = []

    def add_guard(self, source: str, target: str, guard: Guard) -> None:
        self._guards[(source, target)].append(guard)

    def add_consistency_hook(self, event: type[P], hook: Hook[P]) -> None:
        self._consistency[event].append(hook)

    def add_follow_up(self, event: type[P], hook: Hook[P]) -> None:
        self._follow_ups[event].append(hook)

    def add_importer(self, kind: str, importer: Importer) -> None:
        """A higher app's CSV importer (e.g. "events"), run by the core's import jobs."""
        self._importers[kind] = importer

    def importer(self, kind: str) -> Importer | None:
        return self._importers.get(kind)

    def add_data_export(self, export: DataExport) -> None:
        self._data_exports.append(export)

    def exported_data(self, lead: Lead) -> dict[str, Any]:
        """Every app's section of a person's data export."""
        data: dict[str, Any] = {}
        for export in self._data_exports:
            data.update(export(lead))
        return data

    def has_guards(self, source: str, target: str) -> bool:
        return bool(self._guards.get((source, target)))

    def refusal(self, move: Move) -> str | None:
        for guard in self._guards.get((move.source, move.target), ()):
            reason = guard(move)
            if reason:
                return reason
        return None

    def fire(self, payload: Payload) -> None:
        """Run the consistency hooks now and schedule the follow-ups for after commit.

        Must be called inside the transaction that made the change.
        """
        event = type(payload)
        for hook in self._consistency.get(event, ()):
            hook(payload)
        mass = in_mass_change()  # as when the change was made, whenever the commit runs
        for hook in self._follow_ups.get(event, ()):
            # robust: one failing follow-up is logged and does not stop the others;
            # the owning app's sweep redoes its work.
            transaction.on_commit(
                lambda hook=hook: _follow_up(hook, payload, mass=mass), robust=True
            )


registry = HookRegistry()

# Set while a background job changes leads wholesale (a re-score): follow-ups that would
# otherwise do their work in the committing process (routing a few new MQLs) hand it to
# a worker instead, so that the job is not held up by the consequences of every part.
_mass_change: ContextVar[bool] = ContextVar("mass_change", default=False)


@contextmanager
def mass_change() -> Iterator[None]:
    """Changes made inside are mass changes, and so are their follow-ups, whenever the
    commit runs them."""
    token = _mass_change.set(True)
    try:
        yield
    finally:
        _mass_change.reset(token)


def in_mass_change() -> bool:
    return _mass_change.get()


def _follow_up(hook: Hook[Any], payload: Payload, *, mass: bool) -> None:
    if not mass:
        hook(payload)
        return
    with mass_change():
        hook(payload)
