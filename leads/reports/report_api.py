"""What every report endpoint shares: the period and filters from the query, the roles that
may read numbers, and a CSV rendering of any table (`?as=csv`)."""

import csv
import io
from datetime import datetime, timedelta
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from leads.access import team_members
from leads.capture.import_values import neutralise
from leads.reports.metrics import Filters
from leads.roles import Role
from plumbing.filter_fields import ID_SCHEMA, MAX_ID
from plumbing.moments import MOMENT_SCHEMA, read_moment
from plumbing.query_choices import one_of

READERS = frozenset({Role.MARKETER, Role.MANAGER, Role.ADMIN})
PARAMETERS = [
    OpenApiParameter(
        "start", MOMENT_SCHEMA, description="ISO date or date-time (default: 30 days ago)"
    ),
    OpenApiParameter(
        "end", MOMENT_SCHEMA, description="exclusive; ISO date or date-time (default: now)"
    ),
    OpenApiParameter("campaign", ID_SCHEMA),
    OpenApiParameter("channel", str),
    OpenApiParameter("source", str),
    OpenApiParameter("owner", ID_SCHEMA),
    OpenApiParameter("as", str, enum=["json", "csv"]),
]


def moment(raw: str | None, name: str, default: datetime) -> datetime:
    if not raw:
        return default
    value = read_moment(raw, default_zone=timezone.get_current_timezone())
    if value is None:
        raise ValidationError(
            {name: [_("Use an ISO date or date and time between 1900 and 2100.")]}
        )
    return value


def flatten(data: Any) -> list[dict[str, Any]]:
    """Any report as table rows, nested values as "outer.inner" columns."""
    if isinstance(data, list):
        return [_flat(row) for row in data]
    if isinstance(data, dict) and data and all(isinstance(v, dict) for v in data.values()):
        return [{"key": key, **_flat(value)} for key, value in data.items()]
    return [_flat(data)]


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(value, dict):
        return {prefix.rstrip("."): value}
    out: dict[str, Any] = {}
    for key, inner in value.items():
        if isinstance(inner, dict):
            out |= _flat(inner, f"{prefix}{key}.")
        elif isinstance(inner, list):
            out[f"{prefix}{key}"] = len(inner)
        else:
            out[f"{prefix}{key}"] = inner
    return out


class ReportView(APIView):
    """Subclasses implement ``report(request, start, end, filters)``."""

    default_roles = READERS
    name = "report"

    def report(self, request: Request, start: datetime, end: datetime, filters: Filters) -> Any:
        raise NotImplementedError

    @extend_schema(
        parameters=PARAMETERS,
        responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "text/csv"): str},
    )
    def get(self, request: Request) -> Response | HttpResponse:
        params = request.query_params
        end = moment(params.get("end"), "end", timezone.now())
        start = moment(params.get("start"), "start", end - timedelta(days=30))
        if start >= end:
            raise ValidationError({"start": [_("The period starts before it ends.")]})
        filters = Filters(
            campaign=_int(params.get("campaign"), "campaign"),
            channel=params.get("channel"),
            source=params.get("source"),
            owner=_int(params.get("owner"), "owner"),
        )
        if filters.owner is not None and not _may_read_owner(request.user, filters.owner):
            raise PermissionDenied(_("You can read the figures of people in your teams only."))
        data = self.report(request, start, end, filters)
        if one_of(params, "as", ("json", "csv")) == "csv":
            return csv_response(flatten(data), f"{self.name}.csv")
        return Response({"start": start, "end": end, "data": data})


def _may_read_owner(user: Any, owner_id: int) -> bool:
    """Marketers and admins read anyone's figures; a manager those of his teams' people."""
    people = team_members(user)
    return people is None or people.filter(pk=owner_id).exists()


def _int(raw: str | None, name: str) -> int | None:
    if raw in (None, ""):
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_ID:
        raise ValidationError({name: [_("A whole number.")]})
    return int(raw)


def csv_response(rows: list[dict[str, Any]], filename: str) -> HttpResponse:
    out = io.StringIO()
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "n/a" if v is None else neutralise(v) for k, v in row.items()})
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
