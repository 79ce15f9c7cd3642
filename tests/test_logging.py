"""Logs: JSON lines in production settings, no email address in them, and the request id
of a request follows the Celery tasks it starts."""

import json
import os
import subprocess
import sys

import pytest
from celery.signals import task_prerun
from django_guid import get_guid, set_guid

from tests.faults.services import ROOT
from tests.waiting import wait_until

PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "example.com",
    "DJANGO_SETTINGS_MODULE": "leadflow.settings",
    "SECRET_KEY": "log-test-secret-key-long-enough-1234567890ab",
}


def test_production_logs_are_json_lines_without_emails() -> None:
    code = (
        "import django, logging; django.setup(); from django_guid import set_guid; "
        "set_guid('req-42'); "
        "logging.getLogger('leads').warning('lead %s qualified', 'ana.ruiz@acme.example'); "
        "logging.getLogger('x').error('failed for bob@corp.example', exc_info=False)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, **PRODUCTION}, check=True)  # fmt: skip
    lines = [json.loads(line) for line in result.stderr.strip().splitlines()]

    assert lines[0]["message"] == "lead [email] qualified"
    assert lines[0]["request_id"] == "req-42"
    assert (lines[0]["level"], lines[0]["name"]) == ("WARNING", "leads")
    assert "@" not in result.stderr


@pytest.mark.needs_redis
def test_the_request_id_follows_the_tasks_a_request_starts(celery_worker) -> None:
    from leads.tasks import ping

    seen: list[str | None] = []

    def remember(**kwargs: object) -> None:
        seen.append(get_guid())

    task_prerun.connect(remember, weak=False)
    try:
        set_guid("request-7f3a")
        ping.delay("guid")
        wait_until(lambda: seen, timeout=20)
    finally:
        task_prerun.disconnect(remember)
        set_guid(None)
    assert seen[0] is not None
    assert seen[0].startswith("request-7f3a")
