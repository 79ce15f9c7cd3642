"""An admin changes the scoring criteria in the browser: edit a rule in a draft, preview,
activate, watch the re-scoring finish (on a real Celery worker), and see the lead's new
score and its explanation."""

import pytest
from playwright.sync_api import expect

from leads.models import Lead
from tests.browser.test_handoff_flow import log_in
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_admin_edits_previews_and_activates_and_the_score_changes(
    live_server, page, console_errors, screenshot, admin_user, active_model, celery_worker
) -> None:
    lead = LeadFactory(email="ana@bigcorp.example", first_name="Ana", last_name="Ruiz")
    fit_before = Lead.objects.get(pk=lead.pk).fit or 0

    log_in(page, live_server.url, "admin")
    page.get_by_role("heading", name="Scoring").wait_for()
    page.get_by_role("button", name="Copy into a new draft").first.click()
    page.get_by_role("heading", name="Fit rules").wait_for()

    blank = page.locator("table.rules").first.locator("tbody tr").last
    blank.get_by_label("Attribute").fill("email")
    blank.get_by_label("Operator").select_option("ends_with")
    blank.get_by_label("Value").fill("@bigcorp.example")
    blank.get_by_label("Points").fill("40")
    blank.get_by_label("Label").fill("Big Corp domain")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved")).to_be_visible()

    page.get_by_role("button", name="Preview changes").click()
    expect(page.get_by_text("Would become MQL")).to_be_visible()
    screenshot("preview")

    page.get_by_role("link", name="Activate and re-score every lead").click()
    expect(page.locator("#activation-summary")).to_contain_text("would become MQL")
    page.get_by_role("button", name="and re-score every lead").click()
    expect(page.get_by_role("status").filter(has_text="Done:")).to_be_visible(timeout=30_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    screenshot("rescored")

    page.goto(f"{live_server.url}/leads/{lead.pk}/")
    expect(page.get_by_text("Big Corp domain")).to_be_visible()
    assert Lead.objects.get(pk=lead.pk).fit > fit_before
