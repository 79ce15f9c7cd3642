"""Readiness: the database and the broker answer (or the process should get no traffic).
Worker and beat heartbeats and the alert outbox's oldest waiting delivery are reported as
warnings: they say something is lagging without taking the web process out of service."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from leadflow import sql

# Beat records its heartbeat every HEARTBEAT_SECONDS through a worker: older than a few
# beats means beat or every worker is down.
STALE_AFTER = timedelta(seconds=3 * settings.HEARTBEAT_SECONDS + 30)
OUTBOX_LAG_WARNING = timedelta(minutes=2)


def readiness() -> tuple[bool, dict[str, Any]]:
    checks = {"database": _database(), "broker": _broker()}
    ready = all(result == "ok" for result in checks.values())
    body: dict[str, Any] = {"status": "ok" if ready else "unavailable", "checks": checks}
    if checks["database"] == "ok":
        body["warnings"], body["lag"] = _lag()
    return ready, body


def _database() -> str:
    try:
        sql.ping()
        return "ok"
    except Exception as error:  # any failure means "not ready"; the kind is in the body
        connection.close()  # a broken connection must not be reused by the next request
        return f"error: {type(error).__name__}"


def _broker() -> str:
    from leadflow.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as error:  # same: report the kind, answer 503
        return f"error: {type(error).__name__}"


def _lag() -> tuple[list[str], dict[str, float | None]]:
    from handoff.models import Delivery
    from leads.models import Heartbeat

    now = timezone.now()

    def age(at: Any) -> float | None:
        return round((now - at).total_seconds(), 1) if at else None

    beat = Heartbeat.objects.filter(kind=Heartbeat.Kind.BEAT).order_by("-recorded_at").first()
    any_worker = Heartbeat.objects.order_by("-recorded_at").first()
    oldest = Delivery.objects.filter(status=Delivery.Status.PENDING).order_by("created_at").first()
    lag = {
        "beat_age_s": age(beat.recorded_at if beat else None),
        "worker_heartbeat_age_s": age(any_worker.recorded_at if any_worker else None),
        "outbox_oldest_pending_s": age(oldest.created_at if oldest else None),
    }
    warnings = []
    if lag["beat_age_s"] is None or lag["beat_age_s"] > STALE_AFTER.total_seconds():
        warnings.append(_("Beat or the workers have not recorded a heartbeat recently."))
    if (lag["outbox_oldest_pending_s"] or 0) > OUTBOX_LAG_WARNING.total_seconds():
        warnings.append(_("Alerts are waiting in the outbox."))
    return warnings, lag


def readiness_context(request: Any) -> dict[str, Any]:
    """Template context: ``readiness``, computed only by a template that reads it (the
    Django admin's index shows a degraded dependency there)."""
    from django.utils.functional import SimpleLazyObject

    return {"readiness": SimpleLazyObject(lambda: readiness()[1])}
