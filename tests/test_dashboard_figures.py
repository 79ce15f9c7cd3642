"""Figures that sit side by side agree: SLA compliance and breaches come from one count, the
scoring preview's "would become MQL" is the MQL before → after difference, chart labels
keep their beginning, and a period that cannot be read is said, not silently replaced."""

import re
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from handoff.metrics import sla
from handoff.models import Handoff
from leadflow.charts import bars, short_label
from leads.reports.periods import read_period
from leads.stages import Stage
from scoring.criteria import active_spec, spec_for
from scoring.preview import preview
from scoring.versions import copy_to_draft
from tests.factories import LeadFactory, lead_in

pytestmark = pytest.mark.django_db


def handoff(rep, *, status: str, answered_after_min: float | None, due: bool = True) -> Handoff:
    now = timezone.now() - timedelta(hours=1)
    return Handoff.objects.create(
        lead=LeadFactory(),
        rep=rep,
        status=status,
        created_at=now,
        qualified_at=now,
        alerted_at=now,
        due_at=now + timedelta(minutes=5) if due else None,
        answered_at=None
        if answered_after_min is None
        else now + timedelta(minutes=answered_after_min),
    )


def window() -> tuple:
    now = timezone.now()
    return now - timedelta(days=1), now + timedelta(minutes=1)


def test_no_answered_handoff_is_no_data_not_zero_percent(
    client: Client, manager, rep, handoff_defaults
) -> None:
    handoff(rep, status="pending", answered_after_min=None)
    handoff(rep, status="accepted", answered_after_min=3, due=False)  # no SLA clock ran

    figures = sla(*window())
    client.force_login(manager)
    html = client.get("/dashboard/").content.decode()

    assert (figures["compliance"], figures["breaches"]) == (None, 0)
    assert re.search(r'id="sla-compliance"><span title="[^"]+">—</span>', html)
    assert "No data: no handoff was answered or breached in this period." in html
    assert 'id="sla-breaches">0<' in html


def test_a_late_answer_is_a_breach_so_compliance_and_breaches_agree(
    client: Client, manager, rep, handoff_defaults
) -> None:
    handoff(rep, status="accepted", answered_after_min=2)
    handoff(rep, status="accepted", answered_after_min=9)  # late
    handoff(rep, status="expired", answered_after_min=None)

    figures = sla(*window())
    client.force_login(manager)
    html = client.get("/dashboard/").content.decode()

    assert (figures["answered_in_time"], figures["breaches"]) == (1, 2)
    assert figures["compliance"] == round(1 / 3, 4)
    assert figures["per_rep"][rep.username]["breaches"] == 2
    assert 'id="sla-compliance">33%' in html
    assert 'id="sla-breaches">2<' in html
    assert "1 of 3 in time" in html


def test_a_chart_label_is_cut_at_its_end_never_its_start() -> None:
    long = "Google Ads — Spring launch in Madrid and Barcelona"

    short = short_label(long)

    assert short.startswith("Google Ads")
    assert short.endswith("…")
    assert len(short) <= 20
    assert short_label("LinkedIn") == "LinkedIn"


def test_the_dashboard_chart_shows_the_whole_label_on_hover(rf: RequestFactory) -> None:
    from django.template.loader import render_to_string

    chart = bars([("Google Ads — Spring launch in Madrid", 120.0)])
    svg = render_to_string("dashboard/_bars.html", {"chart": chart, "title": "Cost"})

    assert "<title>Google Ads — Spring launch in Madrid</title>Google Ads — Spring…" in svg
    assert 'text-anchor="end"' not in svg


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("start=2026-11-20&end=2026-11-02", "start", "The start (20/11/2026) is after the end"),
        ("start=yesterday&end=2026-11-02", "start", "“yesterday” is not a date"),
        ("start=2026-02-30&end=2026-03-02", "start", "“2026-02-30” is not a date"),
        ("start=2026-11-02", "end", "Give the last day too"),
        ("days=45", "days", "Choose one of the periods"),
    ],
)
def test_a_period_that_cannot_be_read_says_why(
    rf: RequestFactory, query: str, field: str, message: str
) -> None:
    from django.utils import translation

    with translation.override("en-gb"):
        found = read_period(rf.get(f"/dashboard/?{query}").GET)

    assert found.chosen == "30"
    assert any(error.startswith(message) for error in found.errors[field])


def test_the_dashboard_marks_reversed_dates_and_keeps_them(
    client: Client, manager, handoff_defaults
) -> None:
    client.force_login(manager)

    html = client.get("/dashboard/?start=2026-11-20&end=2026-11-02").content.decode()

    assert 'role="alert" id="period-errors"' in html
    assert 'id="start-error">The start' in html
    assert 'name="start" value="2026-11-20" aria-invalid="true"' in html
    assert 'name="end" value="2026-11-02"' in html
    assert "Showing “Last 30 days” instead." in html


def test_good_dates_are_shown_without_an_error(client: Client, manager, handoff_defaults) -> None:
    client.force_login(manager)

    html = client.get("/dashboard/?start=2026-11-02&end=2026-11-20").content.decode()

    assert "period-errors" not in html
    assert 'name="start" value="2026-11-02"' in html


@pytest.fixture
def lenient_draft(active_model, admin_user):  # type: ignore[no-untyped-def]
    """A draft under which every lead qualifies."""
    draft = copy_to_draft(active_model, actor=admin_user)
    draft.mql_fit = draft.mql_intent = 0
    draft.save()
    return draft


def test_the_preview_counts_what_activation_would_do(lenient_draft) -> None:
    waiting = [LeadFactory(email=f"w{i}@x.example") for i in range(3)]
    lead_in(Stage.MQL, email="already@x.example")
    lead_in(Stage.NURTURE, email="nurtured@x.example")  # qualifies, but is not promoted

    result = preview(spec_for(lenient_draft), active_spec())

    assert result["would_become_mql"] == 3
    assert (result["mql_now"], result["mql_after"]) == (1, 4)
    changed = {lead["id"]: lead["stage"] for lead in result["sample"]}
    assert {pk for pk, stage in changed.items() if stage["draft"] != stage["active"]} == {
        lead.pk for lead in waiting
    }


def test_the_preview_page_lists_the_leads_that_would_change(
    client: Client, admin_user, lenient_draft
) -> None:
    lead = LeadFactory(email="ana@bigcorp.example", first_name="Ana", last_name="Ruiz")
    client.force_login(admin_user)

    html = client.get(
        f"/settings/scoring/{lenient_draft.pk}/preview/", HTTP_HX_REQUEST="true"
    ).content.decode()

    assert 'id="would-become-mql">1<' in html
    assert '<span id="mql-now">0</span> → <span id="mql-after">1</span>' in html
    assert f'<a href="/leads/{lead.pk}/">Ana Ruiz</a>' in html
    assert (
        '<span class="badge stage-lead">Lead</span> → <span class="badge stage-mql">MQL</span>'
        in (html)
    )


def test_activating_asks_first_saying_how_many_leads_change(
    client: Client, admin_user, lenient_draft
) -> None:
    LeadFactory(email="ana@bigcorp.example")
    client.force_login(admin_user)
    url = f"/settings/scoring/{lenient_draft.pk}/activate/"

    asked = client.get(url).content.decode()
    lenient_draft.refresh_from_db()

    assert "1 lead would become MQL (MQLs 0 → 1)." in asked
    assert f'action="{url}"' in asked
    assert lenient_draft.status == "draft"  # nothing happens until the POST
