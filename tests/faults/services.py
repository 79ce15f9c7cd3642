"""Private services for fault tests: the app in gunicorn, a redis-server on a spare port.
The machine's shared PostgreSQL and Redis are never stopped."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests import waiting

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], object], seconds: float = 30) -> None:
    """tests.waiting.wait_until, for probes that may fail to connect while a service
    comes up or goes down (a failed connection counts as "not yet")."""

    def probe() -> bool:
        try:
            return bool(condition())
        except (OSError, http.client.HTTPException):
            return False

    waiting.wait_until(probe, timeout=seconds, every=0.2)


def status_of(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status


@contextmanager
def app_server(
    database_url: str, *, workers: int = 1, threads: int = 1, **env: str
) -> Iterator[int]:
    """gunicorn with production settings on a free port; yields the port."""
    port = free_port()
    full_env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0",
                "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
                "SECRET_KEY": "fault-test-secret-key-long-enough-to-please-check-deploy-1234567",
                "CELERY_QUEUE": "fault-test", "LOG_LEVEL": "ERROR", **env}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "leadflow.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--timeout", "60",
         "--log-level", "error"],
        cwd=ROOT, env=full_env,
    )  # fmt: skip
    try:
        wait_until(lambda: status_of(port, "/healthz") == 200)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


class PrivateRedis:
    """A redis-server of the test's own, which the test may stop and start again."""

    def __init__(self, folder: Path | None = None) -> None:
        if not shutil.which("redis-server"):
            raise AssertionError("needs redis-server (Debian's redis-server package)")
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        folder = ["--dir", str(self.folder)] if self.folder else []
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", *folder],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self._answers, 10)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
