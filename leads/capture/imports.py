"""Importing leads from CSV: map columns, clean each row, keep the good ones, report the bad.

Rows are matched to existing leads by external id, then by email (case-insensitive), then
by phone (normalised), and updated rather than duplicated; a lead needs one of the three.
Company columns (name, domain, industry, country, size) find or create the lead's company
(``leads.capture.companies``), so that fit rules on ``company.*`` score it. Each batch is one
transaction, so a failure never leaves half a batch; new leads are created through the
lifecycle's bulk path (with their first history row, which scores them), updated ones are
announced as edited (which re-scores them), and an optional "converted" column is kept as
an attribute for learned scoring.

Row errors are stored as a code with parameters and the row's own values, and rendered in
the reader's language when shown (``error_text``).
"""

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leads import hooks, records
from leads.capture import companies
from leads.capture.import_values import (
    Outcome,
    RowError,
    clean_row,
    count_rows,
    error_text,
    headers_of,
    neutralise,
    read_rows,
    row_values,
    storable_text,
    validate_mapping,
)
from leads.lifecycle import create_leads
from leads.models import Campaign, ImportJob, Lead
from leads.records import leads_by_email
from leads.roles import Actor
from leads.system_texts import text
from plumbing.batching import batched
from plumbing.errors import Conflict, InvalidInput

BATCH = 2000
MAX_REPORTED_ERRORS = 10_000


def import_rows(
    rows: Iterable[dict[str, str]],
    mapping: dict[str, str],
    *,
    actor: Actor,
    on_batch: Callable[[int, Outcome], None] | None = None,
) -> Outcome:
    campaigns = {}
    for pk, name, code in Campaign.objects.values_list("pk", "name", "utm_campaign"):
        campaigns[name.lower()] = pk
        if code:
            campaigns[code.lower()] = pk
    outcome = Outcome()
    seen = 0
    for chunk in batched(enumerate(rows, start=1), BATCH):
        good: dict[str, tuple[dict[str, Any], companies.CompanyFacts]] = {}
        for number, raw in chunk:
            values, company, errors = clean_row(raw, mapping, campaigns=campaigns)
            if errors:
                outcome.failed += 1
                shown = row_values(raw)  # the row's own values, once for all its errors
                for column, code, params in errors:
                    if len(outcome.errors) < MAX_REPORTED_ERRORS:
                        error = RowError(
                            row=number, column=storable_text(column), code=code, params=params
                        )
                        error["values"] = shown
                        outcome.errors.append(error)
                continue
            good[_identity(values)] = (values, company)  # a later row for one lead wins
        created, updated = _save(list(good.values()), actor=actor)
        outcome.created += created
        outcome.updated += updated
        seen += len(chunk)
        if on_batch:
            on_batch(seen, outcome)
    return outcome


def _identity(values: dict[str, Any]) -> str:
    if values.get("external_id"):
        return "id:" + values["external_id"]
    if values.get("email"):
        return "email:" + values["email"]
    return "phone:" + values["phone_key"]


@transaction.atomic
def _save(
    rows: list[tuple[dict[str, Any], companies.CompanyFacts]], *, actor: Actor
) -> tuple[int, int]:
    found, changed_companies = companies.resolve([company for _values, company in rows])
    for (values, _company), company in zip(rows, found, strict=True):
        if company is not None:
            values["company_id"] = company.pk
    existing, taken_emails = _existing_leads([values for values, _company in rows])
    new: list[dict[str, Any]] = []
    # Lead id → the lead and what its rows change (several rows may match one lead: each
    # is compared with the lead as the rows before it left it). Only changes are written.
    pending: dict[int, tuple[Lead, dict[str, Any]]] = {}
    matched = 0
    for values, _company in rows:
        lead = existing.get(_identity(values))
        if lead is None:
            new.append(values)
            continue
        matched += 1
        _lead, edits = pending.setdefault(lead.pk, (lead, {}))
        edits |= _edits(lead, values, taken_emails=taken_emails, earlier=edits)
    changed = [(lead, edits) for lead, edits in pending.values() if edits]
    if new:
        create_leads(new, actor=actor, reason=text("lead.imported"))
    records.save_leads_changes(changed)  # a new campaign or source re-keys the rollups
    # Re-score what this batch changed: the leads updated, and the other leads of
    # companies whose industry, country or size it changed (new leads score on creation).
    rescore = {lead.pk for lead, _changes in changed}
    if changed_companies:
        rescore |= set(
            Lead.objects.filter(company_id__in=changed_companies, merged_into__isnull=True)
            .exclude(pk__in=rescore)
            .values_list("pk", flat=True)
        )
    for ids in batched(sorted(rescore), BATCH):  # one scoring task per batch of leads
        hooks.registry.fire(hooks.LeadsEdited(list(ids)))
    return len(new), matched


def _edits(
    lead: Lead, values: dict[str, Any], *, taken_emails: set[str], earlier: dict[str, Any]
) -> dict[str, Any]:
    """What a row changes on a lead it matched, after the ``earlier`` rows' changes
    (nothing, for a row imported again as is)."""

    def current(name: str) -> Any:
        return earlier[name] if name in earlier else getattr(lead, name)

    edits: dict[str, Any] = {}
    for name, value in values.items():
        if name == "email" and (current("email") or value in taken_emails):
            continue  # keep the lead's own email (matched perhaps as a +tag variant),
            # and never take another lead's
        if name == "attributes":
            value = {**(current("attributes") or {}), **value}
        if current(name) != value:
            edits[name] = value
    return edits


def _existing_leads(rows: list[dict[str, Any]]) -> tuple[dict[str, Lead], set[str]]:
    """Each row's lead if we have it (by its identity key): by external id, then by email,
    then by phone, and the rows' emails some lead already has. A duplicate merged into
    another lead resolves to that lead."""
    externals = {values["external_id"] for values in rows if values.get("external_id")}
    emails = [values["email"] for values in rows if values.get("email")]
    phones = {values["phone_key"] for values in rows if values.get("phone_key")}
    by_external = {
        lead.external_id: lead for lead in Lead.objects.filter(external_id__in=externals)
    }
    by_email = leads_by_email(emails)
    by_phone: dict[str, int] = {}
    if phones:
        resolved = Coalesce("merged_into_id", "pk")
        pairs = Lead.objects.filter(phone_key__in=phones).order_by("pk")
        for key, pk in pairs.values_list("phone_key", resolved):
            by_phone.setdefault(key, pk)  # the oldest lead wins
    loaded = Lead.objects.in_bulk(set(by_email.values()) | set(by_phone.values()))
    found: dict[str, Lead] = {}
    for values in rows:
        lead = by_external.get(values.get("external_id") or "")
        if lead is None and values.get("email"):
            lead = loaded.get(by_email.get(values["email"], 0))
        if lead is None and values.get("phone_key"):
            lead = loaded.get(by_phone.get(values["phone_key"], 0))
        if lead is not None:
            found[_identity(values)] = lead
    return found, set(by_email)


def begin(
    *, content: bytes, file_name: str, kind: str, source: str, mapping: dict[str, str], actor: Actor
) -> ImportJob:
    """Store an upload whose mapping is known and import it in the background (the API)."""
    _check(kind, mapping, content)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind, source=source[:100], file_name=file_name[:255], content=content,
            mapping=mapping, created_by=actor,
        )  # fmt: skip
        _run_after_commit(job)
    return job


def upload(*, content: bytes, file_name: str, kind: str, source: str, actor: Actor) -> ImportJob:
    """The pages' first step: keep the file until its columns are mapped."""
    if kind not in ImportJob.Kind.values:
        raise InvalidInput({"kind": [_("Leads or events.")]})
    if not headers_of(content):
        raise InvalidInput({"file": [_("The file is empty: the first row names the columns.")]})
    return ImportJob.objects.create(
        kind=kind, source=source[:100], file_name=file_name[:255], content=content,
        status=ImportJob.Status.MAPPING, created_by=actor,
    )  # fmt: skip


def start(job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """The pages' second step: the mapping is checked, then the import runs."""
    _check(job.kind, mapping, bytes(job.content))
    with transaction.atomic():
        started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.MAPPING).update(
            mapping=mapping, status=ImportJob.Status.PENDING
        )
        if not started:
            raise Conflict(_("This import has already started."))
        _run_after_commit(job)
    job.refresh_from_db()
    return job


def _check(kind: str, mapping: dict[str, str], content: bytes) -> None:
    if kind not in ImportJob.Kind.values:
        raise InvalidInput({"kind": [_("Leads or events.")]})
    validator = validate_mapping if kind == ImportJob.Kind.LEADS else (
        hooks.registry.importer(kind).validate_mapping)  # fmt: skip
    errors = validator(mapping, headers_of(content))
    if errors:
        raise InvalidInput(errors)


def _run_after_commit(job: ImportJob) -> None:
    from leads.tasks import run_import

    transaction.on_commit(lambda: run_import.delay(job.pk))


def run_job(job_id: int) -> ImportJob:
    """Import a stored file, writing progress after each batch (the Celery task calls this)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING
    )
    job = ImportJob.objects.get(pk=job_id)
    if not claimed:
        return job
    content = bytes(job.content)
    try:
        ImportJob.objects.filter(pk=job.pk).update(total=count_rows(content))

        def progress(seen: int, outcome: Outcome) -> None:
            ImportJob.objects.filter(pk=job.pk).update(
                done=seen, created=outcome.created, updated=outcome.updated, failed=outcome.failed
            )

        if job.kind == ImportJob.Kind.LEADS:
            outcome = import_rows(
                read_rows(content), job.mapping, actor=job.created_by, on_batch=progress
            )
        else:
            # Its row errors are texts: written in English, read through the catalogue.
            with translation.override("en"):
                outcome = hooks.registry.importer(job.kind).import_rows(
                    read_rows(content),
                    job.mapping,
                    actor=job.created_by,
                    source=job.source,
                    on_batch=progress,
                )
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE,
            errors=outcome.errors,
            created=outcome.created,
            updated=outcome.updated,
            failed=outcome.failed,
            finished_at=timezone.now(),
        )
    except Exception as error:  # an unreadable file: the job says why
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def error_report(job: ImportJob) -> str:
    """The rows that were not imported, why (in the active language), and each row's own
    values, as CSV: fix them there and import the report's rows again."""
    columns: dict[str, None] = {}  # the file's columns, in its order
    for error in job.errors:
        columns.update(dict.fromkeys(column for column, _value in error.get("values") or []))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("row"), _("column"), _("error"), *map(neutralise, columns)])
    for error in job.errors:
        values = dict(error.get("values") or [])
        writer.writerow(
            [error["row"], neutralise(error["column"]), neutralise(error_text(error)),
             *(neutralise(values.get(column, "")) for column in columns)]
        )  # fmt: skip
    return out.getvalue()
