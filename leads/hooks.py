"""The core's hook registry: how ``leads`` reaches higher apps without importing them.

Higher apps register in their ``AppConfig.ready``:

- **guards** may refuse a move (``scoring``/``handoff`` rules such as "only by accepting
  the handoff"). ``lifecycle.transition`` asks every guard registered for the move and
  refuses with the first reason given, so every path to a stage obeys the same rules.
- **consistency hooks** run inside the transaction of the change, so other apps' rows stay
  consistent with it (a merge re-points events and handoffs) or nothing is written at all.
- **follow-ups** run once after the transaction commits and never after a rollback; they
  start work (routing a new MQL). A periodic sweep in the owning app catches any that a
  crash between commit and follow-up left undone.

One explicit mechanism instead of Django signals, so the order and the transaction
boundary of each hook are plain to see.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from leads.models import Lead

logger = logging.getLogger(__name__)


class Event(StrEnum):
    # Payload: a sequence of StageChange rows (one for a single move, many for a bulk move).
    STAGE_CHANGED = "stage_changed"
    # Payload: the ids of leads whose details (fields, company, attributes) were edited.
    LEADS_EDITED = "leads_edited"
    # Payload: the ids of demo leads just loaded by seed_demo; apps add their own demo
    # data for them (events, handoffs) so that every page has something real to show.
    DEMO_LEADS_LOADED = "demo_leads_loaded"
    # Payload: the ids of synthetic benchmark leads just loaded with made-up scores; apps
    # bring their own rows in line, set-based (a million leads must load in minutes).
    SYNTHETIC_LEADS_LOADED = "synthetic_leads_loaded"
    # Payload: one Merge (primary and duplicate ids, and ``moved``, which each app fills
    # with the ids of the rows it re-pointed, by "app_label.model", so undo can return
    # them). Consistency hooks run inside the merge; follow-ups after it commits.
    LEADS_MERGED = "leads_merged"
    # Payload: the ids of leads whose merge was undone (follow-ups re-score them).
    MERGE_UNDONE = "merge_undone"
    # Payload: StageChange rows of history loaded from elsewhere (imports, demo). Not live
    # moves: only rollups listen, nothing is routed or alerted.
    HISTORY_LOADED = "history_loaded"


@dataclass(frozen=True)
class Move:
    """What a guard is asked about: ``actor`` is None for the system."""

    lead: Lead
    source: str
    target: str
    actor: AbstractBaseUser | None
    reason: str


Guard = Callable[[Move], str | None]  # a refusal reason, or None to allow
Hook = Callable[[Sequence[Any]], None]


class HookRegistry:
    def __init__(self) -> None:
        self._guards: dict[tuple[str, str], list[Guard]] = defaultdict(list)
        self._consistency: dict[Event, list[Hook]] = defaultdict(list)
        self._follow_ups: dict[Event, list[Hook]] = defaultdict(list)
        self._importers: dict[str, Any] = {}

    def add_guard(self, source: str, target: str, guard: Guard) -> None:
        self._guards[(source, target)].append(guard)

    def add_consistency_hook(self, event: Event, hook: Hook) -> None:
        self._consistency[event].append(hook)

    def add_follow_up(self, event: Event, hook: Hook) -> None:
        self._follow_ups[event].append(hook)

    def add_importer(self, kind: str, importer: Any) -> None:
        """A higher app's CSV importer (e.g. "events"), run by the core's import jobs. It
        has ``validate_mapping(mapping, headers)`` and ``import_rows(rows, mapping, *,
        actor, source, on_batch)`` like leads.imports."""
        self._importers[kind] = importer

    def importer(self, kind: str) -> Any:
        return self._importers.get(kind)

    def has_guards(self, source: str, target: str) -> bool:
        return bool(self._guards.get((source, target)))

    def refusal(self, move: Move) -> str | None:
        for guard in self._guards.get((move.source, move.target), ()):
            reason = guard(move)
            if reason:
                return reason
        return None

    def fire(self, event: Event, payload: Sequence[Any]) -> None:
        """Run the consistency hooks now and schedule the follow-ups for after commit.

        Must be called inside the transaction that made the change.
        """
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


def _follow_up(hook: Hook, payload: Sequence[Any], *, mass: bool) -> None:
    if not mass:
        hook(payload)
        return
    with mass_change():
        hook(payload)
