"""The sales manager's day (JOURNEYS.md, Javier), through the pages only: he reads his own
teams' waiting leads, reps and SLA figures (never another team's), reassigns a waiting lead
to another of his reps; that rep finds the alert under the bell and in the inbox; the rep
who had it opens his old alert and reads that the lead moved on (no dead page)."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from leads.people import display_name
from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def two_teams(marketer, sales_floor, other_rep, eager_tasks) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The manager's team (rep, rep2, rep3) and another manager's (other_rep): one lead
    waiting in each, and a breach last week in the other team only."""
    from handoff.handoffs import send_to_sales
    from handoff.models import Handoff, Notification, RoutingRule

    ours = send_to_sales(lead_in(Stage.MQL, first_name="Paula", last_name="Vidal"), actor=marketer)
    north = RoutingRule.objects.create(name="North America", order=1, sources=["trade-show"])
    north.pool.add(other_rep)

    def to_the_other_team(first_name: str) -> Any:
        lead = lead_in(Stage.MQL, first_name=first_name, last_name="North", source="trade-show")
        return send_to_sales(lead, actor=marketer)

    theirs = to_the_other_team("Walter")
    late = to_the_other_team("Lorna")
    Handoff.objects.filter(pk=late.pk).update(
        status=Handoff.Status.EXPIRED, created_at=timezone.now() - timedelta(days=2)
    )
    assert (ours.rep, theirs.rep) == (sales_floor["reps"][0], other_rep)
    assert Notification.objects.filter(user=ours.rep, handoff=ours).exists()
    return {"ours": ours, "theirs": theirs, "new_rep": sales_floor["reps"][1]}


def test_a_manager_reassigns_within_his_team_and_nobody_meets_a_dead_link(
    journey, two_teams, sales_floor, other_rep
) -> None:
    page, t = journey.page, journey.t
    old_rep, new_rep = two_teams["ours"].rep, two_teams["new_rep"]

    # Javier reads his team: his reps by name, his waiting lead, his figures only.
    journey.log_in("manager")
    page.get_by_role("heading", name=t("Team queue", "Cola del equipo")).wait_for()
    main = page.get_by_role("main")
    waiting = page.get_by_role("row").filter(has_text="Paula Vidal")
    expect(waiting).to_contain_text(display_name(old_rep))
    per_rep = page.get_by_role(
        "table", name=t("Per rep, last 7 days", "Por comercial, últimos 7 días")
    )
    for rep in sales_floor["reps"]:
        expect(per_rep.get_by_role("cell", name=display_name(rep), exact=True)).to_be_visible()
    expect(main).not_to_contain_text(display_name(other_rep))
    expect(main).not_to_contain_text("Walter North")
    figures = page.locator("dl.kpis")
    expect(
        figures.locator("div").filter(has_text=t("Waiting now", "Pendientes ahora"))
    ).to_contain_text("1")
    expect(
        figures.locator("div").filter(has_text=t("SLA breaches", "Incumplimientos del SLA"))
    ).to_contain_text("0")
    journey.check()

    # He gives Paula to another of his reps.
    waiting.get_by_label(t("Reassign to", "Reasignar a")).select_option(label=display_name(new_rep))
    waiting.get_by_role("button", name=t("Reassign", "Reasignar")).click()
    expect(page.get_by_role("status")).to_contain_text(display_name(new_rep))
    expect(page.get_by_role("row").filter(has_text="Paula Vidal")).to_contain_text(
        display_name(new_rep)
    )
    journey.check()

    # The new rep is alerted: the bell counts it, the inbox lists it, the alert reads well.
    journey.log_in(new_rep.username)
    page.get_by_role("heading", name=t("Inbox", "Bandeja")).wait_for()
    expect(page.locator("#bell .count")).to_have_text("1")
    expect(page.get_by_role("row").filter(has_text="Paula Vidal")).to_be_visible()
    journey.check()
    page.locator("#bell a").click()
    page.get_by_role("heading", name=t("Notifications", "Notificaciones")).wait_for()
    expect(
        page.get_by_text(t("New lead for you: Paula Vidal", "Nuevo lead para ti: Paula Vidal"))
    ).to_be_visible()
    journey.check()

    # The rep who had it opens his old alert: the lead moved on, and he is told to whom.
    journey.log_in(old_rep.username)
    page.get_by_role("heading", name=t("Inbox", "Bandeja")).wait_for()
    journey.visit("/notifications/")
    alert = page.get_by_role("listitem").filter(has_text="Paula Vidal")
    expect(alert).to_contain_text(t("The lead moved on.", "El lead ya no está contigo."))
    journey.check()
    alert.get_by_role("link", name=t("Open the lead", "Abrir el lead")).click()
    page.get_by_role(
        "heading", name=t("This lead moved on", "Este lead ya no está contigo")
    ).wait_for()
    expect(page.get_by_role("main")).to_contain_text(display_name(new_rep))
    journey.check()
    page.get_by_role("link", name=t("Back to notifications", "Volver a las notificaciones")).click()
    page.get_by_role("heading", name=t("Notifications", "Notificaciones")).wait_for()
    journey.check()
