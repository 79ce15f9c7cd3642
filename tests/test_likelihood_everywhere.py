"""While a learned model is active, every lead has its likelihood: created, imported,
edited, merged, or given new events (inline or through the worker's drain)."""

from collections.abc import Callable

import pytest
from django.db import transaction
from django.utils import timezone

from leads.capture import import_values, imports, merges
from leads.lifecycle import create_lead
from leads.models import Lead
from leads.records import update_lead
from scoring import pending
from scoring.ingest import ingest
from scoring.learning import applying, training
from scoring.models import Event, LeadScore
from tests.factories import LeadFactory, UserFactory
from tests.learning_data import population

pytestmark = pytest.mark.django_db


@pytest.fixture
def active(db: None) -> None:
    population(120)
    assert training.train_now(promote=True).active


@pytest.fixture
def inline(eager_tasks, django_capture_on_commit_callbacks) -> Callable:  # type: ignore[no-untyped-def]
    """A lead-changing call with its after-commit work (scoring tasks) run at once."""

    def go(call: Callable[[], object]) -> object:
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return go


def expected(lead: Lead) -> int:
    return applying.likelihoods(applying.active_model(), [lead.pk])[lead.pk]


def forget(lead: Lead) -> None:
    Lead.objects.filter(pk=lead.pk).update(likelihood=None)
    LeadScore.objects.filter(lead_id=lead.pk).update(likelihood=None)


def assert_scored(lead: Lead) -> None:
    lead.refresh_from_db()
    assert lead.likelihood is not None
    assert lead.likelihood == expected(lead)
    assert LeadScore.objects.get(lead=lead).likelihood == lead.likelihood


def test_a_created_lead_gets_its_likelihood(active, inline, admin_user) -> None:
    lead = inline(lambda: create_lead(actor=admin_user, email="new@example.com",
                                      attributes={"plan": "pro", "budget": "80.000"}))  # fmt: skip

    assert_scored(lead)


def test_an_imported_lead_gets_its_likelihood(active, inline) -> None:
    content = b'Email,plan,budget\nimported@example.com,pro,"70.000,00"\n'

    def run() -> None:
        job = imports.upload(content=content, file_name="l.csv", kind="leads", source="",
                             actor=UserFactory())  # fmt: skip
        imports.start(job, import_values.suggest_mapping(import_values.headers_of(content)))

    inline(run)

    assert_scored(Lead.objects.get(email="imported@example.com"))


def test_an_edited_lead_gets_a_new_likelihood(active, inline, admin_user) -> None:
    lead = inline(lambda: LeadFactory(attributes={"plan": "free", "budget": "1.000"}))
    before = Lead.objects.get(pk=lead.pk).likelihood

    richer = {"attributes": {"plan": "pro", "budget": "90.000"}}
    inline(lambda: update_lead(lead, actor=admin_user, changes=richer))

    assert_scored(lead)
    assert Lead.objects.get(pk=lead.pk).likelihood > before


def test_a_merged_lead_keeps_a_likelihood(active, inline, admin_user) -> None:
    primary = inline(lambda: LeadFactory(email="p@example.com", attributes={"plan": "free"}))
    duplicate = inline(lambda: LeadFactory(email="d@example.com", attributes={"plan": "pro"}))
    forget(primary)

    inline(lambda: merges.merge(primary, duplicate, actor=admin_user))

    assert_scored(primary)


def test_new_events_scored_inline_refresh_the_likelihood(active, inline) -> None:
    lead = inline(lambda: LeadFactory(attributes={"plan": "pro"}))
    forget(lead)

    inline(lambda: ingest([{"type": "demo_request", "lead_id": lead.pk}], source="website",
                          source_kind="first_party"))  # fmt: skip

    assert_scored(lead)


def test_new_events_scored_by_the_drain_refresh_the_likelihood(active, inline) -> None:
    lead = inline(lambda: LeadFactory(attributes={"plan": "pro"}))
    forget(lead)
    with transaction.atomic():
        event = Event.objects.create(lead=lead, type="demo_request", occurred_at=timezone.now())
        pending.score_later([event.pk])

    pending.drain_once()

    assert_scored(lead)
