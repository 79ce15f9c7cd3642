import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from leadflow.celery import app as celery_app
from leads.roles import Role
from tests.factories import TeamFactory, UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


# --- In CI a skipped test is a failed test --------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {report.longrepr}"


def pytest_runtest_setup(item: pytest.Item) -> None:
    # These run against the real thing or fail: `make test` points at this machine's
    # PostgreSQL and Redis unless DATABASE_URL / REDIS_URL say otherwise.
    if item.get_closest_marker("needs_redis") and not os.environ.get("REDIS_URL"):
        pytest.fail("needs a real Redis: set REDIS_URL (make test does)")
    if item.get_closest_marker("needs_postgres") and connection.vendor != "postgresql":
        pytest.fail("needs PostgreSQL: set DATABASE_URL (make test does)")


# --- Real Celery workers -----------------------------------------------------------------


@pytest.fixture
def celery_worker(transactional_db: None, django_db_serialized_rollback: None) -> Iterator[None]:
    """A real Celery worker thread consuming this test process's queue on Redis."""
    celery_app.control.purge()
    with running_worker():
        yield


@contextmanager
def running_worker() -> Iterator[None]:
    """A Celery worker thread on the app's current broker, for the length of the block."""

    def close_worker_connection(**kwargs: object) -> None:
        # The worker thread's own connection would outlive the test and block the
        # test database's teardown.
        connection.close()

    task_postrun.connect(close_worker_connection, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield
    finally:
        task_postrun.disconnect(close_worker_connection)


def test_database_url() -> str:
    """A URL that lets another process open the database this test is using."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "localhost"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


test_database_url.__test__ = False  # type: ignore[attr-defined]


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """TERM, then KILL if it has not stopped within 15 s."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class EmbeddedWorker:
    """A ``celery worker -B`` process on the embedded defaults (filesystem broker)."""

    var_dir: Path
    queue: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def embedded_worker(
    transactional_db: None, django_db_serialized_rollback: None, tmp_path: Path
) -> Iterator[EmbeddedWorker]:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    queue = "embedded-test"
    env.update(
        DJANGO_SETTINGS_MODULE="leadflow.settings",
        LEADFLOW_VAR_DIR=str(tmp_path),
        DATABASE_URL=test_database_url(),
        CELERY_QUEUE=queue,
        HEARTBEAT_SECONDS="1",
    )
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "leadflow",
                "worker",
                "-B",
                "-P",
                "solo",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    worker = EmbeddedWorker(var_dir=tmp_path, queue=queue, process=process, log=log)
    try:
        yield worker
    finally:
        stop_process(process)
        # The flush after this test drops content types created during the session; a
        # cached id would then break the next transactional test's audit rows.
        ContentType.objects.clear_cache()


# --- Personas ----------------------------------------------------------------------------
# Two teams: the manager runs the rep's team; the other manager runs the other rep's.


@pytest.fixture
def marketer(db: None):  # type: ignore[no-untyped-def]
    return UserFactory(username="marketer", role=Role.MARKETER)


@pytest.fixture
def admin_user(db: None):  # type: ignore[no-untyped-def]
    return UserFactory(username="admin", role=Role.ADMIN)


@pytest.fixture
def manager(db: None):  # type: ignore[no-untyped-def]
    return UserFactory(username="manager", role=Role.MANAGER)


@pytest.fixture
def other_manager(db: None):  # type: ignore[no-untyped-def]
    return UserFactory(username="other_manager", role=Role.MANAGER)


@pytest.fixture
def rep(manager):  # type: ignore[no-untyped-def]
    user = UserFactory(username="rep", role=Role.REP)
    TeamFactory(name="Iberia", manager=manager, members=[user, manager])
    return user


@pytest.fixture
def other_rep(other_manager):  # type: ignore[no-untyped-def]
    user = UserFactory(username="other_rep", role=Role.REP)
    TeamFactory(name="North America", manager=other_manager, members=[user, other_manager])
    return user


@pytest.fixture
def active_model(db: None):  # type: ignore[no-untyped-def]
    """The shipped scoring model v1 and event types (a flush by a transactional test
    removes what migrations created, so put them back)."""
    from scoring.defaults import install_defaults
    from scoring.models import EventType, FitRule, IntentRule, ScoringModel

    install_defaults(EventType, ScoringModel, FitRule, IntentRule)
    return ScoringModel.objects.get(status="active")


@pytest.fixture
def source_key(active_model):  # type: ignore[no-untyped-def]
    from scoring.models import SourceApiKey

    _api_key, key = SourceApiKey.objects.create_key(name="Website", source="website")
    return key


@pytest.fixture
def core_rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lifecycle with no app's guards or hooks: for testing the core's own table.

    (The handoff app's guards, e.g. "MQL → SAL only by accepting", are tested with it.)"""
    from leads import hooks

    monkeypatch.setattr(hooks, "registry", hooks.HookRegistry())


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Run Celery tasks inline, for unit tests of what a task does (never a substitute for
    the real-worker tests)."""
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = False


@pytest.fixture
def handoff_defaults(active_model):  # type: ignore[no-untyped-def]
    from handoff.defaults import install_defaults
    from handoff.models import HandoffSettings, QualifyingQuestion, RejectReason

    install_defaults(RejectReason, QualifyingQuestion, HandoffSettings)
    return HandoffSettings.current()


@pytest.fixture
def sales_floor(handoff_defaults, manager, rep):  # type: ignore[no-untyped-def]
    """A team of three reps under "manager", all in one round-robin routing rule."""
    from handoff.models import RoutingRule
    from leads.models import Team

    team = Team.objects.get(manager=manager)
    rep2 = UserFactory(username="rep2", role=Role.REP)
    rep3 = UserFactory(username="rep3", role=Role.REP)
    team.members.add(rep2, rep3)
    rule = RoutingRule.objects.create(name="Everyone", sla_minutes=10)
    rule.pool.add(rep, rep2, rep3)
    return {"rule": rule, "reps": [rep, rep2, rep3], "team": team}


@pytest.fixture
def fresh_cache() -> None:
    """Start with none of this test process's cache keys (rate-limit counts, say).

    Not ``cache.clear()``: on Redis that is FLUSHDB, which also wiped the other test
    processes' keys, their rate-limit counts included, in the middle of their tests."""
    from django.conf import settings
    from django.core.cache import cache

    if not settings.REDIS_URL:
        cache.clear()  # local memory: this process's own
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)
