"""Trigram indexes for the lead search box (name, email, company: "contains", any case).

Django's icontains on PostgreSQL compares UPPER(column::text) LIKE UPPER('%term%'); these
GIN indexes on exactly that expression let it answer without scanning every lead.
PostgreSQL only: SQLite (the embedded default) scans, which is fine at its sizes.
"""

from django.db import migrations

INDEXES = [
    ("lead_email_trgm", "leads_lead", "email"),
    ("lead_first_name_trgm", "leads_lead", "first_name"),
    ("lead_last_name_trgm", "leads_lead", "last_name"),
    ("company_name_trgm", "leads_company", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin '
            f'((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("leads", "0003_roles")]

    operations = [migrations.RunPython(create, drop)]
