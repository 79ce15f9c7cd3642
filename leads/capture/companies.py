"""Which company a lead works for, from what an import row or a form says about it.

One rule for every entry point: a company is found by its domain (given, or the
business domain of the lead's email), else by its name (case-insensitive); otherwise a
row that names or gives a domain creates it. Facts given (industry, country, size) are
written onto the company, so that fit rules on ``company.*`` score the lead.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models.functions import Lower

from leads.models import Company

# Mailboxes anyone can open: their domain says nothing about the employer.
PERSONAL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.es", "outlook.com", "outlook.es",
    "live.com", "live.com.mx", "msn.com", "yahoo.com", "yahoo.es", "yahoo.com.mx", "ymail.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "gmx.com", "gmx.es", "gmx.de", "web.de",
    "proton.me", "protonmail.com", "mail.com", "terra.es", "telefonica.net", "yandex.com",
})  # fmt: skip


@dataclass
class CompanyFacts:
    """What one row says about the lead's company ("" or None: not said)."""

    domain: str = ""
    name: str = ""
    industry: str = ""
    country: str = ""
    employees: int | None = None
    may_create: bool = True  # False: only join a company we already have

    def facts(self) -> dict[str, object]:
        given = {"industry": self.industry, "country": self.country, "employees": self.employees}
        return {field: value for field, value in given.items() if value not in ("", None)}


def clean_domain(text: str) -> str:
    """A domain as people paste it, bare: "https://www.Acme.com/about" → "acme.com"."""
    text = text.strip().lower()
    for prefix in ("https://", "http://"):
        text = text.removeprefix(prefix)
    return text.split("/", 1)[0].removeprefix("www.").strip(".")


def business_domain(email: str) -> str:
    """The email's domain when it names an employer ("" for gmail.com and the like)."""
    domain = email.rpartition("@")[2].lower() if "@" in email else ""
    return "" if domain in PERSONAL_DOMAINS else domain


def resolve(wanted: Sequence[CompanyFacts]) -> tuple[list[Company | None], set[int]]:
    """The company of each entry (None when it names none we have and cannot make one),
    and the ids of existing companies whose facts changed (their leads need re-scoring).

    Entries naming the same domain or name share one company; a later entry's facts win.
    """
    domains = {w.domain for w in wanted if w.domain}
    names = {w.name.lower() for w in wanted if w.name}
    by_domain = {c.domain: c for c in Company.objects.filter(domain__in=domains)}
    by_name: dict[str, Company] = {}
    if names:
        for company in Company.objects.annotate(lname=Lower("name")).filter(lname__in=names):
            by_name.setdefault(company.name.lower(), company)
    found: list[Company | None] = []
    changed: set[int] = set()
    dirty: dict[int, Company] = {}
    written: set[str] = set()  # the fields some existing company changes
    new: list[Company] = []
    for entry in wanted:
        company = by_domain.get(entry.domain) if entry.domain else None
        if company is None and entry.name:
            company = by_name.get(entry.name.lower())
            if company is not None and entry.domain and not company.domain:
                company.domain = entry.domain  # a name-only company learns its domain
                by_domain[entry.domain] = company
                if company.pk:
                    dirty[company.pk] = company
                    written.add("domain")
        if company is None and entry.may_create and (entry.domain or entry.name):
            company = Company(domain=entry.domain, name=(entry.name or entry.domain)[:200])
            new.append(company)
            if entry.domain:
                by_domain[entry.domain] = company
            by_name.setdefault(company.name.lower(), company)
        if company is not None:
            updates = {k: v for k, v in entry.facts().items() if getattr(company, k) != v}
            if entry.name and not company.name:
                updates["name"] = entry.name[:200]
            for field, value in updates.items():
                setattr(company, field, value)
            if updates and company.pk:
                dirty[company.pk] = company
                written |= updates.keys()
                changed.add(company.pk)
        found.append(company)
    _create(new)
    if dirty:
        Company.objects.bulk_update(list(dirty.values()), sorted(written), batch_size=500)
    return found, changed


def _create(new: list[Company]) -> None:
    """Insert the new companies. One with a domain another process has just made (two
    imports or form posts at once) is not an error: the rows join that one."""
    named_only = [company for company in new if not company.domain]
    with_domain = [company for company in new if company.domain]
    Company.objects.bulk_create(named_only, batch_size=500)
    if with_domain:
        Company.objects.bulk_create(with_domain, batch_size=500, ignore_conflicts=True)
        domains = [company.domain for company in with_domain]
        stored = dict(Company.objects.filter(domain__in=domains).values_list("domain", "pk"))
        for company in with_domain:
            company.pk = stored[company.domain]
            company._state.adding = False
