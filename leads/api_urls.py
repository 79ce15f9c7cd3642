from rest_framework.routers import DefaultRouter

from leads import api

router = DefaultRouter()
router.register("leads", api.LeadViewSet, basename="lead")
router.register("companies", api.CompanyViewSet, basename="company")
router.register("campaigns", api.CampaignViewSet, basename="campaign")
router.register("teams", api.TeamViewSet, basename="team")
router.register("tokens", api.ApiTokenViewSet, basename="token")

urlpatterns = router.urls
