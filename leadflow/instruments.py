"""Prometheus metrics of our own, beside django-prometheus's request and database ones.

Counters and histograms are updated where the work happens; the outbox backlog and the
Celery queue length are read when Prometheus scrapes. Set PROMETHEUS_MULTIPROC_DIR for
gunicorn with several workers (prometheus_client's multiprocess mode).
"""

from collections.abc import Iterator

from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

EVENTS = Counter("leadflow_events_ingested_total", "Behaviour events received", ["status"])
SCORING = Histogram("leadflow_scoring_seconds", "Scoring the leads one ingested batch touched",
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))  # fmt: skip
HANDOFFS = Counter("leadflow_handoffs_created_total", "Handoffs opened (an MQL sent to a rep)")
ALERT_LATENCY = Histogram("leadflow_alert_delivery_seconds",
                          "From an alert being queued to it being sent", ["channel"],
                          buckets=(0.1, 0.5, 1, 2, 5, 15, 60, 300, 900))  # fmt: skip
ALERT_FAILURES = Counter("leadflow_alert_failures_total", "Failed alert sends", ["channel"])
ROUTING_FAILURES = Counter(
    "leadflow_routing_failures_total", "Leads the routing sweep could not route (see the logs)"
)
SLA_BREACHES = Counter("leadflow_sla_breaches_total", "Handoffs not answered in time")


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
