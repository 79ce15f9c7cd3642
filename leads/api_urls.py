from django.urls import path

from leadflow.routers import ApiRouter
from leads import api, api_imports, api_merges, reports

router = ApiRouter()
router.register("leads", api.LeadViewSet, basename="lead")
router.register("companies", api.CompanyViewSet, basename="company")
router.register("campaigns", api.CampaignViewSet, basename="campaign")
router.register("teams", api.TeamViewSet, basename="team")
router.register("spend", api.SpendEntryViewSet, basename="spend")
router.register("sales-costs", api.SalesCostViewSet, basename="sales-cost")
router.register("tokens", api.ApiTokenViewSet, basename="token")
router.register("imports", api_imports.ImportViewSet, basename="import")
router.register("merges", api_merges.MergeViewSet, basename="merge")

urlpatterns = [
    path("reports/stage-counts/", reports.StageCountsReport.as_view(), name="report-stage-counts"),
    path("reports/conversion/", reports.ConversionReport.as_view(), name="report-conversion"),
    path("reports/velocity/", reports.VelocityReport.as_view(), name="report-velocity"),
    path("reports/cost/", reports.CostReport.as_view(), name="report-cost"),
    path("duplicates/", api_merges.DuplicatesView.as_view(), name="duplicates"),
    path("matching-settings/", api_merges.MatchingSettingsView.as_view(), name="matching"),
    *router.urls,
]
