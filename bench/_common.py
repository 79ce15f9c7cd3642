"""What every benchmark shares: its own database, Django set up against it, timing."""

import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@contextmanager
def bench_database(name: str) -> Iterator[str]:
    """A fresh PostgreSQL database beside DATABASE_URL's, migrated, dropped afterwards.

    Benchmarks never write into the database DATABASE_URL names: they make their own.
    With BENCH_KEEP_DB=1 the database is kept afterwards and reused by the next run
    (``seeded`` tells a bench whether it can skip its set-up): for measuring again, or
    reading query plans, without seeding a million leads each time.
    """
    import psycopg

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("benchmarks run on PostgreSQL: set DATABASE_URL=postgres://…")
    db_name = f"leadflow_bench_{name}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    keep = os.environ.get("BENCH_KEEP_DB") == "1"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name]).fetchone()
        if not (keep and exists):
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{db_name}"')
    url = urlunsplit(parts._replace(path=f"/{db_name}"))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadflow.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    try:
        yield url
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def seeded(leads: int) -> bool:
    """Whether a kept bench database already holds ``leads`` leads (BENCH_KEEP_DB)."""
    from leads.models import Lead

    return os.environ.get("BENCH_KEEP_DB") == "1" and Lead.objects.count() >= leads


def timed_ms(call: Callable[[], object], *, repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def result_line(**figures: object) -> str:
    return "RESULT " + " ".join(f"{key}={value}" for key, value in figures.items())


BENCH_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-with-enough-length-and-entropy-1234567890",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
    # Emails are built and sent through Django's backend, then dropped (the locmem backend
    # kept every one in memory: growth that bench/load.py's memory samples then showed).
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database_url: str, *, workers: int, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """gunicorn on a free local port in production settings; returns (process, port, env)."""
    import subprocess

    port = free_port()
    full_env = {**os.environ, **BENCH_ENV, "DATABASE_URL": database_url, **(env or {})}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "leadflow.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=full_env,
    )
    wait_for_http(port)
    return process, port, full_env


def wait_for_http(port: int, deadline_s: float = 60) -> None:
    import http.client

    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def wait_for_worker(process, name: str, deadline_s: float = 90) -> None:  # type: ignore[no-untyped-def]
    """Until the Celery worker started as ``-n name`` answers a ping: a running service's
    worker is up before the events come, so its start is not part of the measurement."""
    from leadflow.celery import app

    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the Celery worker exited")
        if app.control.ping(destination=[name], timeout=0.5):
            return
    raise SystemExit("the Celery worker did not start")


def wait_until_idle(name: str, queue: str, deadline_s: float = 600) -> None:
    """Until the worker ``name`` has done every task queued so far on ``queue`` (what the
    set-up sent: routing the leads it made MQL, say), so that work is not measured."""
    from amqp.exceptions import ChannelError

    from leadflow.celery import app

    deadline = time.monotonic() + deadline_s
    inspect = app.control.inspect(destination=[name], timeout=1)
    while time.monotonic() < deadline:
        with app.connection_for_read() as conn:
            try:
                waiting = conn.default_channel.queue_declare(queue, passive=True).message_count
            except ChannelError:  # on Redis, an empty queue does not exist
                waiting = 0
        busy = any((inspect.active() or {}).values()) or any((inspect.reserved() or {}).values())
        if not waiting and not busy:
            return
        time.sleep(0.5)
    raise SystemExit(f"the worker did not finish the set-up's tasks in {deadline_s:.0f} s")
