from django.urls import path

from leads.api import imports as api_imports
from leads.api import merges as api_merges
from leads.api import views as api
from leads.reports import endpoints as reports
from plumbing.routers import ApiRouter

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
