"""DRF pagination for every sortable list: keyset pages (plumbing/keyset.py)."""

from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from plumbing.keyset import BadCursor, keyset_page


class KeysetPagination(BasePagination):
    """Views list their sortable fields in ``keyset_fields`` (first is the default unless
    ``keyset_default`` says otherwise). Answers carry a ``next`` link, never a count."""

    page_size = 50
    max_page_size = 500
    cursor_param = "cursor"
    ordering_param = "ordering"
    page_size_param = "page_size"

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list[Model]:
        self.request = request
        sortable: tuple[str, ...] = getattr(view, "keyset_fields", ("id",))
        ordering = request.query_params.get(
            self.ordering_param, getattr(view, "keyset_default", sortable[0])
        )
        if ordering.removeprefix("-") not in sortable:
            raise ValidationError(
                {self.ordering_param: [_("Sort by one of: %s.") % ", ".join(sortable)]}
            )
        try:
            page = keyset_page(
                queryset,
                ordering=ordering,
                cursor=request.query_params.get(self.cursor_param),
                size=self._page_size(request),
            )
        except BadCursor:
            raise ValidationError({self.cursor_param: [_("This cursor is not valid.")]}) from None
        self.next_cursor = page.next_cursor
        return page.rows

    def get_paginated_response(self, data: list[Any]) -> Response:
        return Response({"next": self.get_next_link(), "results": data})

    def get_next_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_param, self.next_cursor)

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_param)
        if raw is None:
            return self.page_size
        size = int(raw) if raw.isdigit() else 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_param: [_("Between 1 and %d.") % self.max_page_size]}
            )
        return size

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        sortable = getattr(view, "keyset_fields", ("id",))
        choices = [f"{sign}{field}" for field in sortable for sign in ("", "-")]
        return [
            {
                "name": self.cursor_param,
                "in": "query",
                "required": False,
                "description": "Opaque cursor from the previous page's `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.ordering_param,
                "in": "query",
                "required": False,
                "description": "Sort field; prefix '-' for descending. Unset values come last.",
                "schema": {"type": "string", "enum": choices},
            },
            {
                "name": self.page_size_param,
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
