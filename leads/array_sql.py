"""Set-based statements that take one array per column (``unnest(%s::bigint[], …)``).

Django's psycopg cursors bind parameters on the client, quoting every array element into
the SQL text; for a 5,000-row batch that costs more than the statement itself. These run
on the same connection (so inside the caller's transaction) with server-side binding.
"""

from collections.abc import Sequence
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
