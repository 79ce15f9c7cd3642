from django.urls import path

from leads.pages import lead_list as views

app_name = "leads"
urlpatterns = [
    path("", views.lead_list, name="list"),
]
