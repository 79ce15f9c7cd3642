from celery import shared_task
from django.utils import timezone

from scoring import pending, rescoring
from scoring.live import rescore_leads
from scoring.models import LeadScore, RescoreJob


@shared_task(acks_late=True, soft_time_limit=25 * 60, time_limit=30 * 60)
def run_rescore_job(job_id: int) -> None:
    rescoring.run_job(job_id)


@shared_task(acks_late=True, soft_time_limit=25 * 60, time_limit=30 * 60)
def help_rescore_job(job_id: int) -> None:
    """Another worker takes parts of a running job: re-scoring uses every core."""
    rescoring.work_on(job_id)


@shared_task(acks_late=True, soft_time_limit=55, time_limit=60)
def drain_pending_scores() -> int:
    """Score the events big batches left waiting (queued by those batches; beat runs it
    every minute too, in case a queueing was lost)."""
    return pending.drain()


@shared_task
def decay_scores() -> None:
    """Beat, hourly: re-score everything so that old interest fades."""
    job = rescoring.start_job(reason=RescoreJob.Reason.DECAY)
    if job is not None:
        rescoring.run_job(job.pk)


@shared_task
def resume_pending_jobs() -> None:
    """Beat: a job whose task the broker never carried, or a part whose worker died."""
    rescoring.resume_stalled()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def score_leads(lead_ids: list[int], only_unscored: bool = False) -> None:
    """Score leads whose details changed, or new leads that arrived without events."""
    if only_unscored:
        scored = set(
            LeadScore.objects.filter(lead_id__in=lead_ids).values_list("lead_id", flat=True)
        )
        lead_ids = [pk for pk in lead_ids if pk not in scored]
    if lead_ids:
        from django.db import transaction

        with transaction.atomic():
            rescore_leads(lead_ids, at=timezone.now())


@shared_task
def score_unscored_leads(limit: int = 5000) -> int:
    """Beat: any lead that never got a score (its follow-up was lost) gets one."""
    from leads.models import Lead

    ids = list(Lead.objects.filter(score__isnull=True).values_list("pk", flat=True)[:limit])
    if ids:
        score_leads(ids)
    return len(ids)


@shared_task(acks_late=True, soft_time_limit=25 * 60, time_limit=30 * 60)
def train_likelihood_model(model_id: int, promote: bool = True) -> None:
    """Fit a queued likelihood model (with progress on its row) and promote it if it beats
    the active one by the admin's margin."""
    from scoring.learning import training

    training.run(model_id, promote=promote)


@shared_task(acks_late=True, soft_time_limit=25 * 60, time_limit=30 * 60)
def activate_likelihood_model(model_id: int) -> None:
    """Use this model (a promotion by hand, or a rollback): every lead rescored with it."""
    from scoring.learning import applying
    from scoring.models import LikelihoodModel

    applying.activate(LikelihoodModel.objects.get(pk=model_id))


@shared_task
def retrain_likelihood() -> None:
    """Beat, weekly: a fresh logistic model and a boosting challenger on the newest
    outcomes; each is promoted only if it beats the active model by the margin."""
    from scoring.learning import training
    from scoring.models import LikelihoodModel

    for kind in (LikelihoodModel.Kind.LOGISTIC, LikelihoodModel.Kind.BOOSTING):
        training.train_now(kind=kind, promote=True)
