"""Sustained load on the whole stack (issue: trustworthy under load).

    python bench/load.py           # 5 minutes, 100,000 leads
    python bench/load.py --quick   # 30 seconds, 20,000 leads

Builds its own database beside DATABASE_URL's, starts gunicorn, a Celery worker and beat
against it and REDIS_URL, then drives the API from client processes: 70% reads (lead
list pages, a lead, its score explanation, stage counts) and 30% event posts (batches of
20, some repeating ids). Reports throughput, latency p50 / p99, errors (any non-2xx, or
a failed connection), and each process's memory at the start and the end.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time

from _common import (
    BENCH_ENV,
    ROOT,
    bench_database,
    median,
    percentile,
    result_line,
    start_gunicorn,
)

READ_SHARE = 0.7


def client(args: tuple[int, str, str, list[int], float, int]) -> tuple[list[float], int, int]:
    """One sender until the deadline: (latencies in ms, requests, errors)."""
    port, token, key, lead_ids, deadline, seed = args
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    reads = {"Authorization": f"Token {token}"}
    writes = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
    latencies, errors, sent = [], 0, 0
    while time.monotonic() < deadline:
        if rng.random() < READ_SHARE:
            lead = rng.choice(lead_ids)
            path = rng.choice([
                "/api/leads/?ordering=-fit", "/api/leads/?stage=mql", f"/api/leads/{lead}/",
                f"/api/leads/{lead}/score/", "/api/reports/stage-counts/",
            ])  # fmt: skip
            method, body, headers = "GET", None, reads
        else:
            events = [{"id": f"load-{seed}-{rng.randint(0, 50_000)}",
                       "type": rng.choice(["page_view", "email_open", "pricing_page_visit"]),
                       "lead_id": rng.choice(lead_ids)} for _ in range(20)]  # fmt: skip
            method, body, headers, path = "POST", json.dumps(events), writes, "/api/events/"
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = 200 <= response.status < 300
        except (OSError, http.client.HTTPException):
            ok = False
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies.append((time.perf_counter() - started) * 1000)
        sent += 1
        errors += 0 if ok else 1
    return latencies, sent, errors


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def family(pid: int) -> list[int]:
    """A process and its children (gunicorn workers, Celery pool processes)."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                         text=True, check=False).stdout  # fmt: skip
    return [pid, *(int(p) for p in out.split())]


def memory(processes: dict[str, subprocess.Popen]) -> dict[str, float]:
    return {f"{name}:{pid}": round(rss_mb(pid), 1)
            for name, process in processes.items() for pid in family(process.pid)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    leads, seconds = (20_000, 30) if args.quick else (100_000, 300)
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("set REDIS_URL: the load runs on real Celery workers")

    with bench_database("load") as url:
        import io

        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connections
        from knox.models import get_token_model

        from leads.models import Lead
        from scoring.models import SourceApiKey

        call_command("seed_demo", leads=leads, stdout=io.StringIO())
        lead_ids = list(Lead.objects.values_list("pk", flat=True)[:20_000])
        _row, key = SourceApiKey.objects.create_key(name="load", source="website",
                                                   requests_per_minute=10_000_000)  # fmt: skip
        _token, token = get_token_model().objects.create(
            user=get_user_model().objects.get(username="marketer")
        )
        connections.close_all()

        server, port, env = start_gunicorn(url, workers=3, env={"CELERY_QUEUE": "bench-load"})
        var_dir = f"/tmp/leadflow-load-{os.getpid()}"
        os.makedirs(var_dir, exist_ok=True)  # beat's schedule file lives there
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "leadflow", "worker", "-B", "-c", "2",
             "--loglevel", "WARNING"],
            cwd=ROOT, env={**env, **BENCH_ENV, "DATABASE_URL": url, "CELERY_QUEUE": "bench-load",
                           "LEADFLOW_VAR_DIR": var_dir},
        )  # fmt: skip
        processes = {"gunicorn": server, "celery": worker}
        try:
            time.sleep(3)  # the worker's consumers come up
            before = memory(processes)
            deadline = time.monotonic() + seconds
            started = time.monotonic()
            with multiprocessing.Pool(args.clients) as pool:
                parts = pool.map(client, [(port, token, key, lead_ids, deadline, i)
                                          for i in range(args.clients)])  # fmt: skip
            elapsed = time.monotonic() - started
            after = memory(processes)
        finally:
            for process in processes.values():
                process.send_signal(signal.SIGTERM)
            for process in processes.values():
                process.wait(timeout=60)

    latencies = [ms for part in parts for ms in part[0]]
    sent = sum(part[1] for part in parts)
    errors = sum(part[2] for part in parts)
    print(f"{sent:,} requests from {args.clients} clients in {elapsed:.0f}s")
    for name in sorted(after):
        print(f"  {name:<22} RSS {before.get(name, 0):7.1f} MB → {after[name]:7.1f} MB")
    print(result_line(rps=round(sent / elapsed), p50_ms=round(median(latencies)),
                      p99_ms=round(percentile(latencies, 99)), errors=errors,
                      clients=args.clients, seconds=round(elapsed)))  # fmt: skip


if __name__ == "__main__":
    main()
