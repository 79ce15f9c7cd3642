"""Celery's settings (namespace CELERY, read by leadflow/celery.py), star-imported by
leadflow/settings.py. Facts behind these values: NOTES.md."""

from datetime import timedelta

from leadflow.embedded import filesystem_broker_options
from leadflow.env import env_bool, env_int, env_str
from leadflow.paths import VAR_DIR, runtime_file

# The same variable settings.py reads for the cache.
_REDIS_URL = env_str("REDIS_URL")

if _REDIS_URL:
    CELERY_BROKER_URL = _REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A stalled Redis must not hang a web request: fail fast, the outbox relays later.
        "socket_timeout": 3,
        "socket_connect_timeout": 3,
        # Redelivery of an unacknowledged task waits this long; keep it above the
        # longest task's hard time limit.
        "visibility_timeout": 3600,
    }
else:
    # Embedded default: a real worker and beat on a broker that needs no server.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(VAR_DIR)

CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "leadflow")
# With CELERY_SEPARATE_QUEUES=1, alerts, scoring and imports each get a queue of their own
# (<queue>-alerts, -scoring, -imports) so a big import or re-score never delays an alert;
# run a worker per queue (the compose file does). Off by default: one queue, one worker.
CELERY_SEPARATE_QUEUES = env_bool("CELERY_SEPARATE_QUEUES", False)
CELERY_TASK_ROUTES = (
    {
        "handoff.tasks.deliver_alert": {"queue": f"{CELERY_TASK_DEFAULT_QUEUE}-alerts"},
        "handoff.tasks.relay_alerts": {"queue": f"{CELERY_TASK_DEFAULT_QUEUE}-alerts"},
        "handoff.tasks.route_new_mqls": {"queue": f"{CELERY_TASK_DEFAULT_QUEUE}-alerts"},
        "scoring.tasks.*": {"queue": f"{CELERY_TASK_DEFAULT_QUEUE}-scoring"},
        "leads.tasks.run_import": {"queue": f"{CELERY_TASK_DEFAULT_QUEUE}-imports"},
        "leads.tasks.resume_pending_imports": {"queue": f"{CELERY_TASK_DEFAULT_QUEUE}-imports"},
    }
    if CELERY_SEPARATE_QUEUES
    else {}
)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# At-least-once delivery: a task killed mid-run is redelivered, so every task is idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process past this resident size (KB) is replaced once its task ends: a bound on
# slow growth from large batches (bench/load.py samples every process's memory).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_KB", 400_000)
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
# Beat keeps its schedule here; the folder is created now, as the process starts.
CELERY_BEAT_SCHEDULE_FILENAME = str(runtime_file("celerybeat-schedule"))
# Celery closes the Django connection after every task unless told to reuse it
# (1,000 tasks opened 1,000 PostgreSQL connections without this).
CELERY_DB_REUSE_MAX = 1000

HEARTBEAT_SECONDS = env_int("HEARTBEAT_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    # Proves beat is alive; readiness reads the newest row.
    "record-beat": {
        "task": "leads.tasks.record_beat",
        "schedule": timedelta(seconds=HEARTBEAT_SECONDS),
    },
    # Old interest fades: re-score every lead with the decay of its events.
    "decay-scores": {"task": "scoring.tasks.decay_scores", "schedule": timedelta(hours=1)},
    # Catch-up sweeps for work whose message the broker never carried.
    "drain-pending-scores": {
        "task": "scoring.tasks.drain_pending_scores",
        "schedule": timedelta(minutes=1),
    },
    "resume-rescore-jobs": {
        "task": "scoring.tasks.resume_pending_jobs",
        "schedule": timedelta(minutes=2),
    },
    # A fresh learned likelihood from the week's outcomes (promoted only if better).
    "retrain-likelihood": {
        "task": "scoring.tasks.retrain_likelihood",
        "schedule": timedelta(days=7),
    },
    "score-unscored-leads": {
        "task": "scoring.tasks.score_unscored_leads",
        "schedule": timedelta(minutes=5),
    },
    # Handoffs: SLA reminders and breaches, alerts never carried, leads waiting for a rep.
    "check-slas": {"task": "handoff.tasks.check_slas", "schedule": timedelta(seconds=15)},
    "relay-alerts": {"task": "handoff.tasks.relay_alerts", "schedule": timedelta(seconds=15)},
    "assign-waiting": {"task": "handoff.tasks.assign_waiting", "schedule": timedelta(minutes=1)},
    "follow-ups": {"task": "handoff.tasks.create_follow_ups", "schedule": timedelta(hours=1)},
    "compact-rollups": {"task": "leads.tasks.compact_rollups", "schedule": timedelta(minutes=10)},
    "resume-imports": {
        "task": "leads.tasks.resume_pending_imports",
        "schedule": timedelta(minutes=2),
    },
}
