"""Reading leads for the learned model: the same state for training and for scoring.

A lead's behaviour is read up to its *outcome moment* — the first time it left stage
"lead" for MQL or beyond (``stage history``). Training on events after that moment would
teach the model that leads sales works on convert (sales calls produce events); scoring
reads the same window, so a lead is judged as it was when it was handed over.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone

from leads.models import Lead, StageChange
from leads.stages import Stage
from scoring.learning.features import Raw, raw_features
from scoring.outcomes import outcome
from scoring.sql import learning as learning_sql

LEAD_VALUES = (
    "pk", "email", "source", "title", "campaign", "email_ok", "phone_ok", "attributes",
    "stage", "created_at", "company__industry", "company__employees",
    "company__annual_revenue", "company__country",
)  # fmt: skip
OUTCOME_MOMENT_STAGES = (Stage.MQL, Stage.SAL, Stage.SQL, Stage.CUSTOMER, Stage.DISQUALIFIED)


def _behaviour(lead_ids: Sequence[int] | None) -> dict[int, dict[str, Any]]:
    """Event counts by type and the latest event time, before each lead's outcome moment.
    ``None``: every lead (training)."""
    if lead_ids is not None and not lead_ids:
        return {}
    behaviour: dict[int, dict[str, Any]] = defaultdict(dict)
    rows = learning_sql.behaviour_before_outcome(lead_ids, [s.value for s in OUTCOME_MOMENT_STAGES])
    for lead_id, event_type, count, last in rows:
        seen = behaviour[lead_id]
        seen[event_type] = count
        if seen.get("last_event_at") is None or last > seen["last_event_at"]:
            seen["last_event_at"] = last
    return behaviour


def _moments(lead_ids: Sequence[int] | None) -> dict[int, datetime]:
    changes = StageChange.objects.filter(to_stage__in=OUTCOME_MOMENT_STAGES)
    if lead_ids is not None:
        changes = changes.filter(lead_id__in=lead_ids)
    moments: dict[int, datetime] = {}
    for lead_id, at in changes.values_list("lead_id", "at").order_by():
        if lead_id not in moments or at < moments[lead_id]:
            moments[lead_id] = at
    return moments


def _rows(leads: list[dict[str, Any]], lead_ids: Sequence[int] | None) -> list[Raw]:
    behaviour = _behaviour(lead_ids)
    moments = _moments(lead_ids)
    now = timezone.now()
    return [
        raw_features(lead, behaviour.get(lead["pk"], {}), at=moments.get(lead["pk"], now))
        for lead in leads
    ]


class TrainingSet:
    """Leads with a known outcome, oldest first: raw features, labels, creation times."""

    def __init__(self, rows: list[Raw], labels: list[int], created: list[datetime]) -> None:
        self.rows, self.labels, self.created = rows, labels, created


def training_set() -> TrainingSet:
    leads, labels = [], []
    for lead in (
        Lead.objects.filter(merged_into__isnull=True)
        .order_by("created_at", "pk")
        .values(*LEAD_VALUES)
    ):
        label = outcome(lead["stage"], lead["attributes"] or {})
        if label is not None:
            leads.append(lead)
            labels.append(label)
    return TrainingSet(_rows(leads, None), labels, [lead["created_at"] for lead in leads])


def rows_for(lead_ids: Sequence[int]) -> tuple[list[int], list[Raw]]:
    """The leads' ids (in id order) and their raw features, for scoring."""
    leads = list(Lead.objects.filter(pk__in=lead_ids).order_by("pk").values(*LEAD_VALUES))
    return [lead["pk"] for lead in leads], _rows(leads, [lead["pk"] for lead in leads])
