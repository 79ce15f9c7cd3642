"""The project package's one statement (the apps keep theirs in ``leads.sql`` and
``scoring.sql``; tests/test_architecture_sql.py holds every module to it)."""

from django.db import connection


def ping() -> None:
    """A round trip to the database; raises when it does not answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
