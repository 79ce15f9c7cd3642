from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin

from scoring.explain import explain
from scoring.models import (
    Event,
    EventType,
    FitRule,
    IntentRule,
    LeadScore,
    LikelihoodModel,
    RescoreJob,
    ScoreHistory,
    ScoringModel,
    SourceApiKey,
)


class FitRuleInline(admin.TabularInline):
    model = FitRule
    extra = 0


class IntentRuleInline(admin.TabularInline):
    model = IntentRule
    extra = 0


@admin.register(ScoringModel)
class ScoringModelAdmin(admin.ModelAdmin):
    list_display = ["version", "status", "mql_fit", "mql_intent", "hot_intent", "activated_at"]
    readonly_fields = ["status", "activated_at", "created_at"]
    inlines = [FitRuleInline, IntentRuleInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Active and retired versions are history: edit a draft instead.
        if obj is not None and obj.status != ScoringModel.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)


@admin.register(EventType)
class EventTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "builtin"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["lead", "type", "source", "occurred_at"]
    list_filter = ["type", "source_kind"]
    raw_id_fields = ["lead"]
    show_full_result_count = False


@admin.register(SourceApiKey)
class SourceApiKeyAdmin(APIKeyModelAdmin):
    list_display = [*APIKeyModelAdmin.list_display, "source", "source_kind"]


@admin.register(LeadScore)
class LeadScoreAdmin(admin.ModelAdmin):
    list_display = ["lead", "model_version", "grade", "hot", "computed_at"]
    raw_id_fields = ["lead"]
    readonly_fields = ["explanation"]
    show_full_result_count = False

    @admin.display(description=_("Why: each rule that fired"))
    def explanation(self, obj: LeadScore) -> str:
        score = explain(obj.lead)
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (c["kind"], c["label"], f"{c['points']:+g}", c["occurrences"])
                for c in score["contributions"]
            ),
        )
        return format_html(
            "<p>fit {} · intent {} · {}</p><table><tr><th>{}</th><th>{}</th><th>{}</th>"
            "<th>{}</th></tr>{}</table>",
            score["fit"],
            score["intent"],
            score["grade"],
            _("kind"),
            _("rule"),
            _("points"),
            _("times"),
            rows,
        )


@admin.register(ScoreHistory)
class ScoreHistoryAdmin(admin.ModelAdmin):
    list_display = ["lead", "model_version", "fit", "intent", "grade", "at"]
    raw_id_fields = ["lead"]
    show_full_result_count = False


@admin.register(RescoreJob)
class RescoreJobAdmin(admin.ModelAdmin):
    list_display = ["id", "model_version", "reason", "status", "done", "total", "created_at"]


@admin.register(LikelihoodModel)
class LikelihoodModelAdmin(admin.ModelAdmin):
    list_display = ["id", "status", "active", "samples", "holdout_auc", "created_at"]
