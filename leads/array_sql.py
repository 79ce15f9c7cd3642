"""Set-based statements that take one array per column (``unnest(%s::bigint[], …)``).

Django's psycopg cursors bind parameters on the client, quoting every array element into
the SQL text; for a 5,000-row batch that costs more than the statement itself. These run
on the same connection (so inside the caller's transaction) with server-side binding.

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


def execute(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` (PostgreSQL only); returns its rows when it has any (RETURNING)."""
    connection.ensure_connection()
    # Django's connections default to client-side binding cursors: ask for the plain one.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall() if cursor.description else []


def json_rows(rows: Iterable[dict[str, Any]]) -> str:
    """Rows for ``json_to_recordset``. Anything JSON has no type for goes as its text:
    ``str()`` of a datetime is a time PostgreSQL reads."""
    return json.dumps(list(rows), default=str)
