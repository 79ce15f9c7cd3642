"""Re-scoring every lead in the background: after a new version is activated, and
periodically so that old interest decays. Batches of leads by id range, each batch one
transaction; progress is written after each so the API and the pages can show it."""

import logging
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from leads import hooks
from leads.models import Lead
from plumbing.sql import on_postgresql
from scoring.criteria import spec_for
from scoring.engine import ModelSpec
from scoring.live import promotion_reasons, rescore_leads
from scoring.models import RescoreJob, RescorePart, ScoringModel
from scoring.sql import scores
from scoring.store import promote

logger = logging.getLogger(__name__)
BATCH = 5000
# A part's worker is presumed dead when its claim is this old (a part takes seconds).
PART_LEASE = timedelta(minutes=5)


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
    """Split a pending job into id ranges, ask other workers to help, and work on it."""
    # Claim the job with a conditional update: a redelivered task finds it taken.
    claimed = RescoreJob.objects.filter(pk=job_id, status=RescoreJob.Status.PENDING).update(
        status=RescoreJob.Status.RUNNING, started_at=timezone.now(), total=Lead.objects.count()
    )
    if claimed:
        RescorePart.objects.bulk_create(
            RescorePart(job_id=job_id, first_id=first, last_id=last) for first, last in _id_ranges()
        )
        _ask_for_help(job_id)
    return work_on(job_id)


def work_on(job_id: int) -> RescoreJob:
    """Re-score parts of a running job until none is left to claim; whoever sees the last
    part finished closes the job."""
    job = RescoreJob.objects.get(pk=job_id)
    if job.status != RescoreJob.Status.RUNNING:
        return job
    try:
        model = ScoringModel.objects.prefetch_related("fit_rules", "intent_rules").get(
            version=job.model_version
        )
        spec = spec_for(model)
        while (part := _claim_part(job_id)) is not None:
            _rescore_part(spec, part)
        if not RescorePart.objects.filter(job_id=job_id, finished_at__isnull=True).exists():
            closed = RescoreJob.objects.filter(pk=job_id, status=RescoreJob.Status.RUNNING).update(
                status=RescoreJob.Status.DONE, done=F("total"), finished_at=timezone.now()
            )
            if closed:
                scores.refresh_statistics()
    except Exception as error:
        logger.exception("re-scoring job %s failed", job_id)
        RescoreJob.objects.filter(pk=job_id).update(
            status=RescoreJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def resume_stalled() -> int:
    """Jobs whose task never arrived, and parts whose worker died, get picked up."""
    resumed = 0
    for job_id in RescoreJob.objects.filter(status=RescoreJob.Status.PENDING).values_list(
        "pk", flat=True
    ):
        run_job(job_id)
        resumed += 1
    stale = timezone.now() - PART_LEASE
    for job_id in (
        RescorePart.objects.filter(
            job__status=RescoreJob.Status.RUNNING,
            finished_at__isnull=True,
            claimed_at__lt=stale,
        )
        .values_list("job_id", flat=True)
        .distinct()
    ):
        work_on(job_id)
        resumed += 1
    return resumed


def _ask_for_help(job_id: int) -> None:
    from scoring.tasks import help_rescore_job

    for _ in range(settings.RESCORE_HELPERS):
        try:
            help_rescore_job.delay(job_id)
        except Exception:  # the broker is down: this worker does every part itself
            logger.warning("could not ask for help with re-scoring job %s", job_id)
            return


def _claim_part(job_id: int) -> RescorePart | None:
    with transaction.atomic():
        # Lock the part only ("self"): the filter joins the job, whose row the other
        # workers lock while they write progress; skipping it made a helper find "no
        # part left" and quit, leaving one worker to do the whole job.
        part = (
            RescorePart.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - PART_LEASE),
                job_id=job_id,
                job__status=RescoreJob.Status.RUNNING,
                finished_at__isnull=True,
            )
            .order_by("first_id")
            .first()
        )
        if part is not None:
            part.claimed_at = timezone.now()
            part.save(update_fields=["claimed_at"])
        return part


def _rescore_part(spec: ModelSpec, part: RescorePart) -> None:
    """One part in one transaction: the scores, the part finished and the progress. The
    leads it promotes are routed by a worker task, not by this job (mass_change)."""
    with hooks.mass_change(), transaction.atomic():
        done, promoted = _rescore_range(spec, part.first_id, part.last_id)
        RescorePart.objects.filter(pk=part.pk).update(finished_at=timezone.now())
        RescoreJob.objects.filter(pk=part.job_id).update(
            done=F("done") + done, promoted=F("promoted") + promoted
        )


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
        if not on_postgresql():
            ids = list(
                Lead.objects.filter(pk__gte=first_id, pk__lte=last_id).values_list("pk", flat=True)
            )
            return len(ids), len(rescore_leads(ids, at=at, spec=spec))
        scores.set_up_transaction()
        done, ready = scores.rescore_range(spec, first_id=first_id, last_id=last_id, at=at)
        promoted = promote(promotion_reasons(ready, spec), spec)
    return done, len(promoted)
