"""The Celery app. Configuration lives in settings.py under the CELERY_ prefix."""

import os

from celery import Celery
from celery.signals import beat_embedded_init, beat_init

from leadflow.beat_lock import hold_beat_lock

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadflow.settings")

app = Celery("leadflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Apps declare tasks with @shared_task in their tasks.py; they never import this module.
app.autodiscover_tasks()

# Exactly one beat: a second one waits for the first to be gone (leadflow/beat_lock.py).
beat_init.connect(hold_beat_lock, weak=False)
beat_embedded_init.connect(hold_beat_lock, weak=False)  # `worker -B` (tests, old scripts)
