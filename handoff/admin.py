from django.contrib import admin

from handoff.models import (
    Answer,
    ContactAttempt,
    Delivery,
    FollowUp,
    Handoff,
    HandoffSettings,
    Notification,
    QualifyingQuestion,
    RejectReason,
    RepProfile,
    RoutingRule,
    TeamHours,
    WebhookEndpoint,
)


@admin.register(Handoff)
class HandoffAdmin(admin.ModelAdmin):
    list_display = ["lead", "rep", "status", "created_at", "due_at", "alerted_at", "answered_at"]
    list_filter = ["status"]
    raw_id_fields = ["lead", "previous"]
    readonly_fields = [f.name for f in Handoff._meta.fields]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "active", "strategy", "sla_minutes"]
    filter_horizontal = ["pool"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["handoff", "kind", "channel", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    readonly_fields = [f.name for f in Delivery._meta.fields]


for model in (
    RepProfile,
    RejectReason,
    QualifyingQuestion,
    Answer,
    ContactAttempt,
    WebhookEndpoint,
    Notification,
    FollowUp,
    TeamHours,
    HandoffSettings,
):
    admin.site.register(model)
