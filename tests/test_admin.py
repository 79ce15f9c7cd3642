"""Django admin is usable by the Admin role for every model of the core."""

import pytest
from django.contrib import admin
from django.test import Client

from leads.models import Lead
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


def test_an_admin_opens_every_core_model_in_django_admin(client: Client, admin_user) -> None:
    lead_in("sql")
    client.force_login(admin_user)

    for model in admin.site._registry:
        if model._meta.app_label != "leads":
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
    lead = Lead.objects.get()
    assert client.get(f"/admin/leads/lead/{lead.pk}/change/").status_code == 200


def test_a_marketer_cannot_open_django_admin(client: Client, marketer) -> None:
    client.force_login(marketer)

    assert client.get("/admin/leads/lead/").status_code == 302
