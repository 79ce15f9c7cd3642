"""Duplicates: finding possible ones, merging one lead into another, and undoing it.

A merge keeps everything: the duplicate stays (with its own history) but leaves the lists;
other apps re-point their rows (events, handoffs, …) through the core's merge hook and
record which rows they moved, so that undo returns each of them exactly.
"""

from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from leads import hooks, records
from leads.models import Lead, MergeRecord, Note
from leads.reports import rollups
from leads.roles import Actor, Role, roles_of
from plumbing.errors import Conflict, NotPermitted

# What a duplicate may fill on the primary when the primary has nothing there.
FILLABLE = ("first_name", "last_name", "phone", "title", "company_id", "campaign_id", "source")


# What a merge tells the other apps, and what their hooks fill with the rows they moved.
Merge = hooks.LeadsMerged


def possible_duplicates(limit: int = 100) -> list[list[int]]:
    """Groups of leads with the same name at the same company but different emails."""
    groups = (
        Lead.objects.filter(merged_into__isnull=True, company__isnull=False)
        .exclude(Q(first_name="") | Q(last_name=""))
        .values(first=Lower("first_name"), last=Lower("last_name"), firm=F("company_id"))
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("-n")[:limit]
    )
    result = []
    for group in groups:
        ids = (
            Lead.objects.filter(
                merged_into__isnull=True,
                company_id=group["firm"],
                first_name__iexact=group["first"],
                last_name__iexact=group["last"],
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        result.append(list(ids))
    return result


def merge(primary: Lead, duplicate: Lead, *, actor: Actor) -> MergeRecord:
    if not roles_of(actor) & {Role.MARKETER, Role.ADMIN}:
        raise NotPermitted(_("Only marketers and admins merge leads."))
    if primary.pk == duplicate.pk:
        raise Conflict(_("A lead cannot be merged into itself."))
    with transaction.atomic():
        locked = {
            lead.pk: lead
            for lead in Lead.objects.select_for_update()
            .filter(pk__in=[primary.pk, duplicate.pk])
            .order_by("pk")
        }
        primary, duplicate = locked[primary.pk], locked[duplicate.pk]
        if primary.merged_into_id or duplicate.merged_into_id:
            raise Conflict(_("One of these leads was already merged."))
        before: dict[str, Any] = {
            name: getattr(primary, name) for name in FILLABLE if not getattr(primary, name)
        }
        before["attributes"] = dict(primary.attributes or {})
        if "phone" in before:  # save() keys the phone it takes; undo puts the key back too
            before["phone_key"] = primary.phone_key
        duplicate_before = {"external_id": duplicate.external_id}
        filled = {name: getattr(duplicate, name) for name in before}
        filled["attributes"] = {**(duplicate.attributes or {}), **(primary.attributes or {})}
        leaving: dict[str, Any] = {"merged_into": primary}
        if duplicate.external_id and not primary.external_id:
            before["external_id"] = ""
            filled["external_id"], leaving["external_id"] = duplicate.external_id, ""
        # The duplicate first: its external id must be free before the primary takes it.
        records.save_lead_changes(duplicate, leaving)
        # It may take the duplicate's campaign or source: the write re-keys the rollups.
        records.save_lead_changes(primary, filled)
        rollups.take_out_history([duplicate.pk])
        context = Merge(primary_id=primary.pk, duplicate_id=duplicate.pk)
        move_rows(context, Note, Note.objects.filter(lead_id=duplicate.pk))
        hooks.registry.fire(context)
        return MergeRecord.objects.create(
            primary=primary,
            duplicate=duplicate,
            actor=actor,
            primary_before=before,
            duplicate_before=duplicate_before,
            moved=context.moved,
        )


def undo(record: MergeRecord, *, actor: Actor) -> MergeRecord:
    if not roles_of(actor) & {Role.MARKETER, Role.ADMIN}:
        raise NotPermitted(_("Only marketers and admins undo merges."))
    with transaction.atomic():
        record = MergeRecord.objects.select_for_update().get(pk=record.pk)
        if record.undone_at is not None:
            raise Conflict(_("This merge was already undone."))
        for label, ids in record.moved.items():
            apps.get_model(label).objects.filter(pk__in=ids).update(lead_id=record.duplicate_id)
        records.write_lead_fields([record.primary_id], record.primary_before)
        records.write_lead_fields(
            [record.duplicate_id], {"merged_into": None, **record.duplicate_before}
        )
        rollups.put_back_history([record.duplicate_id])
        record.undone_at, record.undone_by = timezone.now(), actor
        record.save(update_fields=["undone_at", "undone_by"])
        hooks.registry.fire(hooks.MergeUndone(record.primary_id, record.duplicate_id))
    return record


def move_rows(context: Merge, model: Any, queryset: Any) -> None:
    """Re-point ``queryset``'s rows from the duplicate to the primary, noting their ids."""
    ids = list(queryset.values_list("pk", flat=True))
    if ids:
        model.objects.filter(pk__in=ids).update(lead_id=context.primary_id)
        context.moved[model._meta.label_lower] = ids
