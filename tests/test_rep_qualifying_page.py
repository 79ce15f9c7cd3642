"""The rep qualifies a SAL in the browser: the questions and what is missing on the lead
page and the inbox, answered in place, and the move to SQL once they meet the criteria."""

import pytest
from django.test import Client
from django.utils import translation

from handoff.models import Answer, QualifyingQuestion
from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def good_answers() -> dict[str, str]:
    typed = {"yes_no": "yes", "number": "12", "text": "Slow follow-up", "choice": "This month"}
    return {f"q{q.pk}": typed[q.answer_type] for q in QualifyingQuestion.objects.all()}


def question(answer_type: str) -> QualifyingQuestion:
    return QualifyingQuestion.objects.filter(answer_type=answer_type).first()


def test_a_sals_page_shows_the_questions_their_criteria_and_what_is_missing(
    client: Client, rep, handoff_defaults
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)

    html = client.get(f"/leads/{lead.pk}/").content.decode()

    assert "Is there a budget for this purchase?" in html
    assert "Needs at least 5" in html  # the seats question's criteria
    assert "Still missing for SQL" in html
    assert "Not answered: When do they want to start?" in html
    assert "Move → SQL" not in html


def test_answers_saved_in_place_shrink_what_is_missing(
    client: Client, rep, handoff_defaults
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)
    budget = question("yes_no")

    panel = client.post(f"/leads/{lead.pk}/answers/", {f"q{budget.pk}": "yes"}, **HTMX)

    html = panel.content.decode()
    assert panel.status_code == 200
    assert 'id="qualify-' in html
    assert "<html" not in html  # the panel alone, for htmx
    assert "Answers saved." in html
    assert "Not answered: Is there a budget" not in html
    assert "Not answered: When do they want to start?" in html


def test_when_every_answer_meets_the_criteria_the_page_offers_the_move_to_sql(
    client: Client, rep, handoff_defaults
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)

    panel = client.post(f"/leads/{lead.pk}/answers/", good_answers(), **HTMX).content.decode()
    assert "Still missing for SQL" not in panel
    assert "Move → SQL" in panel

    client.post(f"/leads/{lead.pk}/move/", {"form": "sql", "from": "sal", "to": "sql"})
    lead.refresh_from_db()
    assert lead.stage == Stage.SQL


def test_an_answer_that_misses_the_criteria_is_named(client: Client, rep, handoff_defaults) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)
    answers = good_answers() | {f"q{question('yes_no').pk}": "no"}

    panel = client.post(f"/leads/{lead.pk}/answers/", answers, **HTMX).content.decode()

    assert "Does not meet the criteria: Is there a budget for this purchase?" in panel
    assert "not met" in panel


def test_a_number_answer_is_read_in_spanish_and_a_bad_one_is_kept_with_its_error(
    client: Client, rep, handoff_defaults
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)
    seats = question("number")

    with translation.override("es"):
        client.post(f"/leads/{lead.pk}/answers/", {f"q{seats.pk}": "7,5"}, **HTMX,
                    HTTP_ACCEPT_LANGUAGE="es")  # fmt: skip
        assert Answer.objects.get(lead=lead, question=seats).value == 7.5
        refused = client.post(
            f"/leads/{lead.pk}/answers/", {f"q{seats.pk}": "siete"}, **HTMX,
            HTTP_ACCEPT_LANGUAGE="es",
        )  # fmt: skip

    html = refused.content.decode()
    assert 'value="siete"' in html
    assert "12.500,50" in html  # the error shows how to write a number
    assert Answer.objects.get(lead=lead, question=seats).value == 7.5  # nothing half-written


def test_a_refused_move_to_sql_keeps_the_typed_reason_and_shows_what_is_missing(
    client: Client, rep, handoff_defaults
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)

    refused = client.post(
        f"/leads/{lead.pk}/move/",
        {"form": "move", "from": "sal", "to": "sql", "reason": "Call went well"},
    )

    html = refused.content.decode()
    assert refused.status_code == 400
    assert "Not yet an SQL." in html
    assert 'value="Call went well"' in html
    assert "Still missing for SQL" in html
    lead.refresh_from_db()
    assert lead.stage == Stage.SAL


def test_the_inbox_opens_a_sals_questions_in_place(client: Client, rep, handoff_defaults) -> None:
    lead = lead_in(Stage.SAL, owner=rep, first_name="Irene", last_name="Soto")
    client.force_login(rep)

    inbox = client.get("/inbox/").content.decode()
    panel = client.get(f"/leads/{lead.pk}/qualify/", **HTMX).content.decode()

    assert "Irene Soto" in inbox
    assert "Not answered: Is there a budget for this purchase?" in inbox
    assert f'hx-get="/leads/{lead.pk}/qualify/"' in inbox
    assert "Is the contact the decision-maker" in panel
    assert "Save answers" in panel


def test_another_reps_sal_cannot_be_answered(client: Client, rep, other_rep, handoff_defaults):
    lead = lead_in(Stage.SAL, owner=other_rep)
    client.force_login(rep)

    assert client.post(f"/leads/{lead.pk}/answers/", good_answers()).status_code == 404
    assert client.get(f"/leads/{lead.pk}/qualify/").status_code == 404
    assert not Answer.objects.filter(lead=lead).exists()


def test_a_marketer_reads_the_answers_but_has_no_form(
    client: Client, rep, marketer, handoff_defaults
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(marketer)

    html = client.get(f"/leads/{lead.pk}/").content.decode()

    assert "Is there a budget for this purchase?" in html
    assert "Save answers" not in html
    assert client.post(f"/leads/{lead.pk}/answers/", good_answers()).status_code == 403


def test_without_htmx_a_refused_answer_shows_the_page_with_what_was_typed(
    client: Client, rep, handoff_defaults
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)
    seats, budget = question("number"), question("yes_no")

    refused = client.post(f"/leads/{lead.pk}/answers/", {f"q{seats.pk}": "a dozen",
                                                         f"q{budget.pk}": "yes"})  # fmt: skip
    saved = client.post(f"/leads/{lead.pk}/answers/", {f"q{budget.pk}": "yes"})

    assert refused.status_code == 400
    assert 'value="a dozen"' in refused.content.decode()
    assert "Write a number such as 12,500.50." in refused.content.decode()
    assert saved.status_code == 302
    assert Answer.objects.filter(lead=lead).count() == 1  # the refused form wrote nothing


def test_a_choice_that_is_not_offered_is_refused_with_the_choices_in_spanish(
    client: Client, rep, handoff_defaults
) -> None:
    lead = lead_in(Stage.SAL, owner=rep)
    client.force_login(rep)
    timeline = question("choice")

    panel = client.post(f"/leads/{lead.pk}/answers/", {f"q{timeline.pk}": "Next decade"},
                        HTTP_ACCEPT_LANGUAGE="es", **HTMX).content.decode()  # fmt: skip

    assert "Elige una de estas opciones: Este mes, Este trimestre" in panel
    assert not Answer.objects.filter(lead=lead).exists()
