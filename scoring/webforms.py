"""Web-to-lead forms: a submission is stored first, then validated, then it creates or
updates the lead (matched by email), joins it to its company (by the email's domain, or
the company name it gives), records a contact-form event and scores it at once.

Spam defences: a honeypot field people never see, a per-IP rate limit on the shared
cache, and optional allowed origins for posts from other sites.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.translation import gettext as _

from leads.capture import companies
from leads.capture.touches import TOUCH_KEYS, touch_from
from leads.lifecycle import create_leads
from leads.models import Company, Lead
from leads.records import leads_by_email, normalize_email
from leads.system_texts import text
from plumbing.limits import over_limit
from scoring import attribution
from scoring.ingest import ingest
from scoring.models import FormSubmission, SourceKind, WebForm
from scoring.tracking import stitch

HONEYPOT = "website"  # a field hidden from people; bots fill it
PER_IP_PER_MINUTE = 10
MAX_VALUE_LENGTH = 5000  # a stored value; longer ones fail validation (at most 1,000)
LEAD_FIELDS = {"email", "first_name", "last_name", "phone", "title"}
COMPANY_FIELD = "company"  # a field that fills the company's name


def public_base_url(request: HttpRequest) -> str:
    """Where links pasted into other sites point: SITE_URL when the deployment sets it,
    else the address this page was served from (what the person is using right now)."""
    if settings.SITE_URL_SET:
        return settings.SITE_URL.rstrip("/")
    return request.build_absolute_uri("/").rstrip("/")


def kept_fields(form: WebForm, data: dict[str, Any]) -> dict[str, Any]:
    """What of a post is stored: the form's own fields, consent, the honeypot and the
    tracking keys, each value as text of bounded length. Anything else a visitor (or a
    bot) sends is dropped: a public form is no free storage."""
    wanted = {spec["name"] for spec in form.fields} | {"consent", HONEYPOT, "lf_visitor"}
    wanted |= set(TOUCH_KEYS)
    return {
        name: value[:MAX_VALUE_LENGTH] if isinstance(value, str) else str(value)[:100]
        for name, value in data.items()
        if name in wanted
    }


def rate_limited(ip: str | None) -> bool:
    return over_limit(f"webform-ip:{ip}", per_minute=PER_IP_PER_MINUTE)


def validate(form: WebForm, data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for spec in form.fields:
        value = str(data.get(spec["name"], "")).strip()
        if spec.get("required") and not value:
            errors[spec["name"]] = [_("This field is required.")]
        elif spec.get("maps_to") == "email" and value:
            try:
                validate_email(value)
            except ValidationError:
                errors[spec["name"]] = [_("Enter a valid email address.")]
        elif len(value) > 1000:
            errors[spec["name"]] = [_("Too long.")]
    if not any(spec.get("maps_to") == "email" for spec in form.fields):
        errors["form"] = [_("This form has no email field.")]
    return errors


def submit(
    form: WebForm, data: dict[str, Any], *, ip: str | None, origin: str, user_agent: str
) -> FormSubmission:
    """Store the submission, then act on it. Returns it with its status and errors."""
    data = kept_fields(form, data)
    submission = FormSubmission.objects.create(
        form=form, data=data, ip=ip, origin=origin[:300], user_agent=user_agent[:300]
    )
    if data.get(HONEYPOT):
        submission.status = FormSubmission.Status.SPAM
        submission.save(update_fields=["status"])
        return submission
    errors = validate(form, data)
    if errors:
        submission.status, submission.errors = FormSubmission.Status.INVALID, errors
        submission.save(update_fields=["status", "errors"])
        return submission
    with transaction.atomic():
        lead = _upsert_lead(form, data)
        ingest(
            [{"type": "contact_form", "lead_id": lead.pk, "id": f"form-{submission.pk}",
              "properties": {"form": form.name, "form_id": form.pk, **touch_from(data)}}],
            source="web-form", source_kind=SourceKind.FIRST_PARTY,
        )  # fmt: skip
        attribution.record({lead.pk: touch_from(data)})
        if isinstance(data.get("lf_visitor"), str) and data["lf_visitor"]:
            # The tracking snippet's visitor id: their earlier visits now count too.
            stitch(data["lf_visitor"], lead.pk)
        submission.status, submission.lead = FormSubmission.Status.PROCESSED, lead
        submission.save(update_fields=["status", "lead"])
    return submission


def _upsert_lead(form: WebForm, data: dict[str, Any]) -> Lead:
    fields: dict[str, Any] = {}
    attributes: dict[str, str] = {}
    company_name = ""
    for spec in form.fields:
        value = str(data.get(spec["name"], "")).strip()
        target = spec.get("maps_to", "")
        if not value or not target:
            continue
        if target in LEAD_FIELDS:
            fields[target] = normalize_email(value) if target == "email" else value[:100]
        elif target == COMPANY_FIELD:
            company_name = value[:200]
        elif target.startswith("attributes."):
            attributes[target[11:]] = value
    consent = form.consent_text and str(data.get("consent", "")).lower() in {
        "on",
        "true",
        "1",
        "yes",
    }
    known = leads_by_email([fields["email"]]).get(fields["email"])
    lead = Lead.objects.select_for_update().filter(pk=known).first() if known else None
    company = None
    if lead is None or lead.company_id is None:  # a lead keeps the company it has
        company = _company(fields["email"], company_name)
    if lead is None:
        (lead,) = create_leads(
            [{**fields, "attributes": attributes, "email_ok": bool(consent),
              "source": "web-form", "campaign": form.campaign, "company": company}],
            actor=None, reason=text("scoring.form_submitted", form=form.name),
        )  # fmt: skip
        return lead
    # Known lead: fill in what we did not have, never overwrite with blanks.
    for name, value in fields.items():
        if name != "email" and not getattr(lead, name):
            setattr(lead, name, value)
    lead.attributes = {**(lead.attributes or {}), **attributes}
    if lead.company_id is None and company is not None:
        lead.company = company
    if consent:
        lead.email_ok = True
    lead.save()
    return lead


def _company(email: str, name: str) -> Company | None:
    """The company with the email's domain when we have it (a name typed does not split
    a company); else the one with the name given, made when missing."""
    facts = companies.CompanyFacts(
        domain=companies.business_domain(email), name=name, may_create=bool(name)
    )
    (company,), _changed = companies.resolve([facts])
    return company


def embed_snippet(form: WebForm, base_url: str) -> str:
    """HTML to paste into a landing page: posts straight to Leadflow. What the form's
    author typed (labels, names, consent) is escaped: the snippet is always valid HTML."""
    inputs = []
    for spec in form.fields:
        kind = escape(spec.get("type", "text"))
        name = escape(spec["name"])
        required = " required" if spec.get("required") else ""
        if kind == "textarea":
            control = f'<textarea name="{name}"{required}></textarea>'
        else:
            control = f'<input type="{kind}" name="{name}"{required}>'
        inputs.append(f"  <label>{escape(spec.get('label') or spec['name'])} {control}</label>")
    if form.consent_text:
        inputs.append(
            f'  <label><input type="checkbox" name="consent"> {escape(form.consent_text)}</label>'
        )
    hidden = "".join(f'\n  <input type="hidden" name="{key}">' for key in TOUCH_KEYS)
    return (
        f'<form method="post" action="{escape(base_url.rstrip("/"))}/f/{form.key}/">\n'
        + "\n".join(inputs)
        + f'\n  <input type="text" name="{HONEYPOT}" tabindex="-1" autocomplete="off" '
        'style="position:absolute;left:-9999px" aria-hidden="true">'
        + hidden
        + f'\n  <button type="submit">{_("Send")}</button>\n</form>'
    )
