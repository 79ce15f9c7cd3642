"""Leads out: the filtered list as CSV or JSON, one lead's record, formulas neutralised."""

import csv
import io
import json

import pytest
from rest_framework.test import APIClient

from leads.stages import Stage
from tests.factories import LeadFactory, lead_in

pytestmark = pytest.mark.django_db


def streamed(response) -> str:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content).decode()


def test_the_filtered_list_exports_as_csv_with_formulas_neutralised(marketer) -> None:
    LeadFactory(email="evil@x.example", first_name='=HYPERLINK("http://bad")', source="web")
    LeadFactory(email="other@x.example", source="import")
    client = APIClient()
    client.force_authenticate(marketer)

    response = client.get("/api/leads/export/?source=web")

    rows = list(csv.DictReader(io.StringIO(streamed(response))))
    assert response["Content-Type"].startswith("text/csv")
    assert [row["email"] for row in rows] == ["evil@x.example"]
    assert rows[0]["first_name"] == '\'=HYPERLINK("http://bad")'


def test_the_export_is_scoped_to_what_the_user_may_see(rep, other_rep) -> None:
    lead_in(Stage.SAL, owner=rep, email="mine@x.example")
    lead_in(Stage.SAL, owner=other_rep, email="theirs@x.example")
    client = APIClient()
    client.force_authenticate(rep)

    body = json.loads(streamed(client.get("/api/leads/export/?as=json")))

    assert [row["email"] for row in body] == ["mine@x.example"]


def test_one_leads_whole_record_exports_as_json(marketer) -> None:
    lead = lead_in(Stage.MQL, email="one@x.example", attributes={"seniority": "vp"})
    client = APIClient()
    client.force_authenticate(marketer)

    record = client.get(f"/api/leads/{lead.pk}/export/").json()

    assert record["email"] == "one@x.example"
    assert record["attributes"] == {"seniority": "vp"}
    assert [h["to_stage"] for h in record["history"]] == ["lead", "mql"]


def test_one_lead_exports_as_a_csv_row(marketer) -> None:
    lead = lead_in(Stage.MQL, email="row@x.example", title="@SUM(A1)")
    client = APIClient()
    client.force_authenticate(marketer)

    response = client.get(f"/api/leads/{lead.pk}/export/?as=csv")

    (row,) = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert (row["email"], row["title"], row["stage"]) == ("row@x.example", "'@SUM(A1)", "mql")
