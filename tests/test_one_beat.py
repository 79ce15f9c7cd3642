"""Exactly one beat: a second beat waits while the first runs, and takes over when the
first is killed outright — embedded (a file lock) and on Redis (a renewed key)."""

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import BASE_DIR, stop_process
from tests.waiting import wait_until

Start = Callable[[str], tuple[subprocess.Popen[bytes], Path]]


@pytest.fixture
def start_beat(tmp_path: Path) -> Iterator[Start]:
    processes: list[subprocess.Popen[bytes]] = []

    def start(mode: str) -> tuple[subprocess.Popen[bytes], Path]:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "leadflow.settings",
               "LEADFLOW_VAR_DIR": str(tmp_path / "var"),
               "CELERY_QUEUE": f"one-beat-{os.getpid()}", "HEARTBEAT_SECONDS": "1"}  # fmt: skip
        if mode == "embedded":
            env.pop("REDIS_URL", None)
        log = tmp_path / f"beat-{len(processes)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "leadflow", "beat", "--loglevel=INFO"],
                cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        processes.append(process)
        return process, log

    yield start
    for process in processes:
        stop_process(process)


@pytest.mark.parametrize("mode", ["embedded", pytest.param("redis", marks=pytest.mark.needs_redis)])
def test_a_second_beat_waits_and_takes_over_when_the_first_is_killed(
    start_beat: Start, mode: str
) -> None:
    first, first_log = start_beat(mode)
    wait_until(lambda: "beat lock taken" in first_log.read_text(), timeout=40)

    second, second_log = start_beat(mode)
    wait_until(lambda: "another beat is running" in second_log.read_text(), timeout=40)
    assert "beat lock taken" not in second_log.read_text()
    assert second.poll() is None  # waiting, not gone

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    # The file lock goes with the process; the Redis key within its time to live.
    wait_until(lambda: "beat lock taken" in second_log.read_text(), timeout=60)
