"""SQL helpers every app's SQL module uses: which database runs, array and JSON parameter
binding, column names from ``_meta`` and the keyset comparison for paging.

The app runs on SQLite under ``make run`` and on PostgreSQL in production and tests. An
operation with a set-based PostgreSQL path asks ``on_postgresql`` once and takes either its
statement or its ORM path; nothing outside the apps' SQL modules compares
``connection.vendor`` (tests/test_architecture_sql.py holds every app to it).

Statements that take one array per column (``unnest(%s::bigint[], …)``) run through
``execute_arrays``: Django's psycopg cursors bind parameters on the client, quoting every
array element into the SQL text; for a 5,000-row batch that costs more than the statement
itself. ``execute_arrays`` runs on the same connection (so inside the caller's
transaction) with server-side binding.

Arrays suit whole numbers. For text, times and JSON, psycopg dumps each array element in
Python (~5 µs each: 8 ms for 500 events' five columns), so those statements take their
rows as one JSON document instead, ``json_to_recordset(%s::json) AS v(col type, …)``,
built by ``json_rows`` in one C-speed ``json.dumps`` (2 ms for the same batch).
"""

import json
from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from django.db import connection
from django.db.models import BooleanField, Field, Model
from django.db.models.expressions import RawSQL


def on_postgresql() -> bool:
    """Whether this database runs the set-based statements (PostgreSQL); on SQLite each
    operation takes its ORM path."""
    return connection.vendor == "postgresql"


def execute_arrays(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` (PostgreSQL only); returns its rows when it has any (RETURNING)."""
    connection.ensure_connection()
    # Django's connections default to client-side binding cursors: ask for the plain one.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall() if cursor.description else []


def execute(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run ``sql`` on Django's cursor (either database); returns its rows, if any."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def json_rows(rows: Iterable[dict[str, Any]]) -> str:
    """Rows for ``json_to_recordset``. Anything JSON has no type for goes as its text:
    ``str()`` of a datetime is a time PostgreSQL reads."""
    return json.dumps(list(rows), default=str)


def column(model: type[Model], name: str) -> str:
    """A field's column, as the database names it."""
    return model._meta.get_field(name).column


# --- Keyset pages (plumbing.keyset) ------------------------------------------------------------


def rows_after(model: type[Model], field: Field, value: Any, last_id: int, sign: str) -> RawSQL:
    """Rows strictly after (value, last_id) in the page's direction, as one row comparison
    on the table that holds the sort column (its (value, key) index serves it). Either
    database: both compare rows."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key = f"{table}.{quote(model._meta.pk.column)}"
    op = "<" if sign else ">"
    if field.primary_key:
        return RawSQL(f"{key} {op} %s", (last_id,), output_field=BooleanField())
    return RawSQL(
        f"({table}.{quote(field.column)}, {key}) {op} (%s, %s)",
        (value, last_id),
        output_field=BooleanField(),
    )
