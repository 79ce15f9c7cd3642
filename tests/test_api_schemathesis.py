"""Hostile input against the whole API: schemathesis generates requests for every operation
in the OpenAPI schema (valid and invalid bodies, query strings and path ids) and sends them
as an admin, with every check schemathesis has (``--checks all``): no 5xx, every answer's
status, content type, headers and body as documented, invalid input refused, valid input
accepted, authentication not ignored, unsupported methods answered 405.

Valid input may still be refused for a reason no OpenAPI schema can state — a reference to
a row that does not exist, a value that must be unique, an opaque page cursor made up by
the generator, an events batch without a source, a period that ends before it starts, an
import's column mapping (JSON inside a form field) — and only for those reasons
(``within_the_schema``).

Each generated case is sent twice: with the id schemathesis made up (almost always a 404)
and with the id of a real row of that resource, so that updates, actions and deletes run
their validation on existing data too."""

import os

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from knox.models import AuthToken
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

import handoff.api.urls
import leads.api.urls
import scoring.api.urls
from demo.leads import seed_demo
from leadflow.wsgi import application

pytestmark = [pytest.mark.django_db, pytest.mark.needs_postgres]

# Valid and invalid data from each operation's schema. Schemathesis's "coverage" phase (every
# boundary of every field: thousands of requests) is left to deeper runs by hand, to keep
# the suite to minutes: FUZZ_COVERAGE=1 pytest tests/test_api_schemathesis.py
CONFIG = schemathesis.Config.from_dict(
    {"phases": {"coverage": {"enabled": bool(os.environ.get("FUZZ_COVERAGE"))}}}
)
schema = schemathesis.openapi.from_dict(
    SchemaGenerator().get_schema(request=None, public=True), config=CONFIG
)
schema.app = application

# Messages of the 400s that valid data may get for a rule beyond the schema (English: the
# admin's language in this test): a reference to a missing row, uniqueness, an opaque
# cursor, a rule across two fields, JSON inside a form field, a NUL character in text
# (refused everywhere: PostgreSQL cannot store it).
BEYOND_THE_SCHEMA = (
    "object does not exist.",
    "already exists.",
    "This cursor is not valid.",
    "Say which source these events come from.",
    "A campaign ends after it starts.",
    "The period ends after it starts.",
    "The period starts before it ends.",
    "The address contains a NUL character.",
    "Null characters are not allowed.",
    "Not a known event type.",
    'A JSON object: {"CSV column": "lead field"}.',
    # A fit rule's value takes the shape its operator needs (two fields again).
    "This operator compares numbers.",
    "Give two numbers: [low, high].",
    "Give a list of values.",
    "Give one value to compare with.",
    # An exclusive minimum (a half-life above zero), which DRF's schema cannot state.
    "A half-life is more than zero days.",
)
FUZZ_EXAMPLES = os.environ.get("FUZZ_EXAMPLES")
EXAMPLES_PER_OPERATION = int(FUZZ_EXAMPLES or 12)
DEMO_LEADS = 8


@pytest.fixture
def connection_kept():
    """Django's WSGI handler closes the database connection between requests when it is
    inside a transaction (as a test's is): keep it open, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, connection_kept):
    """A small demo (every kind of row the API serves), an admin's token, and the id of one
    real row for each resource."""
    seed_demo(leads=DEMO_LEADS)
    admin = get_user_model().objects.get(username="admin")
    _row, token = AuthToken.objects.create(admin)
    ids = {prefix: first_id(viewset) for prefix, viewset in registered_viewsets()}
    # A token of its own to revoke, so the admin's stays valid for the rest of the run.
    ids["tokens"] = AuthToken.objects.create(admin)[0].token_key
    return {"headers": {"Authorization": f"Token {token}"}, "ids": ids}


def registered_viewsets():
    for module in (leads.api.urls, scoring.api.urls, handoff.api.urls):
        for prefix, viewset, _basename in module.router.registry:
            yield prefix, viewset


def first_id(viewset):
    model = viewset.queryset.model if viewset.queryset is not None else None
    model = model or viewset.serializer_class.Meta.model
    return model._default_manager.order_by("pk").values_list("pk", flat=True).first()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    # The same cases on every run, so CI is repeatable; a deeper random run by hand:
    # FUZZ_EXAMPLES=200 pytest tests/test_api_schemathesis.py
    derandomize=FUZZ_EXAMPLES is None,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error_and_answers_match_the_schema(case, world) -> None:
    case.call_and_validate(
        headers=world["headers"],
        excluded_checks=[positive_data_acceptance],
        additional_checks=[within_the_schema],
    )
    real_id = world["ids"].get(resource_of(case.path))
    if real_id is not None and case.path_parameters:
        # The case is no longer the one generated (its id is now real), so the checks that
        # judge whether it was meant to be valid or invalid do not apply to this second call.
        case.path_parameters = {**case.path_parameters, first_id_name(case.path): real_id}
        case.call_and_validate(
            headers=world["headers"],
            excluded_checks=[positive_data_acceptance, negative_data_rejection],
        )


@schemathesis.check
def within_the_schema(ctx, response, case):
    """positive_data_acceptance, but a 400 whose every message is a rule beyond the schema
    (BEYOND_THE_SCHEMA) is not a failure."""
    if response.status_code == 400 and all(
        message.endswith(BEYOND_THE_SCHEMA) for message in messages(response.json())
    ):
        return None
    return positive_data_acceptance(ctx, response, case)


def messages(errors) -> list[str]:
    if isinstance(errors, str):
        return [errors]
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in messages(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in messages(value)]
    return [str(errors)]


def resource_of(path: str) -> str:
    """``/api/leads/{id}/notes/`` → ``leads``."""
    return path.removeprefix("/api/").split("/", 1)[0]


def first_id_name(path: str) -> str:
    return path.split("{", 1)[1].split("}", 1)[0]
