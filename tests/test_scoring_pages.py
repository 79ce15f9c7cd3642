"""The admin's scoring pages: edit a draft (with the API's validation), preview it,
activate it and follow the re-scoring; other roles get 403."""

import pytest
from django.urls import reverse

from scoring.models import FitRule, RescoreJob, ScoringModel
from scoring.versions import copy_to_draft
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(active_model, admin_user):  # type: ignore[no-untyped-def]
    return copy_to_draft(active_model, actor=admin_user)


def form_data(client, draft) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What the page's form posts as it stands (the browser's view of it)."""
    response = client.get(reverse("scoring-edit", args=[draft.pk]))
    data: dict[str, str] = {}
    for form in (response.context["settings_form"],):
        for name in form.fields:
            value = form[name].value()
            if value not in (None, False):
                data[name] = "on" if value is True else str(value)
    for prefix in ("fit", "intent"):
        formset = response.context[prefix]
        for name, value in formset.management_form.initial.items():
            data[f"{prefix}-{name}"] = str(value)
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value not in (None, False, ""):
                    data[form.add_prefix(name)] = str(value)
    return data


def test_an_admin_adds_a_fit_rule_to_a_draft(client, admin_user, draft) -> None:
    client.force_login(admin_user)
    data = form_data(client, draft)
    extra = int(data["fit-TOTAL_FORMS"]) - 1  # the blank row
    data.update({f"fit-{extra}-attribute": "company.industry", f"fit-{extra}-operator": "in",
                 f"fit-{extra}-value": "Software, Fintech", f"fit-{extra}-points": "15",
                 f"fit-{extra}-label": "Target industries"})  # fmt: skip

    response = client.post(reverse("scoring-edit", args=[draft.pk]), data)

    assert response.status_code == 302
    rule = FitRule.objects.get(model=draft, label="Target industries")
    assert (rule.operator, rule.value, rule.points) == ("in", ["Software", "Fintech"], 15)
    assert draft.fit_rules.count() == FitRule.objects.filter(model__status="active").count() + 1


def test_a_bad_rule_is_shown_in_place_and_nothing_is_saved(client, admin_user, draft) -> None:
    client.force_login(admin_user)
    data = form_data(client, draft)
    before = draft.fit_rules.count()
    data["fit-0-operator"], data["fit-0-value"] = "gte", "lots"

    response = client.post(reverse("scoring-edit", args=[draft.pk]), data)

    assert response.status_code == 200
    assert "This operator compares numbers." in response.content.decode()
    assert draft.fit_rules.count() == before


def test_the_active_version_is_read_only(client, admin_user, active_model) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("scoring-edit", args=[active_model.pk]))
    assert response.context["editable"] is False
    assert "Copy into a new draft" in response.content.decode()


def test_preview_then_activate_starts_the_re_scoring(client, admin_user, draft) -> None:
    LeadFactory(email="ceo@bigcorp.example")
    client.force_login(admin_user)

    preview = client.get(reverse("scoring-preview", args=[draft.pk]), HTTP_HX_REQUEST="true")
    assert preview.status_code == 200
    assert "Would become MQL" in preview.content.decode()

    response = client.post(reverse("scoring-activate", args=[draft.pk]))
    job = RescoreJob.objects.get(model_version=draft.version)
    assert response.url == reverse("scoring-job", args=[job.pk])
    draft.refresh_from_db()
    assert draft.status == ScoringModel.Status.ACTIVE
    progress = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    # Keeps polling while the job waits, every 5 s while the tab is visible (no storm).
    assert 'hx-trigger="every 5s [!document.hidden]"' in progress
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="load delay:1s"' in page  # the first look a second after opening


@pytest.mark.parametrize("who", ["marketer", "rep", "manager"])
def test_only_admins_edit_scoring(client, request, who, draft) -> None:
    client.force_login(request.getfixturevalue(who))
    for url in (reverse("scoring-home"), reverse("scoring-edit", args=[draft.pk]),
                reverse("scoring-preview", args=[draft.pk])):  # fmt: skip
        assert client.get(url).status_code == 403
    assert client.post(reverse("scoring-activate", args=[draft.pk])).status_code == 403
