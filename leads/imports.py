"""Importing leads from CSV: map columns, clean each row, keep the good ones, report the bad.

Rows are matched to existing leads by external id, then by email (case-insensitive), then
by phone (normalised), and updated rather than duplicated; a lead needs one of the three.
Company columns (name, domain, industry, country, size) find or create the lead's company
(``leads.companies``), so that fit rules on ``company.*`` score it. Each batch is one
transaction, so a failure never leaves half a batch; new leads are created through the
lifecycle's bulk path (with their first history row, which scores them), updated ones are
announced as edited (which re-scores them), and an optional "converted" column is kept as
an attribute for learned scoring.

Row errors are stored as a code with parameters and the row's own values, and rendered in
the reader's language when shown (``error_text``).
"""

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from leads import companies, hooks, rollups
from leads.batching import batched
from leads.errors import Conflict, InvalidInput
from leads.lifecycle import create_leads
from leads.models import Campaign, ImportJob, Lead
from leads.phones import phone_key
from leads.records import leads_by_email, normalize_email
from leads.system_texts import text

# What a column can fill, with the name people see; "attributes.<name>" keeps any other.
TARGETS = {
    "email": gettext_lazy("Email"),
    "external_id": gettext_lazy("External id (CRM id)"),
    "phone": gettext_lazy("Phone"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "title": gettext_lazy("Job title"),
    "source": gettext_lazy("Source"),
    "campaign": gettext_lazy("Campaign"),
    "email_ok": gettext_lazy("May be emailed (yes/no)"),
    "phone_ok": gettext_lazy("May be called (yes/no)"),
    "company": gettext_lazy("Company name"),
    "company_domain": gettext_lazy("Company domain or website"),
    "company_industry": gettext_lazy("Company industry"),
    "company_country": gettext_lazy("Company country"),
    "company_employees": gettext_lazy("Company size (employees)"),
    "converted": gettext_lazy("Converted (yes/no)"),
}
FIELDS = set(TARGETS)
IDENTITIES = ("email", "external_id", "phone")  # a row needs one of these
COMPANY_TARGETS = {"company", "company_domain", "company_industry", "company_country",
                   "company_employees"}  # fmt: skip
# What people type when they mean "nothing" (web forms' "Select…" included).
PLACEHOLDERS = {"", "-", "--", "n/a", "na", "none", "null", "select", "select...", "select…",
                "please select", "unknown"}  # fmt: skip
TRUE = {"true", "yes", "y", "1", "si", "sí", "x"}
FALSE = {"false", "no", "n", "0"}
MAX_LENGTHS = {"external_id": 100, "first_name": 100, "last_name": 100, "phone": 40,
               "title": 150, "source": 100, "company": 200, "company_industry": 100,
               "company_domain": 253}  # fmt: skip
BATCH = 2000
MAX_REPORTED_ERRORS = 10_000

# Row errors, stored by code; the text is looked up in the reader's language.
ERRORS = {
    "invalid_email": gettext_noop("Not a valid email address."),
    "too_long": gettext_noop("Too long (at most %(max)d characters)."),
    "yes_or_no": gettext_noop("Use yes or no."),
    "unknown_campaign": gettext_noop("No campaign with this name or UTM code."),
    "no_identity": gettext_noop("An email, an external id or a phone is required."),
    "invalid_phone": gettext_noop("Not a phone number (add the country prefix, e.g. +34)."),
    "unknown_country": gettext_noop("Not a country: use its two-letter code (ES, MX, US…)."),
    "invalid_employees": gettext_noop("Not a number of employees (e.g. 250 or 51-200)."),
    "nul_character": gettext_noop("Contains a NUL character, which cannot be stored."),
}

# Country names people write, English and Spanish (compared without accents or case);
# any two-letter code is taken as it is.
COUNTRIES = {
    "spain": "ES", "espana": "ES", "mexico": "MX", "colombia": "CO", "argentina": "AR",
    "chile": "CL", "peru": "PE", "ecuador": "EC", "venezuela": "VE", "uruguay": "UY",
    "paraguay": "PY", "bolivia": "BO", "costa rica": "CR", "panama": "PA", "guatemala": "GT",
    "republica dominicana": "DO", "dominican republic": "DO", "cuba": "CU",
    "united states": "US", "united states of america": "US", "usa": "US", "eeuu": "US",
    "ee.uu.": "US", "ee uu": "US", "estados unidos": "US", "united kingdom": "GB", "uk": "GB",
    "reino unido": "GB", "great britain": "GB", "england": "GB", "inglaterra": "GB",
    "germany": "DE", "alemania": "DE", "france": "FR", "francia": "FR", "italy": "IT",
    "italia": "IT", "portugal": "PT", "brazil": "BR", "brasil": "BR", "canada": "CA",
    "ireland": "IE", "irlanda": "IE", "netherlands": "NL", "paises bajos": "NL",
    "holanda": "NL", "belgium": "BE", "belgica": "BE", "switzerland": "CH", "suiza": "CH",
    "austria": "AT", "sweden": "SE", "suecia": "SE", "norway": "NO", "noruega": "NO",
    "denmark": "DK", "dinamarca": "DK", "finland": "FI", "finlandia": "FI", "poland": "PL",
    "polonia": "PL", "india": "IN", "china": "CN", "japan": "JP", "japon": "JP",
    "australia": "AU",
}  # fmt: skip
_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})+$")
_EMPLOYEES = re.compile(r"^(\d[\d.,\s]*?)\s*(?:\+|(?:-|–|a|to)\s*\d[\d.,\s]*)?$")


class RowError(TypedDict):
    row: int  # 1-based line of the data (the header is row 0)
    column: str
    code: NotRequired[str]  # a key of ERRORS
    params: NotRequired[dict[str, Any]]
    # The row as it was in the file: [column, value] pairs (a list keeps the file's order,
    # which a JSON object stored in PostgreSQL would not).
    values: NotRequired[list[list[str]]]
    error: NotRequired[str]  # text without a code (event imports, older reports)


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    failed: int = 0
    errors: list[RowError] = field(default_factory=list)


def error_text(error: dict[str, Any]) -> str:
    """A stored row error in the active language."""
    template = ERRORS.get(error.get("code", ""))
    if template is None:
        # A text without a code (an events import's) is stored in English, the catalogue's
        # own language: the reader gets its translation when it has one.
        return _(str(error.get("error", "")))
    return _(template) % (error.get("params") or {})


def plain(text: str) -> str:
    """Lower-case, without accents: "Teléfono" → "telefono"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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
    if not set(IDENTITIES) & set(mapping.values()):
        errors.setdefault("mapping", []).append(
            _("Map a column to email, external id or phone: each lead needs one of them.")
        )
    return errors


Problem = tuple[str, str, dict[str, Any]]  # column, error code, its parameters


def clean_row(
    raw: dict[str, str], mapping: dict[str, str], *, campaigns: dict[str, int]
) -> tuple[dict[str, Any], companies.CompanyFacts, list[Problem]]:
    """The lead fields a row gives, what it says of the company, and what it fails on."""
    values: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    company = companies.CompanyFacts()
    errors: list[Problem] = []
    phone_column = ""
    for column, target in mapping.items():
        text = (raw.get(column) or "").strip()
        if text.lower() in PLACEHOLDERS:
            continue
        if "\x00" in text:  # the database refuses it: this row fails, not the whole file
            errors.append((column, "nul_character", {}))
        elif target != "email" and len(text) > MAX_LENGTHS.get(target, 1000):
            errors.append((column, "too_long", {"max": MAX_LENGTHS.get(target, 1000)}))
        elif target.startswith("attributes."):
            attributes[target[11:]] = text
        elif target in ("email_ok", "phone_ok", "converted"):
            flag = text.lower()
            if flag not in TRUE | FALSE:
                errors.append((column, "yes_or_no", {}))
            elif target == "converted":
                attributes["converted"] = flag in TRUE
            else:
                values[target] = flag in TRUE
        elif target == "email":
            try:
                if len(text) > 254:  # longer than any deliverable address
                    raise ValidationError(ERRORS["invalid_email"])
                validate_email(text)
                values["email"] = normalize_email(text)
            except ValidationError:
                errors.append((column, "invalid_email", {}))
        elif target == "campaign":
            campaign = campaigns.get(text.lower())
            if campaign is None:
                errors.append((column, "unknown_campaign", {}))
            else:
                values["campaign_id"] = campaign
        elif target == "phone":
            values["phone"], phone_column = text, column
        elif target == "company":
            company.name = text
        elif target == "company_domain":
            company.domain = companies.clean_domain(text)
        elif target == "company_industry":
            company.industry = text
        elif target == "company_country":
            code = country_code(text)
            if code is None:
                errors.append((column, "unknown_country", {}))
            else:
                company.country = code
        elif target == "company_employees":
            employees = employee_count(text)
            if employees is None:
                errors.append((column, "invalid_employees", {}))
            else:
                company.employees = employees
        else:
            values[target] = text
    if "phone" in values:
        key = phone_key(values["phone"], company.country or None)
        if key:
            values["phone_key"] = key
        else:
            errors.append((phone_column, "invalid_phone", {}))
    failed_columns = {column for column, _code, _params in errors}
    if not any(values.get(name) for name in IDENTITIES) and not failed_columns & {
        column for column, target in mapping.items() if target in IDENTITIES
    }:
        errors.append((_first(mapping, IDENTITIES), "no_identity", {}))
    if attributes:
        values["attributes"] = attributes
    if not company.domain and values.get("email"):
        company.domain = companies.business_domain(values["email"])
        # A row that says nothing of its company only joins one we already have.
        company.may_create = bool(company.name or company.facts())
    return values, company, errors


def country_code(text: str) -> str | None:
    """The ISO code of a country as people write it ("España", "spain", "es" → "ES"), or
    None for what is not a country we know."""
    key = plain(text)
    if len(key) == 2 and key.isalpha():
        return key.upper()
    return COUNTRIES.get(key)


def employee_count(text: str) -> int | None:
    """A number of employees as people write it: "250", "1.200", "1,200", "51-200" (its
    lower end), "5000+"; None when it is not one."""
    match = _EMPLOYEES.match(text.strip().lower().removesuffix("employees").strip())
    if not match:
        match = _EMPLOYEES.match(plain(text).removesuffix("empleados").strip())
    if not match:
        return None
    number = match.group(1).strip()
    if _THOUSANDS.match(number):
        number = re.sub(r"[.,\s]", "", number)
    return int(number) if number.isdigit() else None


def _first(mapping: dict[str, str], targets: Iterable[str]) -> str:
    targets = tuple(targets)
    return next((column for column, t in mapping.items() if t in targets), targets[0])


def row_values(raw: dict[str | None, Any]) -> list[list[str]]:
    """The row as it was in the file (cells past the header's end dropped; a NUL, which
    the database cannot store, shown as the replacement character)."""
    return [
        [_storable(key), _storable(value or "")]
        for key, value in raw.items()
        if isinstance(key, str)
    ]


def _storable(text: str) -> str:
    return text.replace("\x00", "\ufffd")


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
        good: dict[str, tuple[dict[str, Any], companies.CompanyFacts]] = {}
        for number, raw in chunk:
            values, company, errors = clean_row(raw, mapping, campaigns=campaigns)
            if errors:
                outcome.failed += 1
                for column, code, params in errors:
                    if len(outcome.errors) < MAX_REPORTED_ERRORS:
                        error = RowError(
                            row=number, column=_storable(column), code=code, params=params
                        )
                        error["values"] = row_values(raw)
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
    rows: list[tuple[dict[str, Any], companies.CompanyFacts]], *, actor: Any
) -> tuple[int, int]:
    found, changed_companies = companies.resolve([company for _values, company in rows])
    for (values, _company), company in zip(rows, found, strict=True):
        if company is not None:
            values["company_id"] = company.pk
    existing = _existing_leads([values for values, _company in rows])
    new: list[dict[str, Any]] = []
    changed: list[Lead] = []
    fields: set[str] = set()  # only what some lead's row actually changes is written
    matched = 0
    for values, _company in rows:
        lead = existing.get(_identity(values))
        if lead is None:
            new.append(values)
            continue
        matched += 1
        edits = _edits(lead, values)
        for name, value in edits.items():
            setattr(lead, name, value)
        if edits:
            fields |= edits.keys()
            changed.append(lead)
    if new:
        create_leads(new, actor=actor, reason=text("lead.imported"))
    if changed:
        now = timezone.now()
        for lead in changed:
            lead.updated_at = now
        with rollups.rekeyed(lead.pk for lead in changed):  # a new campaign or source
            Lead.objects.bulk_update(changed, [*sorted(fields), "updated_at"], batch_size=500)
    # Re-score what this batch changed: the leads updated, and the other leads of
    # companies whose industry, country or size it changed (new leads score on creation).
    rescore = {lead.pk for lead in changed}
    if changed_companies:
        rescore |= set(
            Lead.objects.filter(company_id__in=changed_companies, merged_into__isnull=True)
            .exclude(pk__in=rescore)
            .values_list("pk", flat=True)
        )
    for ids in batched(sorted(rescore), BATCH):  # one scoring task per batch of leads
        hooks.registry.fire(hooks.Event.LEADS_EDITED, list(ids))
    return len(new), matched


def _edits(lead: Lead, values: dict[str, Any]) -> dict[str, Any]:
    """What a row changes on a lead it matched (nothing, for a row imported again as is)."""
    edits: dict[str, Any] = {}
    for name, value in values.items():
        if name == "email" and (lead.email or leads_by_email([value])):
            continue  # keep the lead's own email (matched perhaps as a +tag variant),
            # and never take another lead's
        if name == "attributes":
            value = {**(lead.attributes or {}), **value}
        if getattr(lead, name) != value:
            edits[name] = value
    return edits


def _existing_leads(rows: list[dict[str, Any]]) -> dict[str, Lead]:
    """Each row's lead if we have it (by its identity key): by external id, then by email,
    then by phone. A duplicate merged into another lead resolves to that lead."""
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
    return found


# What people call the lead fields in their spreadsheets, English and Spanish, compared
# lower-case without accents, spaces, dashes or underscores ("Correo electrónico").
SYNONYMS = {
    "email": "email", "emailaddress": "email", "mail": "email", "correo": "email",
    "correoelectronico": "email", "direcciondecorreo": "email", "ecorreo": "email",
    "externalid": "external_id", "id": "external_id", "crmid": "external_id",
    "idcrm": "external_id", "idexterno": "external_id", "identificador": "external_id",
    "firstname": "first_name", "givenname": "first_name", "nombre": "first_name",
    "lastname": "last_name", "surname": "last_name", "apellido": "last_name",
    "apellidos": "last_name", "phone": "phone", "phonenumber": "phone", "mobile": "phone",
    "telefono": "phone", "movil": "phone", "celular": "phone", "title": "title",
    "jobtitle": "title", "cargo": "title", "puesto": "title", "source": "source",
    "origen": "source", "fuente": "source", "company": "company", "companyname": "company",
    "empresa": "company", "compania": "company", "nombredelaempresa": "company",
    "organizacion": "company", "domain": "company_domain", "companydomain": "company_domain",
    "dominio": "company_domain", "website": "company_domain", "web": "company_domain",
    "sitioweb": "company_domain", "paginaweb": "company_domain", "industry": "company_industry",
    "sector": "company_industry", "industria": "company_industry", "country": "company_country",
    "pais": "company_country", "employees": "company_employees",
    "companysize": "company_employees", "numberofemployees": "company_employees",
    "empleados": "company_employees", "numerodeempleados": "company_employees",
    "plantilla": "company_employees", "tamano": "company_employees",
    "tamanodelaempresa": "company_employees", "campaign": "campaign", "campana": "campaign",
    "converted": "converted", "convertido": "converted",
}  # fmt: skip


def suggest_mapping(headers: Iterable[str]) -> dict[str, str]:
    """A first guess of each column's lead field; unknown columns stay unmapped."""
    guessed: dict[str, str] = {}
    for header in headers:
        key = "".join(ch for ch in plain(header) if ch.isalnum())
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


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is made plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
