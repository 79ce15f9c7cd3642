from rest_framework.routers import DefaultRouter

from leads import api, api_imports

router = DefaultRouter()
router.register("leads", api.LeadViewSet, basename="lead")
router.register("companies", api.CompanyViewSet, basename="company")
router.register("campaigns", api.CampaignViewSet, basename="campaign")
router.register("teams", api.TeamViewSet, basename="team")
router.register("tokens", api.ApiTokenViewSet, basename="token")
router.register("imports", api_imports.ImportViewSet, basename="import")

urlpatterns = router.urls
