"""Importing behaviour events from CSV through the same ingestion path as the API: each
row is an event; bad rows are reported, repeats (same id) stored once."""

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

from leads.capture.import_values import Outcome, RowError, row_values
from leads.roles import Actor
from plumbing.batching import batched
from scoring.ingest import MAX_BATCH, ingest
from scoring.models import SourceKind

FIELDS = {"type", "id", "email", "lead_id", "lead_external_id", "occurred_at"}
LEAD_KEYS = {"email", "lead_id", "lead_external_id"}


def validate_mapping(mapping: dict[str, str], headers: Iterable[str]) -> dict[str, list[str]]:
    errors: list[str] = []
    headers = set(headers)
    for column, target in mapping.items():
        if column not in headers:
            errors.append(_("No column “%s” in the file.") % column)
        if target not in FIELDS and not (target.startswith("properties.") and len(target) > 11):
            errors.append(_("“%s” is not an event field.") % target)
    if "type" not in mapping.values():
        errors.append(_("Map one column to type."))
    if not LEAD_KEYS & set(mapping.values()):
        errors.append(_("Map a column to email, lead_id or lead_external_id."))
    return {"mapping": errors} if errors else {}


def to_event(raw: dict[str, str], mapping: dict[str, str]) -> dict[str, Any]:
    event: dict[str, Any] = {"properties": {}}
    for column, target in mapping.items():
        value = (raw.get(column) or "").strip()
        if not value:
            continue
        if target.startswith("properties."):
            event["properties"][target[11:]] = value
        elif target == "lead_id":
            event["lead_id"] = int(value) if value.isdigit() else value
        else:
            event[target] = value
    return event


def import_rows(
    rows: Iterable[dict[str, str]],
    mapping: dict[str, str],
    *,
    actor: Actor,
    source: str,
    on_batch: Callable[[int, Outcome], None] | None = None,
) -> Outcome:
    outcome = Outcome()
    seen = 0
    columns = {target: column for column, target in mapping.items()}
    for chunk in batched(enumerate(rows, start=1), MAX_BATCH):
        results = ingest(
            [to_event(raw, mapping) for _n, raw in chunk],
            source=source or "import",
            source_kind=SourceKind.FIRST_PARTY,
            actor=actor,
        )
        for (number, raw), result in zip(chunk, results, strict=True):
            if result["status"] == "created":
                outcome.created += 1
            elif result["status"] == "duplicate":
                outcome.updated += 1  # already stored: a repeat changes nothing
            else:
                outcome.failed += 1
                for field, messages in result.get("errors", {}).items():
                    outcome.errors.append(
                        RowError(
                            row=number,
                            column=columns.get(field, field),
                            error=" ".join(messages),
                            values=row_values(raw),
                        )
                    )
        seen += len(chunk)
        if on_batch:
            on_batch(seen, outcome)
    return outcome
