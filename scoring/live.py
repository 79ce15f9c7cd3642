"""Scores follow events at once: the leads a batch touched are re-scored in its transaction,
incrementally (each new event folds into the lead's intent state), never by re-reading
every lead."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef

from leads.models import Lead
from leads.system_texts import Stored
from scoring import engine
from scoring.criteria import active_spec
from scoring.engine import EventFact, ModelSpec
from scoring.learning import applying
from scoring.models import Event, LeadScore, PendingEvent
from scoring.store import Previous, Scored, promotion_reason, save_scores

FIELDS = (
    "pk",
    "stage",
    "fit",
    "intent",
    "likelihood",
    *engine.LEAD_FACTS,
    *(f"company__{name}" for name in engine.COMPANY_FACTS),
    "attributes",
)


def locked_leads(lead_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The leads' rows, locked. In id order, so two batches touching the same leads queue
    instead of deadlocking. NO KEY UPDATE: scoring changes no key, and a plain FOR UPDATE
    would block every insert referencing these leads (a new event's foreign key check)."""
    return list(
        Lead.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=lead_ids)
        .order_by("pk")
        .values(*FIELDS)
    )


def score_new_events(new_events: Mapping[int, Sequence[EventFact]], *, at: datetime) -> list[int]:
    """Re-score the leads that just received ``new_events``; returns the ids promoted to MQL.

    Call inside the transaction that stored the events.
    """
    spec = active_spec()
    leads = locked_leads(sorted(new_events))
    states = {s.lead_id: s for s in LeadScore.objects.filter(lead_id__in=new_events)}
    previous = _previous(leads, states)
    applying.refresh(leads)  # the learned likelihood sees the new behaviour too

    def current(lead_id: int) -> LeadScore | None:
        stored = states.get(lead_id)
        if stored is not None and stored.model_version == spec.version and stored.intent_state:
            return stored
        return None

    # Leads with no state under this version are built from every event they have (the
    # new ones are already stored), all in one query.
    rebuild = events_by_lead([lead["pk"] for lead in leads if current(lead["pk"]) is None])
    scored = []
    for lead in leads:
        stored = current(lead["pk"])
        if stored is not None:
            state = engine.add_events(stored.intent_state, new_events[lead["pk"]], spec, at)
        else:
            state = engine.state_from_events(rebuild.get(lead["pk"], ()), spec, at)
        scored.append(_scored(lead, state, spec))
    return save_scores(scored, spec=spec, previous=previous, at=at)


def rescore_leads(
    lead_ids: Sequence[int], *, at: datetime, spec: ModelSpec | None = None
) -> list[int]:
    """Re-score leads from scratch (their details changed, or no state exists yet)."""
    spec = spec or active_spec()
    leads = locked_leads(sorted(lead_ids))
    states = {s.lead_id: s for s in LeadScore.objects.filter(lead_id__in=lead_ids)}
    previous = _previous(leads, states)
    applying.refresh(leads)
    events = events_by_lead([lead["pk"] for lead in leads])
    scored = [
        _scored(lead, engine.state_from_events(events.get(lead["pk"], ()), spec, at), spec)
        for lead in leads
    ]
    return save_scores(scored, spec=spec, previous=previous, at=at)


def promotion_reasons(lead_ids: Sequence[int], spec: ModelSpec) -> dict[int, Stored]:
    """Why each of these leads (scored a moment ago in this transaction) qualifies: the
    engine's explanation from their facts and stored intent states."""
    states = dict(
        LeadScore.objects.filter(lead_id__in=lead_ids).values_list("lead_id", "intent_state")
    )
    return {
        lead["pk"]: promotion_reason(_scored(lead, states[lead["pk"]], spec).score, spec)
        for lead in locked_leads(sorted(lead_ids))
    }


def _scored(lead: Mapping[str, Any], state: engine.IntentState, spec: ModelSpec) -> Scored:
    fit_total, fit_fired = engine.fit_points(engine.facts_of_row(lead), spec.fit_rules)
    intent_total, intent_fired = engine.intent_points(state, spec)
    score = engine.evaluate(
        spec,
        fit_total=fit_total,
        intent_total=intent_total,
        likelihood=lead["likelihood"],
        contributions=[*fit_fired, *intent_fired],
    )
    return Scored(lead_id=lead["pk"], score=score, state=state)


def _previous(
    leads: Sequence[Mapping[str, Any]], states: Mapping[int, LeadScore]
) -> dict[int, Previous]:
    return {
        lead["pk"]: Previous(
            stage=lead["stage"],
            fit=lead["fit"],
            intent=lead["intent"],
            likelihood=lead["likelihood"],
            grade=states[lead["pk"]].grade if lead["pk"] in states else "",
        )
        for lead in leads
    }


def events_by_lead(lead_ids: Sequence[int]) -> dict[int, list[EventFact]]:
    if not lead_ids:
        return {}
    # Pending events are left to whoever claims them (scoring/pending.py); one query, so
    # an event and its pending row are seen together or not at all.
    rows = (
        Event.objects.filter(lead_id__in=lead_ids)
        .exclude(Exists(PendingEvent.objects.filter(event_id=OuterRef("pk"))))
        .values_list("lead_id", "type", "occurred_at", "properties")
    )
    return facts_by_lead(rows)


def facts_by_lead(rows: Iterable[tuple[int, str, datetime, Any]]) -> dict[int, list[EventFact]]:
    """(lead id, type, occurred at, properties) rows → each lead's events for the engine."""
    by_lead: dict[int, list[EventFact]] = {}
    for lead_id, type_, occurred_at, properties in rows:
        by_lead.setdefault(lead_id, []).append(EventFact(type_, occurred_at, properties or {}))
    return by_lead
