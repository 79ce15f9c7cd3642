"""The daily pages: each role lands on its work, sees its navigation, and acts in place."""

import pytest
from django.test import Client

from handoff.handoffs import send_to_sales
from handoff.models import Handoff, Notification
from leads.models import Lead
from leads.roles import Role
from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "landing", "nav"),
    [
        ("marketer", "/queue/", ["Queue", "Nurture", "Leads", "Dashboard", "Campaigns",
                                 "Capture"]),
        ("rep", "/inbox/", ["Inbox", "Leads"]),
        ("manager", "/team/", ["Team", "Leads", "Dashboard"]),
        ("admin_user", "/settings/scoring/",
         ["Leads", "Dashboard", "Campaigns", "Capture", "Scoring"]),
    ],
)  # fmt: skip
def test_each_role_lands_on_its_work_with_its_own_navigation(
    request, client: Client, persona: str, landing: str, nav: list[str], handoff_defaults
) -> None:
    client.force_login(request.getfixturevalue(persona))

    assert client.get("/")["Location"] == landing
    items = client.get("/leads/").context["nav_items"]
    assert [str(item["label"]) for item in items] == nav


@pytest.mark.parametrize(
    ("persona", "page"),
    [("rep", "/queue/"), ("marketer", "/inbox/"), ("rep", "/team/"), ("marketer", "/team/")],
)
def test_roles_cannot_open_other_roles_pages(
    request, client: Client, persona: str, page: str
) -> None:
    client.force_login(request.getfixturevalue(persona))

    assert client.get(page).status_code == 403


def test_a_marketer_sends_an_mql_to_sales_from_the_queue_in_place(
    client: Client, marketer, sales_floor
) -> None:
    lead = lead_in(Stage.MQL, first_name="Queued")
    client.force_login(marketer)

    page = client.get("/queue/")
    sent = client.post(f"/queue/{lead.pk}/send/", HTTP_HX_REQUEST="true")

    assert "Queued" in page.content.decode()
    assert sent.status_code == 200
    assert "Sent to" in sent.content.decode()
    assert Handoff.objects.filter(lead=lead, status="pending").exists()


def test_a_rep_accepts_from_the_inbox_in_place(client: Client, marketer, sales_floor) -> None:
    handoff = send_to_sales(lead_in(Stage.MQL, first_name="Inboxed"), actor=marketer)
    client.force_login(handoff.rep)

    page = client.get("/inbox/")
    answer = client.post(f"/inbox/{handoff.pk}/accept/", HTTP_HX_REQUEST="true")

    assert "Inboxed" in page.content.decode()
    assert 'data-due="' in page.content.decode()
    assert "Accepted" in answer.content.decode()
    assert Lead.objects.get(pk=handoff.lead_id).stage == Stage.SAL


def test_a_reject_without_a_reason_says_so_and_changes_nothing(
    client: Client, marketer, sales_floor
) -> None:
    handoff = send_to_sales(lead_in(Stage.MQL), actor=marketer)
    client.force_login(handoff.rep)

    answer = client.post(f"/inbox/{handoff.pk}/reject/", {"reason": ""}, HTTP_HX_REQUEST="true")

    assert "Choose a reason" in answer.content.decode()
    assert Handoff.objects.get(pk=handoff.pk).status == "pending"


def test_the_bell_counts_unread_notifications(client: Client, rep) -> None:
    Notification.objects.create(user=rep, kind="handoff", title="New lead for you")
    client.force_login(rep)

    bell = client.get("/notifications/bell/", HTTP_HX_REQUEST="true")
    client.get("/notifications/")

    assert '<span class="count" aria-live="polite">1</span>' in bell.content.decode()
    assert "count" not in client.get("/notifications/bell/").content.decode()


def test_the_manager_sees_the_teams_waiting_leads(
    client: Client, manager, marketer, sales_floor
) -> None:
    send_to_sales(lead_in(Stage.MQL, first_name="Waiting"), actor=marketer)
    client.force_login(manager)

    page = client.get("/team/")

    assert "Waiting" in page.content.decode()


def test_the_marketer_finds_a_rejected_lead_in_nurture_with_its_reason(
    client: Client, marketer, sales_floor
) -> None:
    from handoff.handoffs import reject

    handoff = send_to_sales(lead_in(Stage.MQL, first_name="Bounced"), actor=marketer)
    reject(handoff, actor=handoff.rep, reason="bad_timing", note="Call back in March")
    client.force_login(marketer)

    page = client.get("/nurture/").content.decode()
    filtered = client.get("/nurture/?reason=No budget").content.decode()

    assert "Bounced" in page
    assert "Bad timing" in page
    assert "Call back in March" in page
    assert "Bounced" not in filtered


def test_the_queue_filters_and_sends_selected_leads_in_bulk(
    client: Client, marketer, sales_floor
) -> None:
    webinar = lead_in(Stage.MQL, first_name="Webby", source="webinar", fit=80, intent=90)
    lead_in(Stage.MQL, first_name="Adsy", source="ads", fit=30, intent=10)
    other = lead_in(Stage.MQL, first_name="Other", source="webinar", fit=70, intent=20)
    client.force_login(marketer)

    by_source = client.get("/queue/?source=webinar").content.decode()
    hot = client.get("/queue/?hot=1").content.decode()
    sent = client.post("/queue/send/", {"lead": [webinar.pk, other.pk]}, follow=True)

    assert "Webby" in by_source
    assert "Adsy" not in by_source
    assert "Webby" in hot
    assert "Other" not in hot
    assert "2 leads sent to sales." in sent.content.decode()
    assert Handoff.objects.filter(lead__in=[webinar, other], status="pending").count() == 2


def test_the_queue_costs_the_same_queries_for_10_or_60_leads(
    client: Client, marketer, handoff_defaults, django_assert_max_num_queries
) -> None:
    client.force_login(marketer)
    for index in range(10):
        lead_in(Stage.MQL, email=f"q{index}@x.example", fit=50)
    with django_assert_max_num_queries(14):
        client.get("/queue/")
    for index in range(50):
        lead_in(Stage.MQL, email=f"r{index}@x.example", fit=60)
    with django_assert_max_num_queries(14):
        assert client.get("/queue/").status_code == 200


def test_the_queue_filters_by_country_industry_and_grade_band(
    client: Client, marketer, handoff_defaults
) -> None:
    from scoring.models import LeadScore
    from tests.factories import CompanyFactory

    madrid = CompanyFactory(country="ES", industry="Software")
    boston = CompanyFactory(country="US", industry="Retail")
    spain = lead_in(Stage.MQL, first_name="Inés", company=madrid)
    usa = lead_in(Stage.MQL, first_name="Jake", company=boston)
    LeadScore.objects.create(lead=spain, model_version=1, grade="A2")
    LeadScore.objects.create(lead=usa, model_version=1, grade="C2")
    client.force_login(marketer)

    def names(query: str) -> set[str]:
        return {lead.first_name for lead in client.get(f"/queue/?{query}").context["leads"]}

    assert names("country=es") == {"Inés"}
    assert names("industry=retail") == {"Jake"}
    assert names("fit_grade=A") == {"Inés"}
    assert names("intent_grade=2") == {"Inés", "Jake"}
    assert names("fit_grade=A&country=US") == set()


def test_bulk_nurture_and_disqualify_need_a_reason_and_record_it(
    client: Client, marketer, handoff_defaults
) -> None:
    first, second = lead_in(Stage.MQL), lead_in(Stage.MQL)
    client.force_login(marketer)

    refused = client.post("/queue/send/", {"lead": [first.pk], "action": "nurture"}, follow=True)
    assert "Say why: moving leads out of the queue needs a reason." in refused.content.decode()
    first.refresh_from_db()
    assert first.stage == Stage.MQL

    client.post("/queue/send/", {"lead": [first.pk], "action": "nurture", "reason": "Next year"})
    client.post("/queue/send/",
                {"lead": [second.pk], "action": "disqualify", "reason": "Student"})  # fmt: skip
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.stage, second.stage) == (Stage.NURTURE, Stage.DISQUALIFIED)
    assert first.history.latest("at").reason == "Next year"
    assert second.history.latest("at").reason == "Student"


def test_a_manager_reassigns_a_waiting_lead_to_one_of_their_reps(
    client: Client, manager, marketer, sales_floor, other_manager
) -> None:
    from handoff.handoffs import send_to_sales
    from leads.models import Team
    from tests.factories import UserFactory

    outsider = UserFactory(username="outsider", role=Role.REP)
    Team.objects.create(name="Other", manager=other_manager).members.add(outsider)
    handoff = send_to_sales(lead_in(Stage.MQL, first_name="Rita"), actor=marketer)
    target = next(r for r in sales_floor["reps"] if r != handoff.rep)
    client.force_login(manager)

    page = client.get("/team/")
    assert outsider not in page.context["reps"]
    refused = client.post(f"/team/{handoff.pk}/reassign/", {"rep": outsider.pk}, follow=True)
    assert "Choose one of your reps." in refused.content.decode()
    client.post(f"/team/{handoff.pk}/reassign/", {"rep": target.pk})

    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.REASSIGNED
    assert Handoff.objects.get(lead=handoff.lead, status="pending").rep == target


def test_the_inbox_shows_what_sals_miss_and_closes_sqls_won_or_lost(
    client: Client, rep, sales_floor
) -> None:
    from handoff.models import QualifyingQuestion

    sal = lead_in(Stage.SAL, owner=rep, first_name="Sal")
    won, lost = lead_in(Stage.SQL, owner=rep), lead_in(Stage.SQL, owner=rep)
    client.force_login(rep)

    page = client.get("/inbox/")
    (row,) = page.context["sals"]
    assert row["lead"] == sal
    required = QualifyingQuestion.objects.filter(active=True, required=True)
    assert len(row["missing"]) == required.count()

    client.post(
        f"/leads/{won.pk}/move/",
        {"to": "customer", "from": "sql", "next": "/inbox/", "deal_value": "12000",
         "closed_at": "2026-11-20"},
    )  # fmt: skip
    moved = client.post(f"/leads/{lost.pk}/move/",
                        {"to": "nurture", "from": "sql", "next": "/inbox/",
                         "reason": "Chose a competitor"})  # fmt: skip
    won.refresh_from_db()
    lost.refresh_from_db()
    assert moved.url == "/inbox/"
    assert (won.stage, won.deal_value) == (Stage.CUSTOMER, 12000)
    assert lost.stage == Stage.NURTURE
    assert lost.history.latest("at").reason == "Chose a competitor"
