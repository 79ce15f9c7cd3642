"""Prometheus metrics of our own, beside django-prometheus's request and database ones.

Each app owns its counters and histograms (scoring/instruments.py, handoff/instruments.py),
updated where the work happens; this module reads, when Prometheus scrapes, the gauges that
span apps: the outbox backlog, events waiting to be scored, the Celery queue length.
Set PROMETHEUS_MULTIPROC_DIR for gunicorn with several workers (prometheus_client's
multiprocess mode).
"""

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector


class BacklogCollector(Collector):
    """Read at scrape time: alerts waiting in the outbox, events waiting to be scored, and
    tasks waiting in Celery."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count, Min
        from django.utils import timezone

        from handoff.models import Delivery

        waiting = Delivery.objects.filter(status=Delivery.Status.PENDING).aggregate(
            n=Count("pk"), oldest=Min("created_at")
        )
        yield GaugeMetricFamily("leadflow_outbox_pending", "Alerts waiting to be sent",
                                value=waiting["n"])  # fmt: skip
        age = (timezone.now() - waiting["oldest"]).total_seconds() if waiting["oldest"] else 0
        yield GaugeMetricFamily("leadflow_outbox_oldest_seconds",
                                "Age of the oldest alert waiting", value=age)  # fmt: skip
        from scoring import pending

        yield GaugeMetricFamily("leadflow_scoring_pending", "Events waiting to be scored",
                                value=pending.waiting())  # fmt: skip
        yield GaugeMetricFamily("leadflow_scoring_oldest_seconds",
                                "Age of the oldest event waiting to be scored",
                                value=pending.oldest_wait())  # fmt: skip
        length = _queue_length()
        if length is not None:
            yield GaugeMetricFamily("leadflow_celery_queue_length", "Tasks waiting in Celery",
                                    value=length)  # fmt: skip


def _queue_length() -> int | None:
    from django.conf import settings

    if not settings.REDIS_URL:
        return None
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1)
        return int(client.llen(settings.CELERY_TASK_DEFAULT_QUEUE))
    except redis.RedisError:
        return None


_registered = False


def register_collectors() -> None:
    global _registered
    if not _registered:
        REGISTRY.register(BacklogCollector())
        _registered = True
