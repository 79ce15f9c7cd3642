"""Re-scoring after activation really runs in the background, on a Celery worker."""

import pytest
from rest_framework.test import APIClient

from leads.models import Lead
from scoring.models import Event, LeadScore
from tests.factories import CompanyFactory, LeadFactory
from tests.waiting import wait_until


@pytest.mark.needs_redis
def test_activating_a_draft_rescores_every_lead_on_the_worker(
    celery_worker, active_model, admin_user
) -> None:
    company = CompanyFactory(industry="Retail")
    leads = [LeadFactory(company=company) for _ in range(12)]
    for lead in leads:
        Event.objects.create(lead=lead, type="demo_request", source="web",
                             occurred_at=lead.created_at)  # fmt: skip
    client = APIClient()
    client.force_authenticate(admin_user)
    draft = client.post(f"/api/scoring-models/{active_model.pk}/copy/").json()
    client.patch(
        f"/api/scoring-models/{draft['id']}/",
        {"fit_rules": [{"attribute": "company.industry", "operator": "equals",
                        "value": "retail", "points": 45, "label": "Retail"}]},
        format="json",
    )  # fmt: skip

    job = client.post(f"/api/scoring-models/{draft['id']}/activate/").json()

    done = wait_until(
        lambda: (
            (body := client.get(f"/api/rescore-jobs/{job['id']}/").json())["status"] == "done"
            and body
        ),
        timeout=30,
    )
    assert (done["done"], done["total"], done["percent"]) == (12, 12, 100)
    assert set(LeadScore.objects.values_list("model_version", flat=True)) == {draft["version"]}
    assert set(Lead.objects.values_list("fit", flat=True)) == {50}  # 45 of 90 points
