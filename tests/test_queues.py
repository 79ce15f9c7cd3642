"""With separate queues on, alerts, scoring and imports each go to a queue of their own
(what the compose file's workers consume); off, everything shares one queue."""

import os
import subprocess
import sys

from tests.faults.services import ROOT

CODE = (
    "import django; django.setup(); from leadflow.celery import app; "
    "route = lambda name: app.amqp.router.route({}, name)['queue'].name; "
    "print(route('handoff.tasks.deliver_alert'), route('scoring.tasks.score_leads'), "
    "route('leads.tasks.run_import'), route('leads.tasks.record_beat'))"
)


def queues(separate: str) -> list[str]:
    env = {**os.environ, "CELERY_SEPARATE_QUEUES": separate, "CELERY_QUEUE": "lf",
           "DJANGO_SETTINGS_MODULE": "leadflow.settings"}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return out.split()


def test_each_kind_of_work_has_its_queue_when_asked() -> None:
    assert queues("1") == ["lf-alerts", "lf-scoring", "lf-imports", "lf"]
    assert queues("0") == ["lf", "lf", "lf", "lf"]
