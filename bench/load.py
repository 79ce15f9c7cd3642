"""Sustained load on the whole stack (issue: trustworthy under load).

    python bench/load.py           # rate search, then 5 minutes at the best rate; 100,000 leads
    python bench/load.py --quick   # short steps, then 30 seconds; 20,000 leads
    python bench/load.py --rate 40 # skip the search: hold 40 requests/s

Builds its own database beside DATABASE_URL's, starts gunicorn, a Celery worker and beat
against it and REDIS_URL, then drives the API from client processes: 70% reads (lead
list pages, a lead, its score explanation, stage counts) and 30% event posts (batches of
20, some repeating ids).

The load is paced (open loop): requests leave on a fixed schedule whatever the answers, and
each latency counts from the moment its request was due, so a slow server shows as latency
instead of quietly lowering the rate. The search raises the rate step by step and keeps the
highest one with no errors and p99 under 300 ms; the sustained run then holds that rate.
Reports throughput, latency p50 / p99, errors (any non-2xx, or a failed connection), and
each process's memory at the start, every 30 s and at the end of the sustained run.
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
TARGET_P99_MS = 300
RATES = [10, 15, 20, 25, 30, 35, 40, 50, 60, 70, 80, 100]


def client(
    args: tuple[int, str, str, list[int], float, float, float, int],
) -> tuple[list[float], int, int]:
    """One sender of a paced share of the load: (latencies in ms, requests, errors)."""
    port, token, key, lead_ids, start, seconds, rate, seed = args
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    reads = {"Authorization": f"Token {token}"}
    writes = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
    latencies, errors, sent = [], 0, 0
    interval = 1 / rate
    due = start + rng.uniform(0, interval)  # the senders are staggered
    while due < start + seconds:
        if (wait := due - time.monotonic()) > 0:
            time.sleep(wait)
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
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = 200 <= response.status < 300
        except (OSError, http.client.HTTPException):
            ok = False
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies.append((time.monotonic() - due) * 1000)
        sent += 1
        errors += 0 if ok else 1
        due += interval
    return latencies, sent, errors


class Step:
    def __init__(self, rate: float, parts: list[tuple[list[float], int, int]], seconds: float):
        self.rate = rate
        self.latencies = [ms for part in parts for ms in part[0]]
        self.sent = sum(part[1] for part in parts)
        self.errors = sum(part[2] for part in parts)
        self.seconds = seconds

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99)

    @property
    def p50(self) -> float:
        return median(self.latencies)

    @property
    def passed(self) -> bool:
        return self.errors == 0 and self.p99 < TARGET_P99_MS

    def line(self) -> str:
        verdict = "ok" if self.passed else "over target"
        return (
            f"  {self.rate:5.0f}/s for {self.seconds:4.0f}s: {self.sent / self.seconds:6.1f} rps,"
            f" p50 {self.p50:6.0f} ms, p99 {self.p99:6.0f} ms, errors {self.errors}  {verdict}"
        )


def run_step(pool, setup, rate: float, seconds: float, clients: int, on_tick=None) -> Step:  # type: ignore[no-untyped-def]
    port, token, key, lead_ids = setup
    start = time.monotonic() + 0.5
    jobs = [(port, token, key, lead_ids, start, seconds, rate / clients, 1000 * rate + i)
            for i in range(clients)]  # fmt: skip
    pending = pool.map_async(client, jobs)
    while not pending.ready():
        pending.wait(timeout=30)
        if on_tick and not pending.ready():
            on_tick()
    return Step(rate, pending.get(), seconds)


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


def settle() -> None:
    """Start from a steady state, not from what seeding leaves for beat: run beat's own
    sweeps here until done (scores for the synthetic leads, compacted rollups), instead of
    having the worker do them, heavily, in the middle of the measured run."""
    from leads.tasks import compact_rollups
    from scoring.tasks import score_unscored_leads

    while score_unscored_leads():
        pass
    compact_rollups()


def sustain(pool, setup, rate: float, seconds: float, clients: int, processes):  # type: ignore[no-untyped-def]
    """Hold ``rate`` for ``seconds``; the step and each process's memory every 30 s."""
    samples = [memory(processes)]
    step = run_step(pool, setup, rate, seconds, clients,
                    on_tick=lambda: samples.append(memory(processes)))  # fmt: skip
    samples.append(memory(processes))
    return step, samples


def drain(queue: str, limit_s: float = 600) -> None:
    """Wait until the worker has taken every waiting task (the queue stays empty for 3 s)."""
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    deadline, quiet_since = time.monotonic() + limit_s, None
    while time.monotonic() < deadline:
        if client.llen(queue):
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= 3:
            return
        time.sleep(0.5)
    raise SystemExit(f"the worker did not drain {queue} in {limit_s:.0f}s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rate", type=float, help="hold this rate (requests/s); no search")
    args = parser.parse_args()
    leads, step_s, seconds = (20_000, 10, 30) if args.quick else (100_000, 30, 300)
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("set REDIS_URL: the load runs on real Celery workers")
    os.environ["CELERY_QUEUE"] = "bench-load"  # tasks sent while settling go to its worker

    with bench_database("load") as url:
        import io

        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connections
        from knox.models import get_token_model

        from leads.models import Lead
        from scoring.models import SourceApiKey

        call_command("seed_demo", leads=leads, stdout=io.StringIO())
        settle()
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have, on a live database
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
        setup = (port, token, key, lead_ids)
        try:
            drain("bench-load")  # what settling handed to the worker (routing of new MQLs)
            with multiprocessing.Pool(args.clients) as pool:
                # Warm up (not counted): each gunicorn worker's first requests load the URL
                # conf, catalogues and the scoring model.
                run_step(pool, setup, 5, 10, args.clients)
                best = args.rate
                passed: list[float] = []
                if best is None:
                    print(
                        f"rate search, {step_s}s a step"
                        f" (target: no errors, p99 < {TARGET_P99_MS} ms)"
                    )
                    for rate in RATES:
                        step = run_step(pool, setup, rate, step_s, args.clients)
                        print(step.line(), flush=True)
                        if not step.passed:
                            break
                        passed.append(rate)
                    if not passed:
                        raise SystemExit(f"even {RATES[0]}/s is over the target")
                    best = passed.pop()
                while True:
                    # An overloaded step or run leaves follow-up tasks queued: start clean.
                    drain("bench-load")
                    print(f"sustained: {best:.0f}/s for {seconds}s", flush=True)
                    sustained, samples = sustain(pool, setup, best, seconds, args.clients,
                                                 processes)  # fmt: skip
                    if sustained.passed or not passed:
                        break
                    # A short step held, the long run did not: one rate lower.
                    print(sustained.line(), flush=True)
                    best = passed.pop()
        finally:
            for process in processes.values():
                process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:  # a task still running: do not hang
                    process.kill()
                    process.wait()

    print(sustained.line())
    first, last = samples[0], samples[-1]
    print(f"memory (RSS MB) at {len(samples)} points over the sustained run:")
    for name in sorted(last):
        trail = " → ".join(f"{sample.get(name, 0):.0f}" for sample in samples)
        print(f"  {name:<22} {trail}")
    growth = max((last[name] - first.get(name, last[name]) for name in last), default=0.0)
    print(result_line(rps=round(sustained.sent / sustained.seconds, 1),
                      p50_ms=round(sustained.p50), p99_ms=round(sustained.p99),
                      errors=sustained.errors, rate=best, seconds=seconds,
                      max_rss_growth_mb=round(growth, 1)))  # fmt: skip


if __name__ == "__main__":
    main()
