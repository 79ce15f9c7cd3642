"""Behaviour events in: validate each item (scoring/event_items.py), find or create its
lead, store it once, score.

A batch is one transaction: either every good item is stored and scored, or (on a
database failure) nothing is and the sender retries with the same event ids. Bad items
get their own errors and never stop the good ones.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leads.capture.touches import touch_from
from leads.lifecycle import create_leads
from leads.models import Company, Lead
from leads.records import leads_by_email
from leads.roles import Actor
from leads.system_texts import text
from plumbing.sql import on_postgresql
from scoring import attribution, pending
from scoring.engine import EventFact
from scoring.event_items import Item, ItemResult, parse_item
from scoring.instruments import EVENTS, SCORING
from scoring.live import score_new_events
from scoring.models import Event, EventType
from scoring.sql.rows import existing_lead_ids, insert_events_ignoring_repeats

MAX_BATCH = 1000


def ingest(
    payload: Sequence[Any],
    *,
    source: str,
    source_kind: str,
    actor: Actor = None,
    unknown_budget: int | None = None,
) -> list[ItemResult]:
    """Store and score a batch. ``unknown_budget`` bounds how many items keyed by a lead id
    (or external id) may be told "no lead has this id": from the item that would pass it,
    every later item keyed that way is left unchecked, known or not, so that the answers
    never tell which ids exist beyond the budget (scoring/api/views.py's per-key limit)."""
    now = timezone.now()
    known_types = set(EventType.objects.values_list("code", flat=True))
    results: dict[int, ItemResult] = {}
    items: list[Item] = []
    for index, raw in enumerate(payload):
        item, errors = parse_item(index, raw, known_types=known_types, now=now)
        if errors:
            results[index] = ItemResult(index=index, status="error", errors=errors)
        else:
            items.append(item)

    with transaction.atomic():
        leads = _resolve_leads(
            items, actor=actor, results=results, source=source, unknown_budget=unknown_budget
        )
        items = [item for item in items if item.index in leads]
        stored = _store(items, leads=leads, source=source, source_kind=source_kind, now=now)
        created: list[Item] = []
        for item in items:
            lead = leads[item.index]
            if (event_id := stored.get(item.index)) is None:
                results[item.index] = ItemResult(index=item.index, status="duplicate", lead=lead)
            else:
                results[item.index] = ItemResult(
                    index=item.index, status="created", id=event_id, lead=lead
                )
                created.append(item)
        touched = [(item, touch) for item in created if (touch := touch_from(item.properties))]
        attribution.record(
            {
                leads[item.index]: touch
                for item, touch in sorted(touched, key=lambda pair: pair[0].occurred_at)
            }
        )
        if len(created) > pending.INLINE_MAX:
            pending.score_later(list(stored.values()))
        elif created:
            new_events: dict[int, list[EventFact]] = defaultdict(list)
            for item in created:
                new_events[leads[item.index]].append(
                    EventFact(item.type, item.occurred_at, item.properties)
                )
            with SCORING.time():
                score_new_events(new_events, at=now)
    answers = [results[index] for index in range(len(payload))]
    for status in ("created", "duplicate", "error"):
        if count := sum(1 for answer in answers if answer["status"] == status):
            EVENTS.labels(status).inc(count)
    return answers


# --- Leads -----------------------------------------------------------------------------------


def _resolve_leads(
    items: list[Item],
    *,
    actor: Actor,
    results: dict[int, ItemResult],
    source: str,
    unknown_budget: int | None = None,
) -> dict[int, int]:
    """Item index → lead id. Unknown emails become new leads; unknown ids are errors."""
    ids = {item.lead_id for item in items if item.lead_id is not None}
    externals = {item.lead_external_id for item in items if item.lead_external_id}
    emails = {item.email for item in items if item.email}
    known_ids = _existing_lead_ids(ids)
    by_external = dict(
        Lead.objects.filter(external_id__in=externals).values_list("external_id", "pk")
    )
    by_email = _leads_by_email(items, emails, actor=actor, source=source)

    found: dict[int, int] = {}
    unknown_ids = 0
    over_budget = False
    for item in items:
        keyed_by_id = item.lead_id is not None or bool(item.lead_external_id)
        if keyed_by_id and not over_budget and unknown_budget is not None:
            known = (
                item.lead_id in known_ids
                if item.lead_id is not None
                else item.lead_external_id in by_external
            )
            if not known:
                unknown_ids += 1
                over_budget = unknown_ids > unknown_budget
        if keyed_by_id and over_budget:
            field_name = "lead_id" if item.lead_id is not None else "lead_external_id"
            results[item.index] = ItemResult(
                index=item.index,
                status="error",
                errors={field_name: [_("Not checked: too many lead ids that name no lead this "
                                       "minute. Send it again in a minute.")]},
            )  # fmt: skip
            continue
        if item.lead_id is not None:
            lead = item.lead_id if item.lead_id in known_ids else None
            field_name = "lead_id"
        elif item.lead_external_id:
            lead = by_external.get(item.lead_external_id)
            field_name = "lead_external_id"
        else:
            lead = by_email.get(item.email)
            field_name = "email"
        if lead is None:
            results[item.index] = ItemResult(
                index=item.index,
                status="error",
                errors={field_name: [_("No lead has this id.")]},
            )
        else:
            found[item.index] = lead
    return found


def _existing_lead_ids(ids: set[int]) -> set[int]:
    if not ids:
        return set()
    if on_postgresql():
        return existing_lead_ids(ids)
    return set(Lead.objects.filter(pk__in=ids).values_list("pk", flat=True))


def _leads_by_email(
    items: list[Item], emails: set[str], *, actor: Actor, source: str
) -> dict[str, int]:
    if not emails:
        return {}
    existing = leads_by_email(emails)
    missing = sorted(emails - existing.keys())
    if not missing:
        return existing
    details = {item.email: item.new_lead for item in items if item.email in missing}
    # A new lead joins the company that owns its email's domain, when there is one.
    companies = dict(
        Company.objects.filter(domain__in={e.rsplit("@", 1)[-1] for e in missing}).values_list(
            "domain", "pk"
        )
    )
    rows = [
        {
            "email": email,
            "source": source[:100],
            "company_id": companies.get(email.rsplit("@", 1)[-1]),
            **details.get(email, {}),
        }
        for email in missing
    ]
    # Other batches may be creating some of these leads at this moment: on a clash, use
    # theirs and try the rest again. Every clash means one more email someone else took,
    # so this ends (50 senders at once clashed more than once in a row).
    created: list[Lead] = []
    for _attempt in range(len(rows) + 1):
        try:
            with transaction.atomic():
                created = create_leads(rows, actor=actor, reason=text("scoring.first_event"))
            break
        except IntegrityError:
            taken = set(Lead.objects.filter(email__in=missing).values_list("email", flat=True))
            rows = [row for row in rows if row["email"] not in taken]
    existing |= {lead.email: lead.pk for lead in created}
    return existing | leads_by_email(missing)


# --- Events ----------------------------------------------------------------------------------


def _store(
    items: list[Item], *, leads: dict[int, int], source: str, source_kind: str, now: datetime
) -> dict[int, int]:
    """Insert the events; an event whose (source, id) is already stored is skipped.

    Returns item index → new event id for the events actually stored.
    """
    stored: dict[int, int] = {}
    anonymous = [item for item in items if not item.external_id]
    if anonymous:
        events = Event.objects.bulk_create(
            Event(lead_id=leads[item.index], type=item.type, source=source,
                  source_kind=source_kind, occurred_at=item.occurred_at, received_at=now,
                  properties=item.properties)
            for item in anonymous
        )  # fmt: skip
        stored |= {item.index: event.pk for item, event in zip(anonymous, events, strict=True)}
    identified = [item for item in items if item.external_id]
    if identified:
        first_index: dict[str, int] = {}
        for item in identified:
            first_index.setdefault(item.external_id, item.index)
        # In id order: two batches sharing ids then take the unique index's locks in the
        # same order, and wait for each other instead of deadlocking.
        inserted = _insert_ignoring_repeats(
            sorted(
                (i for i in identified if first_index[i.external_id] == i.index),
                key=lambda i: i.external_id,
            ),
            leads=leads,
            source=source,
            source_kind=source_kind,
            now=now,
        )
        stored |= {first_index[external]: pk for external, pk in inserted.items()}
    return stored


def _insert_ignoring_repeats(
    items: list[Item], *, leads: dict[int, int], source: str, source_kind: str, now: datetime
) -> dict[str, int]:
    """Insert the events whose (source, id) is not stored yet; returns their ids."""
    return insert_events_ignoring_repeats(
        (
            {
                "lead_id": leads[item.index],
                "type": item.type,
                "external_id": item.external_id,
                "occurred_at": item.occurred_at,
                "properties": item.properties,
            }
            for item in items
        ),
        source=source,
        source_kind=source_kind,
        now=now,
    )
