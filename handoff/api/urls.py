from django.urls import path

from handoff import reports
from handoff.api import views as api
from plumbing.routers import ApiRouter

router = ApiRouter()
router.register("handoffs", api.HandoffViewSet, basename="handoff")
router.register("notifications", api.NotificationViewSet, basename="notification")
router.register("routing-rules", api.RoutingRuleViewSet, basename="routing-rule")
router.register("reject-reasons", api.RejectReasonViewSet, basename="reject-reason")
router.register("qualifying-questions", api.QualifyingQuestionViewSet, basename="question")
router.register("webhooks", api.WebhookEndpointViewSet, basename="webhook")
router.register("rep-profiles", api.RepProfileViewSet, basename="rep-profile")
router.register("team-hours", api.TeamHoursViewSet, basename="team-hours")
router.register("follow-ups", api.FollowUpViewSet, basename="follow-up")

urlpatterns = [
    path("reports/sla/", reports.SlaReport.as_view(), name="report-sla"),
    path("reports/rejections/", reports.RejectionsReport.as_view(), name="report-rejections"),
    path("reports/nps/", reports.NpsReport.as_view(), name="report-nps"),
    path("send-to-sales/", api.SendToSalesView.as_view(), name="send-to-sales"),
    path("handoff-settings/", api.HandoffSettingsView.as_view(), name="handoff-settings"),
    path("leads/<int:pk>/attempts/", api.AttemptsView.as_view(), name="lead-attempts"),
    path("leads/<int:pk>/answers/", api.AnswersView.as_view(), name="lead-answers"),
    path("leads/<int:pk>/qualify/", api.QualifyView.as_view(), name="lead-qualify"),
    path("leads/<int:pk>/convert/", api.ConvertView.as_view(), name="lead-convert"),
    path("leads/<int:pk>/lose/", api.LoseView.as_view(), name="lead-lose"),
    *router.urls,
]
