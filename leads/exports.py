"""Leads out: the filtered list as CSV or JSON, and one lead's whole record as JSON.

Cells that a spreadsheet would run as formulas are neutralised; the list streams, so an
export of a million leads never sits in memory."""

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from leads.capture.import_values import neutralise
from leads.models import Lead

COLUMNS = [
    "id",
    "email",
    "external_id",
    "first_name",
    "last_name",
    "phone",
    "title",
    "company__name",
    "company__domain",
    "source",
    "campaign__name",
    "owner__username",
    "stage",
    "fit",
    "intent",
    "likelihood",
    "email_ok",
    "phone_ok",
    "deal_value",
    "closed_at",
    "created_at",
    "stage_changed_at",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(queryset: QuerySet[Lead]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([c.replace("__", "_") for c in COLUMNS])
    for row in queryset.order_by("pk").values_list(*COLUMNS).iterator(chunk_size=2000):
        yield writer.writerow([neutralise(value) for value in row])


def json_rows(queryset: QuerySet[Lead]) -> Iterator[str]:
    yield "["
    first = True
    for row in queryset.order_by("pk").values(*COLUMNS).iterator(chunk_size=2000):
        yield ("" if first else ",") + json.dumps(row, cls=DjangoJSONEncoder)
        first = False
    yield "]"


def lead_record(lead: Lead) -> dict[str, Any]:
    """Everything the core holds about one lead (other apps' data joins in issue 9's
    privacy export)."""
    record = Lead.objects.filter(pk=lead.pk).values(*COLUMNS, "attributes").get()
    record["history"] = list(
        lead.history.order_by("at").values(
            "from_stage", "to_stage", "actor__username", "reason", "at", "loaded"
        )
    )
    return record
