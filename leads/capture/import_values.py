"""What an import's columns can fill, and each row's values read and checked: the targets
and their names, header suggestions (English and Spanish, accents ignored), cleaning a
row (emails, booleans, countries, company sizes), row errors stored as codes, and cells
made safe for spreadsheets. ``leads.capture.imports`` runs the jobs that use them."""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from leads.capture import companies
from leads.phones import phone_key
from leads.records import normalize_email

Problem = tuple[str, str, dict[str, Any]]  # column, error code, its parameters


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


# What people type when they mean "nothing" (web forms' "Select…" included).
PLACEHOLDERS = {"", "-", "--", "n/a", "na", "none", "null", "select", "select...", "select…",
                "please select", "unknown"}  # fmt: skip


TRUE = {"true", "yes", "y", "1", "si", "sí", "x"}


FALSE = {"false", "no", "n", "0"}


MAX_LENGTHS = {"external_id": 100, "first_name": 100, "last_name": 100, "phone": 40,
               "title": 150, "source": 100, "company": 200, "company_industry": 100,
               "company_domain": 253}  # fmt: skip


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
        [storable_text(key), storable_text(value or "")]
        for key, value in raw.items()
        if isinstance(key, str)
    ]


def storable_text(text: str) -> str:
    return text.replace("\x00", "\ufffd")


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


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is made plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
