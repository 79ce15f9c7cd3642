"""Keyset pages on (sort value, id): the one implementation behind every sortable list.

Offsets and page numbers run COUNT(*) and slow down with depth; DRF's CursorPagination
keys on the first ordering field alone, so on a score with thousands of ties it skips and
repeats rows. Here each page continues strictly after the last row's (value, id) with a
row comparison that an index on (value, id) serves. NULL values (leads not scored yet)
sort last in both directions and are paged through by id.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Field, Model, QuerySet

from plumbing import sql
from plumbing.filter_fields import MAX_ID

MAX_CURSOR_LENGTH = 500


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None


def keyset_page(queryset: QuerySet, *, ordering: str, cursor: str | None, size: int) -> Page:
    """One page of ``queryset`` sorted by ``ordering`` ("field" or "-field"), then id.

    A model may sort a field by another path (``keyset_paths``: "fit" → "score__fit"): a
    column of a one-to-one row whose primary key is this row's id, indexed there.
    """
    descending = ordering.startswith("-")
    name = ordering.removeprefix("-")
    field = getattr(queryset.model, "keyset_paths", {}).get(name, name)
    target, model_field = _resolve(queryset.model, field)
    nullable = model_field.null and field != "id"
    sign = "-" if descending else ""
    after = decode_cursor(cursor) if cursor else None

    rows: list[Any] = []
    if after is None or not after["null"]:
        # Annotated first: the sort column's table is then joined for the row comparison.
        valued = queryset.annotate(keyset_value=F(field))
        if nullable:
            valued = valued.filter(**{f"{field}__isnull": False})
        if after is not None:
            value = _cursor_value(model_field, after["v"])
            valued = valued.filter(sql.rows_after(target, model_field, value, after["id"], sign))
        order = (f"{sign}{field}", f"{sign}id") if field != "id" else (f"{sign}id",)
        rows = list(valued.order_by(*order)[: size + 1])
    if nullable and len(rows) <= size:
        empty = queryset.filter(**{f"{field}__isnull": True})
        if after is not None and after["null"]:
            empty = empty.filter(**{"id__lt" if descending else "id__gt": after["id"]})
        rows += list(empty.order_by(f"{sign}id")[: size + 1 - len(rows)])

    if len(rows) <= size:
        return Page(rows=rows, next_cursor=None)
    rows = rows[:size]
    value = getattr(rows[-1], "keyset_value", None)  # None: the page ended in unsorted rows
    return Page(
        rows=rows,
        next_cursor=_encode({"v": _jsonable(value), "id": rows[-1].pk, "null": value is None}),
    )


def decode_cursor(raw: str) -> dict[str, Any]:
    if len(raw) > MAX_CURSOR_LENGTH:  # ours are ~60 characters; a long one may nest deep
        raise BadCursor(raw[:50])
    try:
        cursor = json.loads(base64.urlsafe_b64decode(raw.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadCursor(raw) from None
    if not isinstance(cursor, dict):
        raise BadCursor(raw)
    pk, value = cursor.get("id"), cursor.get("v")
    # A cursor comes back from the browser: anything but the scalars we wrote is tampering
    # (True is an int to Python; a list or an object has no place in a row comparison).
    if isinstance(pk, bool) or not isinstance(pk, int) or not -MAX_ID <= pk <= MAX_ID:
        raise BadCursor(raw)
    if value is not None and not isinstance(value, str | int | float):
        raise BadCursor(raw)
    cursor["null"] = bool(cursor.get("null"))
    return cursor


def _cursor_value(model_field: Field, value: Any) -> Any:
    try:
        return model_field.get_db_prep_value(model_field.to_python(value), connection)
    except (ValidationError, TypeError, ValueError, OverflowError):
        raise BadCursor(str(value)) from None


def _resolve(model: type[Model], path: str) -> tuple[type[Model], Field]:
    """The model that holds the path's last field, and that field."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model, model._meta.get_field(name)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _encode(cursor: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(cursor).encode()).decode()
