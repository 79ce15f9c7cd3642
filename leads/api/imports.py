"""Lead import through the API: upload a CSV with a column mapping, follow its progress,
download the rows that failed and why."""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from leads.api.permissions import WRITERS
from leads.capture import imports
from leads.capture.imports import error_report
from leads.models import ImportJob
from plumbing.api_fields import ModelSerializer
from plumbing.errors import InvalidInput

MAX_FILE_BYTES = 25 * 1024 * 1024


class ImportJobSerializer(ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "source",
            "file_name",
            "mapping",
            "status",
            "total",
            "done",
            "percent",
            "created",
            "updated",
            "failed",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = ImportJob.objects.defer("content", "errors")
    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser]
    keyset_fields = ("id",)
    keyset_default = "-id"
    default_roles = WRITERS

    @extend_schema(
        request=inline_serializer(
            "ImportUpload",
            {
                "file": serializers.FileField(),
                "mapping": serializers.CharField(help_text=_('JSON: {"CSV column": "lead field"}')),
            },
        ),
        responses={202: ImportJobSerializer},
    )
    def create(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        errors: dict[str, list[str]] = {}
        if upload is None:
            errors["file"] = [_("Attach a CSV file.")]
        elif upload.size > MAX_FILE_BYTES:
            errors["file"] = [_("The file is over 25 MB: split it.")]
        try:
            mapping = json.loads(request.data.get("mapping") or "{}")
            if not isinstance(mapping, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
            ):
                raise ValueError
        except ValueError:
            errors["mapping"] = [_('A JSON object: {"CSV column": "lead field"}.')]
            mapping = {}
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        try:
            job = imports.begin(
                content=upload.read(),
                file_name=upload.name,
                kind=request.data.get("kind") or ImportJob.Kind.LEADS,
                source=str(request.data.get("source") or ""),
                mapping=mapping,
                actor=request.user,
            )
        except InvalidInput as error:
            return Response(error.errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "text/csv"): str})
    @action(detail=True, methods=["get"], url_path="errors.csv")
    def errors_csv(self, request: Request, pk: str | None = None) -> HttpResponse:
        job = ImportJob.objects.only("pk", "errors", "file_name").get(pk=self.get_object().pk)
        response = HttpResponse(error_report(job), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
        return response
