from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from handoff import views as handoff_views
from leadflow import lead_page, views
from scoring import views as scoring_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("leads/", include("leads.urls")),
    path("leads/<int:pk>/", lead_page.lead_page, name="lead-page"),
    path("api/", include("leads.api_urls")),
    path("api/", include("scoring.api_urls")),
    path("api/", include("handoff.api_urls")),
    path("survey/<str:token>/", handoff_views.survey, name="survey"),
    path("f/<str:key>/", scoring_views.web_form, name="web-form"),
    path("t/collect/", scoring_views.collect, name="track-collect"),
    path("t/click/<str:token>/", scoring_views.tracked_link, name="tracked-link"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
