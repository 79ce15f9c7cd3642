"""A person's data on request: export it all as JSON, or erase it.

Erasing anonymises rather than deletes: the lead row, its stage history, its events and
scores stay (so funnel, conversion and attribution reports keep counting it), but every
field that says who the person is, and free text that may, is cleared. Each app adds its
own section to the export and clears its own rows through the core's hook registry
(``add_data_export`` and a consistency hook on ``PersonErased``). Both are audited.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leads import audit, hooks
from leads.models import Lead, Note
from leads.roles import Actor, Role, roles_of
from leads.system_texts import ERASED_NOTE
from plumbing.errors import Conflict, NotPermitted

ERASED_DOMAIN = "erased.invalid"  # a reserved domain: no mail can ever go there


def is_erased(lead: Lead) -> bool:
    return lead.email.endswith("@" + ERASED_DOMAIN)


def export_data(lead: Lead, *, actor: Actor) -> dict[str, Any]:
    from leads.exports import lead_record

    _check(actor)
    data = {"lead": lead_record(lead), "notes": list(
        lead.notes.order_by("at").values("text", "author__username", "at"))}  # fmt: skip
    data.update(hooks.registry.exported_data(lead))
    audit.record(lead, actor=actor, changes={"personal data": ["", "exported"]})
    return data


def erase(lead: Lead, *, actor: Actor) -> Lead:
    _check(actor)
    with transaction.atomic():
        lead = Lead.objects.select_for_update(of=("self",)).get(pk=lead.pk)
        if is_erased(lead):
            raise Conflict(_("This lead's personal data was already erased."))
        Lead.objects.filter(pk=lead.pk).update(
            email=f"erased-{lead.pk}@{ERASED_DOMAIN}", external_id="", first_name="",
            last_name="", phone="", title="", email_ok=False, phone_ok=False,
            attributes=_kept_attributes(lead.attributes), first_touch={}, last_touch={},
            updated_at=timezone.now(),
        )  # fmt: skip
        Note.objects.filter(lead=lead).update(text=ERASED_NOTE)  # read translated
        hooks.registry.fire(hooks.PersonErased(lead))
        audit.record(lead, actor=actor, changes={"personal data": ["", "erased"]})
    lead.refresh_from_db()
    return lead


def _kept_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """Only the outcome stays: it is what learned scoring and backtests count."""
    return {key: value for key, value in (attributes or {}).items() if key == "converted"}


def _check(actor: Actor) -> None:
    if Role.ADMIN not in roles_of(actor):
        raise NotPermitted(_("Only admins export or erase a person's data."))
