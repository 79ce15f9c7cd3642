"""A marketer imports a CSV with some bad rows in the browser: the good rows are
imported by a real Celery worker, the bad ones are listed and offered as a report."""

import pytest
from playwright.sync_api import expect

from leads.models import Lead
from tests.browser.test_handoff_flow import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CSV = (
    "Email,First name,Last name,Company\n"
    "lucia@northwind.example,Lucía,Serrano,Northwind\n"
    "broken-address,Pablo,Ortiz,Northwind\n"
    "marc@northwind.example,Marc,Vila,Northwind\n"
    ",Nadie,Sin correo,Northwind\n"
).encode()


def test_a_csv_with_bad_rows_imports_the_good_ones_and_offers_the_report(
    live_server, page, console_errors, screenshot, marketer, active_model, celery_worker
) -> None:
    log_in(page, live_server.url, "marketer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Capture").click()
    page.get_by_label("CSV file (up to 25 MB)").set_input_files(
        {"name": "northwind.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Upload and map columns").click()

    page.get_by_role("heading", name="Map columns").wait_for()
    expect(page.get_by_label("Email")).to_have_value("email")  # guessed from the header
    expect(page.get_by_label("Last name")).to_have_value("last_name")
    screenshot("mapping")
    page.get_by_role("button", name="Start the import").click()

    status = page.get_by_role("status").filter(has_text="Done:")
    expect(status).to_contain_text("2 created", timeout=30_000)
    expect(status).to_contain_text("2 rows with problems")
    expect(page.get_by_role("link", name="Download the error report (CSV)")).to_be_visible()
    bad_row = page.get_by_role("row").filter(has_text="broken-address")
    expect(bad_row).to_contain_text("Not a valid email address.")
    expect(bad_row).to_contain_text("Pablo")  # the row's own values, to fix it by
    screenshot("done")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the error report (CSV)").click()
    report = download.value.path().read_text()
    assert report.count("\n") == 3  # the header and the two bad rows
    assert "broken-address,Pablo,Ortiz,Northwind" in report
    assert set(Lead.objects.values_list("email", flat=True)) >= {
        "lucia@northwind.example", "marc@northwind.example"}  # fmt: skip
