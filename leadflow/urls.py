from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from handoff.pages import alerts as alert_pages
from handoff.pages import sales as handoff_pages
from handoff.pages import survey as handoff_views
from handoff.pages import team as team_pages
from leadflow import metrics_view
from leadflow.pages import dashboard, lead_sales, passwords, preferences
from leadflow.pages import lead as lead_page
from leadflow.pages import site as views
from leads.pages import campaigns as campaign_pages
from leads.pages import capture as capture_pages
from scoring.pages import capture as scoring_capture
from scoring.pages import likelihood as likelihood_pages
from scoring.pages import public as scoring_views
from scoring.pages import versions as scoring_pages

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics_view.metrics, name="metrics"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include(passwords)),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("preferences/", preferences.preferences, name="preferences"),
    path("i18n/setlang/", preferences.set_language, name="set_language"),
    path("leads/", include("leads.urls")),
    path("leads/<int:pk>/", lead_page.lead_page, name="lead-page"),
    path("leads/<int:pk>/move/", lead_page.move, name="lead-move"),
    path("leads/<int:pk>/answers/", lead_sales.answer, name="lead-answer"),
    path("leads/<int:pk>/qualify/", lead_sales.qualify_panel, name="lead-qualify-panel"),
    path("leads/<int:pk>/attempts/", lead_sales.log_attempt, name="lead-attempt-page"),
    path("leads/<int:pk>/notes/", lead_page.add_note, name="lead-note"),
    path("leads/<int:pk>/erase/", lead_page.erase, name="lead-erase-page"),
    path("api/", include("leads.api.urls")),
    path("api/", include("scoring.api.urls")),
    path("api/", include("handoff.api.urls")),
    path("survey/<str:token>/", handoff_views.survey, name="survey"),
    path("queue/", handoff_pages.queue, name="queue"),
    path("nurture/", handoff_pages.nurture, name="nurture"),
    path("queue/<int:pk>/send/", handoff_pages.send_to_sales, name="send-to-sales"),
    path("queue/send/", handoff_pages.send_selected, name="send-selected"),
    path("inbox/", handoff_pages.inbox, name="inbox"),
    path("inbox/<int:pk>/accept/", handoff_pages.accept, name="accept"),
    path("inbox/<int:pk>/reject/", handoff_pages.reject, name="reject"),
    path("team/", team_pages.team, name="team"),
    path("team/<int:pk>/reassign/", team_pages.reassign, name="reassign"),
    path("notifications/", alert_pages.notifications, name="notifications"),
    path("notifications/bell/", alert_pages.bell, name="bell"),
    path("notifications/lead/<int:pk>/", alert_pages.alert_lead, name="alert-lead"),
    path("settings/scoring/", scoring_pages.scoring_home, name="scoring-home"),
    path("settings/scoring/<int:pk>/", scoring_pages.edit, name="scoring-edit"),
    path("settings/scoring/<int:pk>/copy/", scoring_pages.new_draft, name="scoring-new-draft"),
    path("settings/scoring/<int:pk>/preview/", scoring_pages.preview_draft, name="scoring-preview"),
    path("settings/scoring/<int:pk>/activate/", scoring_pages.activate, name="scoring-activate"),
    path("settings/scoring/jobs/<int:pk>/", scoring_pages.job, name="scoring-job"),
    path("settings/likelihood/", likelihood_pages.likelihood_home, name="likelihood-home"),
    path("settings/likelihood/features/", likelihood_pages.choose, name="likelihood-choose"),
    path("settings/likelihood/train/", likelihood_pages.train, name="likelihood-train"),
    path(
        "settings/likelihood/<int:pk>/activate/",
        likelihood_pages.activate,
        name="likelihood-activate",
    ),
    path("campaigns/", campaign_pages.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", campaign_pages.campaign, name="campaign"),
    path("campaigns/spend/<int:pk>/delete/", campaign_pages.delete_spend, name="spend-delete"),
    path("capture/import/", capture_pages.import_upload, name="import-upload"),
    path("capture/import/<int:pk>/", capture_pages.import_job, name="import-job"),
    path("capture/import/<int:pk>/map/", capture_pages.import_map, name="import-map"),
    path("capture/import/<int:pk>/errors.csv", capture_pages.import_errors, name="import-errors"),
    path("capture/duplicates/", capture_pages.duplicates, name="duplicates"),
    path("capture/duplicates/merge/", capture_pages.merge, name="merge"),
    path("capture/merges/<int:pk>/undo/", capture_pages.undo_merge, name="undo-merge"),
    path("capture/forms/", scoring_capture.web_forms, name="web-forms"),
    path("capture/forms/new/", scoring_capture.edit_web_form, name="web-form-new"),
    path("capture/forms/<int:pk>/", scoring_capture.edit_web_form, name="web-form-edit"),
    path("capture/tracking/", scoring_capture.tracking_sites, name="tracking-sites"),
    path("f/<str:key>/", scoring_views.web_form, name="web-form"),
    path("t/collect/", scoring_views.collect, name="track-collect"),
    path("t/click/<str:token>/", scoring_views.tracked_link, name="tracked-link"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler400 = "leadflow.pages.site.bad_request"
handler404 = "leadflow.pages.site.not_found"
handler500 = "leadflow.pages.site.server_error"
