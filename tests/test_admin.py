"""Django admin is usable by the Admin role for every model."""

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import timezone

from leads.models import Lead
from scoring.live import rescore_leads
from scoring.models import Event, LeadScore
from tests.factories import CompanyFactory, lead_in

pytestmark = pytest.mark.django_db


def test_an_admin_opens_every_model_in_django_admin(
    client: Client, admin_user, active_model
) -> None:
    lead_in("sql")
    client.force_login(admin_user)

    for model in admin.site._registry:
        if model._meta.app_label not in {"leads", "scoring", "handoff"}:
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
    lead = Lead.objects.get()
    assert client.get(f"/admin/leads/lead/{lead.pk}/change/").status_code == 200


def test_the_admin_shows_why_a_lead_scores_what_it_does(
    client: Client, admin_user, active_model
) -> None:
    lead = lead_in("lead", company=CompanyFactory(industry="Software"))
    Event.objects.create(lead=lead, type="demo_request", source="web", occurred_at=timezone.now())
    rescore_leads([lead.pk], at=timezone.now())
    client.force_login(admin_user)

    page = client.get(f"/admin/scoring/leadscore/{LeadScore.objects.get().pk}/change/")

    assert page.status_code == 200
    assert "Target industry" in page.content.decode()
    assert "Demo requests" in page.content.decode()


def test_a_marketer_cannot_open_django_admin(client: Client, marketer) -> None:
    client.force_login(marketer)

    assert client.get("/admin/leads/lead/").status_code == 302
