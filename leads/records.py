"""Editing a lead's details (everything but its stage, which only leads.lifecycle moves).

With leads.lifecycle, the only module that writes a lead: a new campaign, source or owner
moves the lead's history between report slices (``rollups.rekeyed``) inside every write
function here, so no caller can forget it (tests/test_architecture_writes.py checks that
nothing else writes those fields).
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from leads import hooks
from leads.models import Campaign, Lead, MatchingSettings, Note, Team
from leads.reports import rollups
from leads.roles import Actor, Role, roles_of
from plumbing.errors import InvalidInput, NotPermitted

# Fields that say who works the lead: reps may not hand their leads around.
ASSIGNMENT_FIELDS = frozenset({"owner", "team"})
# Fields written only by their own domain functions.
PROTECTED_FIELDS = frozenset({"stage", "stage_changed_at", "deal_value", "closed_at"})


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively: stored stripped and lower-cased."""
    return email.strip().lower()


def update_lead(lead: Lead, *, actor: Actor, changes: dict[str, Any]) -> Lead:
    protected = PROTECTED_FIELDS & changes.keys()
    if protected:
        raise InvalidInput({field: [_("Change this through a stage move.")] for field in protected})
    reassigns = {
        field
        for field in ASSIGNMENT_FIELDS & changes.keys()
        if getattr(lead, field) != changes[field]
    }
    if reassigns:
        check_assignment(actor, {field: changes[field] for field in reassigns})
    if "email" in changes:
        changes["email"] = normalize_email(changes["email"])
    with transaction.atomic():
        save_lead_changes(lead, changes)
        hooks.registry.fire(hooks.LeadsEdited([lead.pk]))
    return lead


def _rekeyed_if_sliced(
    lead_ids: Iterable[int], fields: Collection[str]
) -> AbstractContextManager[None]:
    # rekeyed compares each lead's keys before and after, so only leads whose slices
    # really changed get rows; skipping it when no sliced field is written saves its lock
    # and its two reads.
    return rollups.rekeyed(lead_ids if rollups.SLICED_FIELDS & set(fields) else [])


def save_lead_changes(lead: Lead, changes: Mapping[str, Any]) -> None:
    """Write ``changes`` to one lead; the caller has decided they are allowed."""
    differing = [field for field, value in changes.items() if getattr(lead, field) != value]
    for field, value in changes.items():
        setattr(lead, field, value)
    with transaction.atomic(), _rekeyed_if_sliced([lead.pk], differing):
        lead.save(update_fields=[*changes, "updated_at"])


def save_leads_changes(changes: Sequence[tuple[Lead, Mapping[str, Any]]]) -> None:
    """Bulk twin of ``save_lead_changes``: each lead with its own changes, in one bulk
    update of every field any of them changes (bulk_update skips ``Lead.save``)."""
    if not changes:
        return
    fields = sorted(set().union(*(lead_changes.keys() for _lead, lead_changes in changes)))
    now = timezone.now()
    for lead, lead_changes in changes:
        for field, value in lead_changes.items():
            setattr(lead, field, value)
        lead.updated_at = now
    leads = [lead for lead, _lead_changes in changes]
    with transaction.atomic(), _rekeyed_if_sliced([lead.pk for lead in leads], fields):
        Lead.objects.bulk_update(leads, [*fields, "updated_at"], batch_size=500)


def write_lead_fields(lead_ids: Collection[int], values: Mapping[str, Any]) -> None:
    """Set the same ``values`` on these leads in one statement (no ``Lead.save``)."""
    with transaction.atomic(), _rekeyed_if_sliced(lead_ids, values):
        Lead.objects.filter(pk__in=lead_ids).update(**values)


def join_campaigns(campaign_of: Mapping[int, int]) -> None:
    """Lead id → the campaign it joins, for leads that have none yet (a UTM code matched)."""
    by_campaign: dict[int, list[int]] = {}
    for lead_id, campaign_id in campaign_of.items():
        by_campaign.setdefault(campaign_id, []).append(lead_id)
    with transaction.atomic(), _rekeyed_if_sliced(campaign_of, ["campaign_id"]):
        for campaign_id, lead_ids in by_campaign.items():
            Lead.objects.filter(pk__in=lead_ids, campaign__isnull=True).update(
                campaign_id=campaign_id
            )


def check_assignment(actor: Actor, changes: dict[str, Any]) -> None:
    """Who may give a lead to whom — the same rule as a handoff's reassignment, on every
    path that writes owner or team:
    - reps never hand their leads around;
    - a manager gives leads only to people and teams they manage (themselves included);
    - marketers and admins to anyone in sales;
    and a lead's owner is always someone in sales (a rep or a manager), never a marketer
    or an admin."""
    roles = roles_of(actor)
    if not roles & {Role.MARKETER, Role.MANAGER, Role.ADMIN}:
        raise NotPermitted(_("Only marketers, managers and admins reassign leads."))
    owner, team = changes.get("owner"), changes.get("team")
    if owner is not None and not roles_of(owner) & {Role.REP, Role.MANAGER}:
        raise InvalidInput({"owner": [_("Choose someone in sales: a rep or a manager.")]})
    if roles & {Role.MARKETER, Role.ADMIN}:
        return
    managed = Team.objects.filter(manager=actor)
    if owner is not None and not managed.filter(members=owner).exists():
        raise NotPermitted(_("You can give leads only to people in your teams."))
    if team is not None and not managed.filter(pk=team.pk).exists():
        raise NotPermitted(_("You can give leads only to your own teams."))


def assign_owner(lead_id: int, *, owner: AbstractBaseUser | None) -> None:
    """Give a lead to a rep (routing, reassignment): owner, and the owner's team if any.

    The caller has decided the move is allowed (routing rules, a manager's action)."""
    team = owner.teams.order_by("pk").first() if owner is not None else None
    write_lead_fields([lead_id], {"owner": owner, "team": team})


def delete_campaign(campaign: Campaign) -> None:
    """Its leads stay, without a campaign: their history leaves the campaign's report
    slices with it."""
    with rollups.rekeyed(Lead.objects.filter(campaign=campaign).values_list("pk", flat=True)):
        campaign.delete()


def delete_leads(lead_ids: Iterable[int]) -> None:
    """Leads deleted outright (the admin; privacy erase keeps them anonymised instead): their
    history leaves the reports with them."""
    leads = Lead.objects.filter(pk__in=set(lead_ids))
    with transaction.atomic():
        live = leads.filter(merged_into__isnull=True).values_list("pk", flat=True)
        rollups.take_out_history(list(live))
        leads.delete()


def email_key(email: str) -> str:
    """The email without a +tag in its local part; the database computes Lead.email_key
    the same way."""
    local, _at, domain = normalize_email(email).partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def leads_by_email(emails: Iterable[str]) -> dict[str, int]:
    """Normalised email → the id of the lead it belongs to, for the emails that have one.

    Plus-addressed variants count when the admin allows it; a duplicate merged into
    another lead resolves to that lead.
    """
    emails = {normalize_email(email) for email in emails}
    if not emails:
        return {}
    resolved = Coalesce("merged_into_id", "pk")
    if not MatchingSettings.current().ignore_plus_addressing:
        rows = Lead.objects.filter(email__in=emails).values_list("email", resolved)
        return dict(rows)
    keys = {email: email_key(email) for email in emails}
    by_key: dict[str, int] = {}
    rows = Lead.objects.filter(email_key__in=set(keys.values())).order_by("pk")
    for key, lead_id in rows.values_list("email_key", resolved):
        by_key.setdefault(key, lead_id)  # the oldest lead wins
    return {email: by_key[key] for email, key in keys.items() if key in by_key}


MAX_NOTE_LENGTH = 5000


def add_note(lead: Lead, *, author: Any, text: str) -> Note:
    """A note on the lead's story, by someone who can see the lead."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput({"text": [_("Write something first.")]})
    if len(text) > MAX_NOTE_LENGTH:
        raise InvalidInput({"text": [_("A note is at most 5,000 characters.")]})
    return Note.objects.create(lead=lead, author=author, text=text)
