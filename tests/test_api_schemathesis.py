"""Hostile input against the whole API: schemathesis generates requests for every operation
in the OpenAPI schema (valid and invalid bodies, query strings and path ids) and sends them
as an admin. No request may get a 5xx, and every documented answer must match the schema.

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
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import handoff.api_urls
import leads.api_urls
import scoring.api_urls
from leadflow.wsgi import application
from leads.demo import seed_demo

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

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
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
    for module in (leads.api_urls, scoring.api_urls, handoff.api_urls):
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
    case.call_and_validate(headers=world["headers"], checks=CHECKS)
    real_id = world["ids"].get(resource_of(case.path))
    if real_id is not None and case.path_parameters:
        case.path_parameters = {**case.path_parameters, first_id_name(case.path): real_id}
        case.call_and_validate(headers=world["headers"], checks=CHECKS)


def resource_of(path: str) -> str:
    """``/api/leads/{id}/notes/`` → ``leads``."""
    return path.removeprefix("/api/").split("/", 1)[0]


def first_id_name(path: str) -> str:
    return path.split("{", 1)[1].split("}", 1)[0]
