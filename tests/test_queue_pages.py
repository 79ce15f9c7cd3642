"""The marketer's queue says what it shows: no match versus no MQLs at all, a filter it
could not read, and a bulk action's successes and failures apart, per lead, with the
selection kept."""

import re

import pytest
from django.test import Client

from handoff.handoffs import send_to_sales
from leads.models import Lead
from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db

NO_MQLS = "No MQLs yet — connect a form or import a CSV."
NO_MATCH = "No MQLs match these filters."


def checked_ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="lead" value="(\d+)" form="bulk" checked', html)}


def test_an_empty_queue_says_how_to_get_mqls(client: Client, marketer, handoff_defaults) -> None:
    client.force_login(marketer)

    html = client.get("/queue/").content.decode()

    assert NO_MQLS in html
    assert NO_MATCH not in html


def test_a_search_that_matches_nothing_says_so_and_offers_to_clear(
    client: Client, marketer, handoff_defaults
) -> None:
    lead_in(Stage.MQL, first_name="Webby", source="webinar")
    client.force_login(marketer)

    html = client.get("/queue/?q=nobody-here&ordering=-intent").content.decode()

    assert NO_MATCH in html
    assert NO_MQLS not in html
    assert 'href="/queue/?ordering=-intent">Clear filters' in html
    assert "Webby" in client.get("/queue/?ordering=-intent").content.decode()


def test_a_filter_that_cannot_be_read_is_marked_and_keeps_what_was_typed(
    client: Client, marketer, handoff_defaults
) -> None:
    lead_in(Stage.MQL, first_name="Webby")
    client.force_login(marketer)

    response = client.get("/queue/?fit_min=abc&source=web")
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["leads"] == []
    assert 'id="fit_min-error">Enter a number.</span>' in html
    assert 'name="fit_min" value="abc"' in html
    assert 'aria-invalid="true" aria-describedby="fit_min-error"' in html
    assert 'name="source" value="web"' in html
    assert 'role="alert" id="filter-errors"' in html
    assert NO_MQLS not in html
    assert NO_MATCH not in html


def test_a_filter_the_bar_does_not_show_is_named_in_the_alert(
    client: Client, marketer, handoff_defaults
) -> None:
    lead_in(Stage.MQL)
    client.force_login(marketer)

    html = client.get("/queue/?intent_max=lots").content.decode()

    assert "intent_max: Enter a number." in html


def test_the_leads_list_marks_a_filter_it_cannot_read(client: Client, marketer) -> None:
    lead_in(Stage.MQL, first_name="Webby")
    client.force_login(marketer)

    bad = client.get("/leads/?fit_min=abc")
    none = client.get("/leads/?q=nobody-here").content.decode()

    assert bad.context["leads"] == []
    assert "fit_min: Enter a number." in bad.content.decode()
    assert "No leads match these filters." in none


def test_bulk_nurture_without_a_reason_moves_nothing_and_keeps_the_selection(
    client: Client, marketer, handoff_defaults
) -> None:
    first, second = lead_in(Stage.MQL), lead_in(Stage.MQL)
    client.force_login(marketer)

    html = client.post(
        "/queue/send/", {"lead": [first.pk, second.pk], "action": "nurture"}, follow=True
    ).content.decode()

    assert set(Lead.objects.values_list("stage", flat=True)) == {Stage.MQL}
    assert checked_ids(html) == {first.pk, second.pk}
    assert 'id="bulk-reason-error">Say why: moving leads out of the queue needs a reason.' in html
    assert re.search(r'class="message error" role="alert">\s*<p>Nothing was moved', html)
    assert '<option value="nurture" selected>' in html
    assert "2 selected" in html
    # Shown once: the next visit is a clean queue.
    assert checked_ids(client.get("/queue/").content.decode()) == set()


def test_bulk_failures_are_errors_per_lead_apart_from_the_successes(
    client: Client, marketer, rep, handoff_defaults
) -> None:
    ok = lead_in(Stage.MQL, first_name="Olga", email="olga@x.example")
    moved = lead_in(Stage.MQL, first_name="Mateo", last_name="Gil", email="mateo@x.example")
    lead_in(Stage.MQL, first_name="Stays")  # so the queue still has its bulk bar
    client.force_login(marketer)
    Lead.objects.filter(pk=moved.pk).update(stage=Stage.SAL)  # someone moved it meanwhile

    html = client.post(
        "/queue/send/",
        {"lead": [ok.pk, moved.pk], "action": "nurture", "reason": "Next year"},
        follow=True,
    ).content.decode()

    assert Lead.objects.get(pk=ok.pk).stage == Stage.NURTURE
    success = re.search(r'class="message success" role="status">([^<]*)<', html)
    assert success
    assert success.group(1) == "1 lead moved to nurture."
    failure = html[html.index('class="message error" role="alert"') :]
    assert "1 lead could not be moved to nurture:" in failure
    assert f'<a href="/leads/{moved.pk}/">Mateo Gil</a> — This lead is now SAL, not MQL' in failure
    assert "reason:" not in failure
    assert "&lt;" not in failure
    assert 'value="Next year"' in html


def test_a_lead_already_with_sales_is_a_readable_failure(
    client: Client, marketer, sales_floor
) -> None:
    lead = lead_in(Stage.MQL, first_name="Wanda", email="wanda@x.example")
    send_to_sales(lead, actor=marketer)
    client.force_login(marketer)

    html = client.post("/queue/send/", {"lead": [lead.pk]}, follow=True).content.decode()

    assert "1 lead could not be sent to sales:" in html
    assert "Wanda" in html
    assert "already waiting for a rep" in html
    assert 'class="message success"' not in html


def test_the_bulk_bar_names_the_count_it_will_touch(
    client: Client, marketer, handoff_defaults
) -> None:
    lead_in(Stage.MQL)
    client.force_login(marketer)

    html = client.get("/queue/").content.decode()

    assert 'id="bulk-count" aria-live="polite">0 selected' in html
    assert 'data-label-nurture="Move {n} to nurture"' in html
    assert 'data-confirm-many="Disqualify {n} leads?' in html
    assert "js/bulk.js" in html


def test_leads_others_may_not_see_are_not_touched_by_bulk(
    client: Client, marketer, rep, handoff_defaults
) -> None:
    """A marketer sees every lead today; the bulk view still only acts through
    visible_leads, so an id outside it does nothing and says nothing."""
    client.force_login(marketer)

    html = client.post(
        "/queue/send/", {"lead": ["999999"], "action": "nurture", "reason": "x"}, follow=True
    ).content.decode()

    assert 'class="message success"' not in html
    assert 'class="message error"' not in html


def test_sending_one_lead_that_is_already_with_sales_answers_an_error_in_place(
    client: Client, marketer, sales_floor
) -> None:
    lead = lead_in(Stage.MQL, first_name="Wanda")
    send_to_sales(lead, actor=marketer)
    client.force_login(marketer)

    again = client.post(f"/queue/{lead.pk}/send/", HTTP_HX_REQUEST="true").content.decode()

    assert again.startswith('<span role="alert" class="form-error">')
    assert "already waiting for a rep" in again
