"""Capture pages: CSV import in two steps (upload, then map the columns) with a progress
bar and the per-row error report, and the duplicate review. They call the same domain
functions as the API (``leads.capture.imports``, ``leads.capture.merges``)."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leads import hooks
from leads.capture import import_values, imports, merges
from leads.decorators import role_required
from leads.models import ImportJob, Lead, MergeRecord
from leads.roles import Role
from plumbing.errors import DomainError, InvalidInput

MAX_FILE_BYTES = 25 * 1024 * 1024
PREVIEW_ROWS = 3
FIRST_ERRORS = 20  # shown on the page; the report has them all


@role_required(Role.MARKETER, Role.ADMIN)
def import_upload(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors["file"] = [_("Choose a CSV file.")]
        elif upload.size > MAX_FILE_BYTES:
            errors["file"] = [_("The file is over 25 MB: split it.")]
        else:
            try:
                job = imports.upload(
                    content=upload.read(),
                    file_name=upload.name,
                    kind=request.POST.get("kind", ImportJob.Kind.LEADS),
                    source=request.POST.get("source", ""),
                    actor=request.user,
                )
                return redirect("import-map", pk=job.pk)
            except InvalidInput as error:
                errors = error.errors
    return render(
        request,
        "leads/capture/upload.html",
        {
            "errors": errors,
            "kinds": ImportJob.Kind.choices,
            "jobs": ImportJob.objects.defer("content", "errors").exclude(
                status=ImportJob.Status.MAPPING
            )[:20],
        },
        status=400 if errors else 200,
    )


def _targets(kind: str) -> list[tuple[str, str]]:
    """(value, label) of what a column can fill, in the order people look for them."""
    if kind == ImportJob.Kind.LEADS:
        return [(name, str(label)) for name, label in import_values.TARGETS.items()]
    fields = hooks.registry.importer(kind).FIELDS
    return [(name, name.replace("_", " ")) for name in sorted(fields)]


@role_required(Role.MARKETER, Role.ADMIN)
def import_map(request: HttpRequest, pk: int) -> HttpResponse:
    """Map each column to a field, keep it as an extra attribute, or skip it."""
    job = get_object_or_404(ImportJob, pk=pk)
    if job.status != ImportJob.Status.MAPPING:
        return redirect("import-job", pk=job.pk)
    content = bytes(job.content)
    headers = import_values.headers_of(content)
    extra = "attributes." if job.kind == ImportJob.Kind.LEADS else "properties."
    errors: dict[str, list[str]] = {}
    chosen = import_values.suggest_mapping(headers) if job.kind == ImportJob.Kind.LEADS else {
        h: h.lower() for h in headers if h.lower() in hooks.registry.importer(job.kind).FIELDS
    }  # fmt: skip
    if request.method == "POST":
        chosen = {}
        for index, header in enumerate(headers):
            target = request.POST.get(f"column-{index}", "")
            if target == "extra":
                slug = "".join(ch if ch.isalnum() else "_" for ch in header.lower()).strip("_")
                chosen[header] = extra + (slug or f"column_{index}")
            elif target:
                chosen[header] = target
        try:
            imports.start(job, chosen)
            messages.success(request, _("Importing %(file)s.") % {"file": job.file_name})
            return redirect("import-job", pk=job.pk)
        except InvalidInput as error:
            errors = error.errors
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("import-job", pk=job.pk)
    sample = [
        row for _, row in zip(range(PREVIEW_ROWS), import_values.read_rows(content), strict=False)
    ]
    columns = [
        {
            "index": index,
            "header": header,
            "chosen": "extra" if chosen.get(header, "").startswith(extra) else chosen.get(header),
            "examples": [row.get(header, "") for row in sample],
        }
        for index, header in enumerate(headers)
    ]
    return render(
        request,
        "leads/capture/map.html",
        {"job": job, "columns": columns, "targets": _targets(job.kind), "errors": errors},
        status=400 if errors else 200,
    )


@role_required(Role.MARKETER, Role.ADMIN)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=pk)
    template = "leads/capture/_import_progress.html" if request.htmx else "leads/capture/job.html"
    first_errors = [
        {
            **error,
            "text": import_values.error_text(error),
            "cells": [value for _column, value in error.get("values") or []],
        }
        for error in job.errors[:FIRST_ERRORS]
    ]
    return render(request, template, {"job": job, "first_errors": first_errors})


@role_required(Role.MARKETER, Role.ADMIN)
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.only("pk", "errors", "file_name"), pk=pk)
    response = HttpResponse(imports.error_report(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


@role_required(Role.MARKETER, Role.ADMIN)
def duplicates(request: HttpRequest) -> HttpResponse:
    """Groups of leads that look like one person, side by side, and recent merges."""
    groups = merges.possible_duplicates(limit=50)
    by_id = Lead.objects.select_related("company", "owner").in_bulk(
        [pk for group in groups for pk in group]
    )
    return render(
        request,
        "leads/capture/duplicates.html",
        {
            "groups": [[by_id[pk] for pk in group if pk in by_id] for group in groups],
            "recent": MergeRecord.objects.select_related("primary", "duplicate", "actor")
            .filter(Q(undone_at__isnull=True))
            .order_by("-pk")[:20],
        },
    )


@require_POST
@role_required(Role.MARKETER, Role.ADMIN)
def merge(request: HttpRequest) -> HttpResponse:
    primary = get_object_or_404(Lead, pk=request.POST.get("primary") or 0)
    duplicate = get_object_or_404(Lead, pk=request.POST.get("duplicate") or 0)
    try:
        merges.merge(primary, duplicate, actor=request.user)
        messages.success(request, _("%(dup)s merged into %(primary)s.") % {
            "dup": duplicate.email, "primary": primary.email})  # fmt: skip
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("duplicates")


@require_POST
@role_required(Role.MARKETER, Role.ADMIN)
def undo_merge(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(MergeRecord, pk=pk)
    try:
        merges.undo(record, actor=request.user)
        messages.success(request, _("Merge undone: both leads are back as they were."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("duplicates")
