"""Property-based tests of every public input: whatever arrives, the answer is 2xx or 4xx,
never 5xx; good items in a batch are kept; and after any accepted event the drain still
scores (one event must never stop scoring for everybody)."""

import base64
import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from scoring import pending
from scoring.models import TrackingSite, WebForm

pytestmark = pytest.mark.django_db

# Function-scoped fixtures (the database, keys) are shared by a test's examples on purpose:
# each example adds rows; none may break the next.
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that has broken us before: NUL, lone surrogates, huge numbers, odd dates.
KNOWN_BAD = [
    "\x00", "\ud800", "0001-01-01T00:00:00+14:00", "2026-02-30T10:00:00Z", "1900-01-01T00:00:00Z",
    "9999-12-31T23:59:59-14:00", "T25:00", "+99:00", "a" * 300 + "@b.example", "[" * 50, "{", "NaN",
]  # fmt: skip
nasty_text = st.one_of(st.text(max_size=40), st.sampled_from(KNOWN_BAD))
# A URL cannot carry half a surrogate pair (it is not UTF-8): query strings get the rest.
query_text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    st.sampled_from([text for text in KNOWN_BAD if text != "\ud800"]),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), nasty_text,
)  # fmt: skip
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
event_keys = ["id", "type", "occurred_at", "lead_id", "email", "lead_external_id",
              "properties", "lead"]  # fmt: skip
events = st.dictionaries(
    st.sampled_from(event_keys), st.one_of(json_values, st.sampled_from(["page_view"])),
    max_size=6,
)  # fmt: skip


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True)  # lone surrogates become valid JSON escapes


@pytest.fixture
def sender(source_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {source_key}")
    return client


@PROPERTY
@given(batch=st.lists(st.one_of(events, json_values), max_size=5))
def test_any_event_batch_is_answered_4xx_or_kept_item_by_item(sender, batch) -> None:
    good = {"type": "page_view", "email": "good@example.com"}

    response = sender.post("/api/events/", dumps([*batch, good]), content_type="application/json")

    assert response.status_code < 500, response.content[:300]
    if response.status_code == 200:
        results = response.json()["results"]
        assert len(results) == len(batch) + 1
        assert results[-1]["status"] in ("created", "duplicate")


@pytest.mark.needs_postgres
@PROPERTY
@given(event=events)
def test_after_any_accepted_event_the_drain_still_scores(sender, event) -> None:
    body = (
        dumps([{**event, "email": "drain@example.com"}])
        if "lead_id" not in event
        else dumps([event])
    )
    sender.post("/api/events/", body, content_type="application/json")

    pending.drain()  # raises if one stored event can stop the drain

    next_event = {"type": "demo_request", "email": "next@example.com"}
    response = sender.post("/api/events/", dumps([next_event]), content_type="application/json")
    assert response.status_code == 200
    pending.drain()


@PROPERTY
@given(body=json_values)
def test_any_web_form_post_is_answered_4xx_or_stored(client: Client, active_model, body) -> None:
    form = WebForm.objects.get_or_create(
        name="Property", defaults={"fields": [{"name": "email", "label": "Email",
                                               "maps_to": "email", "required": True}]},
    )[0]  # fmt: skip
    response = client.post(f"/f/{form.key}/", dumps(body), content_type="application/json")
    assert response.status_code < 500


@PROPERTY
@given(body=json_values)
def test_any_page_view_is_answered_4xx_or_stored(client: Client, active_model, body) -> None:
    site = TrackingSite.objects.get_or_create(name="www")[0]
    if isinstance(body, dict):
        body = {"site": site.key, **body}
    response = client.post("/t/collect/", dumps(body), content_type="text/plain",
                           HTTP_USER_AGENT="Mozilla/5.0")  # fmt: skip
    assert response.status_code < 500


@PROPERTY
@given(cursor=st.one_of(query_text, json_values.map(
    lambda value: base64.urlsafe_b64encode(dumps(value).encode()).decode())))  # fmt: skip
def test_any_cursor_is_a_400_or_a_page(admin_user, cursor: str) -> None:
    client = APIClient()
    client.force_authenticate(admin_user)
    for ordering in ("-created_at", "-fit"):
        response = client.get("/api/leads/", {"cursor": cursor, "ordering": ordering})
        assert response.status_code in (200, 400)


@PROPERTY
@given(start=query_text, end=query_text, owner=query_text)
def test_any_report_parameters_are_a_400_or_a_report(admin_user, start, end, owner) -> None:
    client = APIClient()
    client.force_authenticate(admin_user)
    for report in ("stage-counts", "sla", "cost"):
        response = client.get(f"/api/reports/{report}/", {"start": start, "end": end,
                                                           "owner": owner})  # fmt: skip
        assert response.status_code in (200, 400, 403), (report, response.content[:200])
