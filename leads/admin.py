"""Django admin for the core's models, for the Admin role. Stages move only through the
lifecycle, so they are read-only here and history cannot be edited."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from leads import lifecycle, records
from leads.models import (
    Campaign,
    Company,
    Heartbeat,
    ImportJob,
    Lead,
    MatchingSettings,
    MergeRecord,
    SalesCost,
    SpendEntry,
    StageChange,
    Team,
)
from leads.roles import Actor
from plumbing.errors import InvalidInput, NotPermitted


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ["at", "from_stage", "to_stage", "actor", "reason", "loaded"]
    readonly_fields = fields
    ordering = ["-at"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class LeadAdminForm(forms.ModelForm):
    """Checks a new owner or team with the same rule as every other path (records)."""

    actor: Actor = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assigned = {
            name: cleaned[name]
            for name in records.ASSIGNMENT_FIELDS & set(self.changed_data)
            if cleaned.get(name) is not None
        }
        try:
            if assigned:
                records.check_assignment(self.actor, assigned)
        except InvalidInput as error:
            raise ValidationError(error.errors) from None
        except NotPermitted as error:
            raise ValidationError(error.message) from None
        return cleaned


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "first_name",
        "last_name",
        "company",
        "stage",
        "fit",
        "intent",
        "owner",
        "created_at",
    ]
    list_filter = ["stage", "source", "team"]
    search_fields = ["email", "first_name", "last_name", "external_id"]
    readonly_fields = [
        "stage",
        "stage_changed_at",
        "fit",
        "intent",
        "likelihood",
        "deal_value",
        "closed_at",
        "merged_into",  # only merges.merge and undo move a lead out of the lists and back
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["company", "owner", "campaign"]
    list_select_related = ["company", "owner"]
    show_full_result_count = False  # no COUNT(*) over a million rows on every page
    inlines = [StageChangeInline]

    def delete_model(self, request: HttpRequest, obj: Lead) -> None:
        records.delete_leads([obj.pk])

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        records.delete_leads(queryset.values_list("pk", flat=True))

    form = LeadAdminForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request: HttpRequest, obj: Lead, form: Any, change: bool) -> None:
        """Through the core's write functions, like every other path: a new lead gets its
        first history row and is scored; an edit re-keys the reports and re-scores."""
        # The form has set its values on ``obj``; the core compares them with the stored
        # lead, so it is handed a fresh copy and ``obj`` is reloaded after.
        if change:
            stored = Lead.objects.get(pk=obj.pk)
            changes = {name: getattr(obj, name) for name in form.changed_data}
            records.update_lead(stored, actor=request.user, changes=changes)
        else:
            fields = {name: getattr(obj, name) for name in form.cleaned_data}
            obj.pk = lifecycle.create_lead(actor=request.user, **fields).pk
            obj._state.adding = False
        obj.refresh_from_db()


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["lead", "from_stage", "to_stage", "actor", "at", "loaded"]
    list_filter = ["to_stage", "loaded"]
    raw_id_fields = ["lead"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "industry", "employees", "country"]
    search_fields = ["name", "domain"]
    list_filter = ["industry", "country"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "manager"]
    filter_horizontal = ["members"]


class SpendEntryInline(admin.TabularInline):
    model = SpendEntry
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    inlines = [SpendEntryInline]
    list_display = ["name", "channel", "utm_campaign", "starts_on", "ends_on"]
    list_filter = ["channel"]
    search_fields = ["name", "utm_campaign"]

    def delete_model(self, request: HttpRequest, obj: Campaign) -> None:
        records.delete_campaign(obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for campaign in queryset:
            records.delete_campaign(campaign)


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["kind", "name", "recorded_at"]


@admin.register(SpendEntry)
class SpendEntryAdmin(admin.ModelAdmin):
    list_display = ["campaign", "amount", "currency", "starts_on", "ends_on"]
    list_filter = ["campaign__channel"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "kind", "status", "done", "total", "failed", "created_at"]
    exclude = ["content"]
    readonly_fields = ["errors"]


for model in (SalesCost, MatchingSettings, MergeRecord):
    admin.site.register(model)
