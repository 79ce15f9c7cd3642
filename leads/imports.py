"""Importing leads from CSV: map columns, clean each row, keep the good ones, report the bad.

Rows are matched to existing leads by external id, then by email (case-insensitive), and
updated rather than duplicated; companies are matched by domain. Each batch is one
transaction, so a failure never leaves half a batch; new leads are created through the
lifecycle's bulk path (with their first history row), and an optional "converted" column
is kept as an attribute for learned scoring.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leads import hooks, rollups
from leads.batching import batched
from leads.errors import Conflict, InvalidInput
from leads.lifecycle import create_leads
from leads.models import Campaign, Company, ImportJob, Lead
from leads.records import leads_by_email, normalize_email
from leads.system_texts import text

# Lead fields a column can fill; "attributes.<name>" keeps any other column.
FIELDS = {"email", "external_id", "first_name", "last_name", "phone", "title", "source",
          "email_ok", "phone_ok", "company", "company_domain", "campaign", "converted"}  # fmt: skip
# What people type when they mean "nothing" (web forms' "Select…" included).
PLACEHOLDERS = {"", "-", "--", "n/a", "na", "none", "null", "select", "select...", "select…",
                "please select", "unknown"}  # fmt: skip
TRUE = {"true", "yes", "y", "1", "si", "sí", "x"}
FALSE = {"false", "no", "n", "0"}
MAX_LENGTHS = {"external_id": 100, "first_name": 100, "last_name": 100, "phone": 40,
               "title": 150, "source": 100, "company": 200}  # fmt: skip
BATCH = 2000
MAX_REPORTED_ERRORS = 10_000


class RowError(TypedDict):
    row: int  # 1-based line of the data (the header is row 0)
    column: str
    error: str


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    failed: int = 0
    errors: list[RowError] = field(default_factory=list)


def read_rows(content: bytes) -> Iterator[dict[str, str]]:
    # utf-8-sig drops the byte-order mark spreadsheets put first; undecodable bytes become
    # "\ufffd" rather than stopping the import.
    text = io.StringIO(content.decode("utf-8-sig", errors="replace"), newline="")
    yield from csv.DictReader(text)


def headers_of(content: bytes) -> list[str]:
    first = content.decode("utf-8-sig", errors="replace").splitlines()[:1]
    return next(csv.reader(first), []) if first else []


def count_rows(content: bytes) -> int:
    return sum(1 for _ in read_rows(content))


def validate_mapping(mapping: dict[str, str], headers: Iterable[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    headers = set(headers)
    for column, target in mapping.items():
        if column not in headers:
            errors.setdefault("mapping", []).append(_("No column “%s” in the file.") % column)
        if target not in FIELDS and not (target.startswith("attributes.") and len(target) > 11):
            errors.setdefault("mapping", []).append(_("“%s” is not a lead field.") % target)
    if "email" not in mapping.values():
        errors.setdefault("mapping", []).append(_("Map one column to email."))
    return errors


def clean_row(
    raw: dict[str, str], mapping: dict[str, str], *, campaigns: dict[str, int]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The lead fields a row gives, and the (column, error) pairs it fails on."""
    values: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for column, target in mapping.items():
        text = (raw.get(column) or "").strip()
        if text.lower() in PLACEHOLDERS:
            continue
        if target.startswith("attributes."):
            if len(text) > 1000:
                errors.append((column, _("Too long (at most %d characters).") % 1000))
            else:
                attributes[target[11:]] = text
        elif target in ("email_ok", "phone_ok", "converted"):
            flag = text.lower()
            if flag not in TRUE | FALSE:
                errors.append((column, _("Use yes or no.")))
            elif target == "converted":
                attributes["converted"] = flag in TRUE
            else:
                values[target] = flag in TRUE
        elif target == "email":
            try:
                if len(text) > 254:  # longer than any deliverable address
                    raise ValidationError(_("Not a valid email address."))
                validate_email(text)
                values["email"] = normalize_email(text)
            except ValidationError:
                errors.append((column, _("Not a valid email address.")))
        elif target == "campaign":
            campaign = campaigns.get(text.lower())
            if campaign is None:
                errors.append((column, _("No campaign with this name or UTM code.")))
            else:
                values["campaign_id"] = campaign
        elif target == "company_domain":
            values["company_domain"] = text.lower().removeprefix("www.")
        else:
            if len(text) > MAX_LENGTHS.get(target, 200):
                errors.append(
                    (column, _("Too long (at most %d characters).") % MAX_LENGTHS[target])
                )
            else:
                values[target] = text
    if "email" not in values and not any(col for col, _e in errors if mapping.get(col) == "email"):
        errors.append((_first(mapping, "email"), _("An email is required.")))
    if attributes:
        values["attributes"] = attributes
    return values, errors


def _first(mapping: dict[str, str], target: str) -> str:
    return next((column for column, t in mapping.items() if t == target), target)


def import_rows(
    rows: Iterable[dict[str, str]],
    mapping: dict[str, str],
    *,
    actor: Any,
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
        good: dict[str, tuple[int, dict[str, Any]]] = {}
        for number, raw in chunk:
            values, errors = clean_row(raw, mapping, campaigns=campaigns)
            if errors:
                outcome.failed += 1
                for column, message in errors:
                    if len(outcome.errors) < MAX_REPORTED_ERRORS:
                        outcome.errors.append(RowError(row=number, column=column, error=message))
                continue
            good[values["email"]] = (number, values)  # a later row for one email wins
        created, updated = _save(list(good.values()), actor=actor)
        outcome.created += created
        outcome.updated += updated
        seen += len(chunk)
        if on_batch:
            on_batch(seen, outcome)
    return outcome


@transaction.atomic
def _save(rows: list[tuple[int, dict[str, Any]]], *, actor: Any) -> tuple[int, int]:
    # A lead's company: the domain column, else its email's domain. Rows that name a
    # company (by domain or name) create it when missing; others only join existing ones.
    named: dict[str, str | None] = {}
    for _number, values in rows:
        domain, name = values.pop("company_domain", None), values.pop("company", None)
        values["_domain"] = domain or values["email"].rsplit("@", 1)[-1]
        if domain or name:
            named.setdefault(values["_domain"], name)
    companies = _companies(named, {values["_domain"] for _n, values in rows})
    for _number, values in rows:
        company = companies.get(values.pop("_domain"))
        if company is not None:
            values["company_id"] = company.pk

    emails = [values["email"] for _n, values in rows]
    externals = [values["external_id"] for _n, values in rows if values.get("external_id")]
    by_email = leads_by_email(emails)
    found = Lead.objects.in_bulk(set(by_email.values()))
    existing = {email: found[pk] for email, pk in by_email.items()}
    by_external = {
        lead.external_id: lead for lead in Lead.objects.filter(external_id__in=externals)
    }
    new, changed = [], []
    for _number, values in rows:
        lead = by_external.get(values.get("external_id")) or existing.get(values["email"])
        if lead is None:
            new.append(values)
            continue
        for name, value in values.items():
            if name == "email":
                continue  # matched, perhaps as a +tag variant: keep the lead's own email
            if name == "attributes":
                lead.attributes = {**(lead.attributes or {}), **value}
            else:
                setattr(lead, name, value)
        changed.append(lead)
    if new:
        create_leads(new, actor=actor, reason=text("lead.imported"))
    if changed:
        fields = sorted({name for _n, values in rows for name in values} - {"email"})
        now = timezone.now()
        for lead in changed:
            lead.updated_at = now
        with rollups.rekeyed(lead.pk for lead in changed):  # a new campaign or source
            Lead.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=500)
    return len(new), len(changed)


def _companies(named: dict[str, str | None], domains: set[str]) -> dict[str, Company]:
    """Companies by domain: the existing ones, plus new ones for the domains rows named."""
    found = {c.domain: c for c in Company.objects.filter(domain__in=domains | named.keys())}
    missing = [Company(domain=d, name=n or d) for d, n in named.items() if d not in found]
    if missing:
        Company.objects.bulk_create(missing, ignore_conflicts=True)
        found |= {
            c.domain: c for c in Company.objects.filter(domain__in=[c.domain for c in missing])
        }
    return found


# What people call the lead fields in their spreadsheets (compared lower-case, without
# spaces, dashes or underscores), English and Spanish.
SYNONYMS = {
    "email": "email", "emailaddress": "email", "correo": "email", "correoelectronico": "email",
    "externalid": "external_id", "id": "external_id", "firstname": "first_name",
    "nombre": "first_name", "lastname": "last_name", "surname": "last_name",
    "apellido": "last_name", "apellidos": "last_name", "phone": "phone", "telefono": "phone",
    "teléfono": "phone", "title": "title", "jobtitle": "title", "cargo": "title",
    "puesto": "title", "source": "source", "origen": "source", "fuente": "source",
    "company": "company", "companyname": "company", "empresa": "company",
    "domain": "company_domain", "companydomain": "company_domain", "dominio": "company_domain",
    "website": "company_domain", "campaign": "campaign", "campana": "campaign",
    "campaña": "campaign", "converted": "converted", "convertido": "converted",
}  # fmt: skip


def suggest_mapping(headers: Iterable[str]) -> dict[str, str]:
    """A first guess of each column's lead field; unknown columns stay unmapped."""
    guessed: dict[str, str] = {}
    for header in headers:
        key = "".join(ch for ch in header.lower() if ch.isalnum())
        target = SYNONYMS.get(key)
        if target and target not in guessed.values():
            guessed[header] = target
    return guessed


def begin(
    *, content: bytes, file_name: str, kind: str, source: str, mapping: dict[str, str], actor: Any
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


def upload(*, content: bytes, file_name: str, kind: str, source: str, actor: Any) -> ImportJob:
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
    """The rows that were not imported and why, as CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("row"), _("column"), _("error")])
    for error in job.errors:
        writer.writerow([error["row"], error["column"], neutralise(error["error"])])
    return out.getvalue()


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is made plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
