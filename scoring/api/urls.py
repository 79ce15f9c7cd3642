from django.urls import path

from plumbing.routers import ApiRouter
from scoring import reports
from scoring.api import views as api

router = ApiRouter()
router.register("event-types", api.EventTypeViewSet, basename="event-type")
router.register("source-keys", api.SourceApiKeyViewSet, basename="source-key")
router.register("scoring-models", api.ScoringModelViewSet, basename="scoring-model")
router.register("rescore-jobs", api.RescoreJobViewSet, basename="rescore-job")
router.register("likelihood-models", api.LikelihoodModelViewSet, basename="likelihood-model")
router.register("web-forms", api.WebFormViewSet, basename="web-form")
router.register("tracking-sites", api.TrackingSiteViewSet, basename="tracking-site")

urlpatterns = [
    path("reports/attribution/", reports.AttributionReport.as_view(), name="report-attribution"),
    path("reports/score-bands/", reports.ScoreBandsReport.as_view(), name="report-score-bands"),
    path("events/", api.EventIngestView.as_view(), name="event-ingest"),
    path("leads/<int:pk>/score/", api.LeadScoreView.as_view(), name="lead-score"),
    *router.urls,
]
