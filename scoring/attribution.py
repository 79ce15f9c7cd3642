"""Attribution credits: a rollup written as leads enter SQL or customer, so that the
attribution report sums rows instead of walking every lead's touches.

A touch is the lead's own campaign (at its creation) and every behaviour event whose
properties carry a campaign's UTM code. For each move into an attributed stage, the
touches at or before the move share one credit: first touch (all to the earliest), last
touch (all to the latest), linear (equal shares); ties in time go to the lower campaign id
first. A move with no touch credits "no campaign". Credits are recomputed for a lead when
a touch arrives late (an event stamped before the move), when it is merged, or unmerged;
a lead merged away has none. Each row carries the lead's deal value, set when it is won.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from leads.capture.touches import record_touches
from leads.models import Campaign, Lead, StageChange
from leads.stages import Stage
from scoring.models import AttributionCredit, Event

ATTRIBUTED = (Stage.SQL, Stage.CUSTOMER)
SHARE = Decimal("0.000001")


def credit_moves(changes: Sequence[StageChange]) -> None:
    """Consistency hook: moves into an attributed stage get their credits; a lead won
    (the only move that sets a deal value) passes its value to its earlier credits."""
    _write([change for change in changes if change.to_stage in ATTRIBUTED])
    won = {change.lead_id for change in changes if change.to_stage == Stage.CUSTOMER}
    if won:
        AttributionCredit.objects.filter(lead_id__in=won).update(
            deal_value=Subquery(Lead.objects.filter(pk=OuterRef("lead_id")).values("deal_value"))
        )


def refresh(lead_ids: Iterable[int]) -> None:
    """Recompute the credits of these leads from their history and touches."""
    lead_ids = list(lead_ids)
    if not lead_ids:
        return
    AttributionCredit.objects.filter(lead_id__in=lead_ids).delete()
    _write(list(StageChange.objects.filter(lead_id__in=lead_ids, to_stage__in=ATTRIBUTED)))


def refresh_merged(merges: Sequence[object]) -> None:
    """The duplicate's events moved to the primary: the primary's touches changed, and the
    duplicate no longer counts (undoing the merge refreshes it back)."""
    AttributionCredit.objects.filter(
        lead_id__in=[merge.duplicate_id for merge in merges]  # type: ignore[attr-defined]
    ).delete()
    refresh([merge.primary_id for merge in merges])  # type: ignore[attr-defined]


def record(touches: Mapping[int, Mapping[str, str]]) -> None:
    """Record the leads' newest touches; a lead already credited is recomputed, since the
    touch may be stamped before its move."""
    if not touches:
        return  # most event batches carry none: not even a savepoint
    record_touches(touches)
    carrying = [pk for pk, touch in touches.items() if touch.get("utm_campaign")]
    if carrying:
        refresh(
            AttributionCredit.objects.filter(lead_id__in=carrying)
            .values_list("lead_id", flat=True)
            .distinct()
        )


def rebuild(batch: int = 5000) -> None:
    """Every credit from the whole history (the data migration, or a repair)."""
    AttributionCredit.objects.all().delete()
    moves = StageChange.objects.filter(
        to_stage__in=ATTRIBUTED, lead__merged_into__isnull=True
    ).order_by("pk")
    last = 0
    while chunk := list(moves.filter(pk__gt=last)[:batch]):
        _write(chunk)
        last = chunk[-1].pk


def _write(moves: Sequence[StageChange]) -> None:
    if not moves:
        return
    lead_ids = {move.lead_id for move in moves}
    deals = dict(
        Lead.objects.filter(pk__in=lead_ids, merged_into__isnull=True).values_list(
            "pk", "deal_value"
        )
    )
    paths = _touches(lead_ids)
    rows = []
    for move in moves:
        if move.lead_id not in deals:
            continue  # merged away: counted in its primary
        path = sorted(touch for touch in paths.get(move.lead_id, ()) if touch[0] <= move.at)
        for campaign, (first, last, linear) in shares(path).items():
            rows.append(
                AttributionCredit(
                    lead_id=move.lead_id, stage=move.to_stage, at=move.at, campaign_id=campaign,
                    first=first, last=last, linear=linear, deal_value=deals[move.lead_id],
                )
            )  # fmt: skip
    AttributionCredit.objects.bulk_create(rows, batch_size=5000)


def shares(
    path: Sequence[tuple[datetime, int]],
) -> dict[int | None, tuple[Decimal, Decimal, Decimal]]:
    """Campaign → (first, last, linear) credit, for one move's ordered touches."""
    if not path:
        return {None: (Decimal(1), Decimal(1), Decimal(1))}
    credit: dict[int | None, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    credit[path[0][1]][0] += 1
    credit[path[-1][1]][1] += 1
    for _at, campaign in path:
        credit[campaign][2] += (Decimal(1) / len(path)).quantize(SHARE)
    return {campaign: (f, la, li) for campaign, (f, la, li) in credit.items()}


def _touches(lead_ids: set[int]) -> dict[int, list[tuple[datetime, int]]]:
    touches: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for pk, campaign_id, created_at in Lead.objects.filter(
        pk__in=lead_ids, campaign__isnull=False
    ).values_list("pk", "campaign_id", "created_at"):
        touches[pk].append((created_at, campaign_id))
    codes = {
        code.lower(): pk
        for pk, code in Campaign.objects.exclude(utm_campaign="").values_list("pk", "utm_campaign")
    }
    if codes:
        events = Event.objects.filter(
            lead_id__in=lead_ids, properties__has_key="utm_campaign"
        ).values_list("lead_id", "occurred_at", "properties")
        for lead_id, occurred_at, properties in events:
            campaign = codes.get(str((properties or {}).get("utm_campaign", "")).lower())
            if campaign:
                touches[lead_id].append((occurred_at, campaign))
    return touches
