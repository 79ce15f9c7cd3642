"""A fresh clone's worker: `celery -A leadflow worker -B` on PostgreSQL and Redis, started
where no var/ folder exists yet, runs beat's schedule, and /readyz then reports beat alive."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from leads.models import Heartbeat
from tests.conftest import BASE_DIR, EmbeddedWorker, stop_process, test_database_url
from tests.waiting import wait_until

pytestmark = pytest.mark.needs_redis


@pytest.fixture
def fresh_clone_worker(
    transactional_db: None, django_db_serialized_rollback: None, tmp_path: Path
) -> Iterator[EmbeddedWorker]:
    """A `celery worker -B` process whose LEADFLOW_VAR_DIR does not exist, on the test
    database and this machine's Redis (with a queue of its own)."""
    var_dir = tmp_path / "clone" / "var"
    queue = f"fresh-clone-{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "leadflow.settings",
        "LEADFLOW_VAR_DIR": str(var_dir),
        "DATABASE_URL": test_database_url(),
        "CELERY_QUEUE": queue,
        "HEARTBEAT_SECONDS": "1",
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "leadflow", "worker", "-B", "-P", "solo",
             "--loglevel=INFO"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield EmbeddedWorker(var_dir=var_dir, queue=queue, process=process, log=log)
    finally:
        stop_process(process)
        # The flush after this test drops content types created during the session; a
        # cached id would then break the next transactional test's audit rows.
        ContentType.objects.clear_cache()


def test_beat_starts_without_a_var_folder_and_readyz_sees_it(fresh_clone_worker, settings) -> None:
    settings.METRICS_TOKEN = "fresh-clone"  # readiness details are for operators
    assert not (fresh_clone_worker.var_dir.parent).exists()  # (the clone's folder is new)
    ready = Client(HTTP_AUTHORIZATION="Bearer fresh-clone").get("/readyz").json()
    assert ready["lag"]["beat_age_s"] is None  # nothing has recorded a beat yet

    wait_until(lambda: Heartbeat.objects.filter(kind="beat").exists(), timeout=40)

    output = fresh_clone_worker.output()
    assert fresh_clone_worker.process.poll() is None, output
    assert "corrupted schedule" not in output, output
    assert "FileNotFoundError" not in output, output
    assert list(fresh_clone_worker.var_dir.glob("celerybeat-schedule*"))
    response = Client(HTTP_AUTHORIZATION="Bearer fresh-clone").get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["warnings"] == [], body
    assert body["lag"]["beat_age_s"] is not None
