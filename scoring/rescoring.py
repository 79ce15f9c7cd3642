"""Re-scoring every lead in the background: after a new version is activated, and
periodically so that old interest decays. Batches of leads by id range, each batch one
transaction; progress is written after each so the API and the pages can show it."""

import logging
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from leads.models import Lead
from scoring import engine
from scoring.criteria import spec_for
from scoring.engine import ModelSpec
from scoring.live import rescore_leads
from scoring.models import RescoreJob, ScoringModel
from scoring.rescoring_sql import BatchRow, fetch_batch
from scoring.store import Previous, Scored, save_scores

logger = logging.getLogger(__name__)
BATCH = 5000


def start_job(*, reason: str) -> RescoreJob | None:
    """A job for the active version, unless one is already waiting or running."""
    active = ScoringModel.objects.filter(status=ScoringModel.Status.ACTIVE).first()
    if active is None:
        return None
    with transaction.atomic():
        busy = RescoreJob.objects.select_for_update().filter(
            status__in=[RescoreJob.Status.PENDING, RescoreJob.Status.RUNNING]
        )
        if busy.exists():
            return None
        return RescoreJob.objects.create(model_version=active.version, reason=reason)


def run_job(job_id: int) -> RescoreJob:
    # Claim the job with a conditional update: a redelivered task finds it taken.
    claimed = RescoreJob.objects.filter(pk=job_id, status=RescoreJob.Status.PENDING).update(
        status=RescoreJob.Status.RUNNING, started_at=timezone.now(), total=Lead.objects.count()
    )
    job = RescoreJob.objects.get(pk=job_id)
    if not claimed:
        return job
    try:
        model = ScoringModel.objects.prefetch_related("fit_rules", "intent_rules").get(
            version=job.model_version
        )
        spec = spec_for(model)
        for first_id, last_id in _id_ranges():
            done, promoted = _rescore_range(spec, first_id, last_id)
            RescoreJob.objects.filter(pk=job.pk).update(
                done=min(job.total, job.done + done), promoted=job.promoted + promoted
            )
            job.refresh_from_db(fields=["done", "promoted", "total"])
        RescoreJob.objects.filter(pk=job.pk).update(
            status=RescoreJob.Status.DONE, done=job.total, finished_at=timezone.now()
        )
    except Exception as error:
        logger.exception("re-scoring job %s failed", job_id)
        RescoreJob.objects.filter(pk=job.pk).update(
            status=RescoreJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def _id_ranges() -> Iterator[tuple[int, int]]:
    """Consecutive id ranges of about BATCH leads each (ids may have gaps)."""
    bounds = Lead.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return
    start = bounds["low"]
    while start <= bounds["high"]:
        upper = (Lead.objects.filter(pk__gte=start).order_by("pk").values_list("pk", flat=True))[
            BATCH - 1 : BATCH
        ]
        last = upper[0] if upper else bounds["high"]
        yield start, last
        start = last + 1


def _rescore_range(spec: ModelSpec, first_id: int, last_id: int) -> tuple[int, int]:
    at = timezone.now()
    with transaction.atomic():
        if connection.vendor != "postgresql":
            ids = list(
                Lead.objects.filter(pk__gte=first_id, pk__lte=last_id).values_list("pk", flat=True)
            )
            return len(ids), len(rescore_leads(ids, at=at, spec=spec))
        rows = fetch_batch(spec, first_id=first_id, last_id=last_id, at=at)
        scored = [_scored(row, spec, at) for row in rows]
        previous = {
            row.lead_id: Previous(row.stage, row.fit, row.intent, row.likelihood, row.grade)
            for row in rows
        }
        promoted = save_scores(scored, spec=spec, previous=previous, at=at)
    return len(rows), len(promoted)


def _scored(row: BatchRow, spec: ModelSpec, at) -> Scored:  # type: ignore[no-untyped-def]
    state = engine.IntentState(ref=at.timestamp(), sums=row.sums, counts=row.counts)
    intent_total, intent_fired = engine.intent_points(state, spec)
    score = engine.evaluate(
        spec,
        fit_total=row.fit_points,
        intent_total=intent_total,
        likelihood=row.likelihood,
        contributions=intent_fired,
    )
    return Scored(lead_id=row.lead_id, score=score, state=state)
