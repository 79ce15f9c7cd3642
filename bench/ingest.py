"""Event ingestion throughput with scoring, through real HTTP (issue: scoring).

    python bench/ingest.py           # 50,000 leads, 500,000 events
    python bench/ingest.py --quick   # 10,000 leads, 100,000 events

Starts gunicorn and Celery workers itself against its own PostgreSQL database (beside
DATABASE_URL's) and REDIS_URL, creates the leads (scored, as a real database's are) and a
source API key, waits until the workers are idle, then posts events in batches of 500 from
several client processes (bodies built before the clock starts). The workers are those of
the compose file: one for scoring, one for alerts (it routes the leads the events make
MQL and alerts their reps), one process each.
A batch of 500 is answered once stored; the worker scores it within a second
(scoring/pending.py). So the run is timed until every event is *scored*, and
`events_per_s` is events / that time; `post_events_per_s` is the rate the posts alone
were answered at; `max_lag_s` the longest any event waited for its score, sampled every
half second. `score_visible_ms` is a client's view of a single event: POST, then read
the lead's intent. `alerted`: leads handed to sales during the run, and `alert_p50_ms` /
`alert_max_ms` the time from qualifying to their first in-app alert.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from _common import (
    ROOT,
    bench_database,
    median,
    percentile,
    result_line,
    start_gunicorn,
    wait_for_worker,
    wait_until_idle,
)

TYPES = [("page_view", 50), ("pricing_page_visit", 10), ("email_open", 15), ("email_click", 8),
         ("content_download", 6), ("webinar_registered", 3), ("demo_request", 2),
         ("email_reply", 3), ("competitor_research", 3)]  # fmt: skip
BATCH = 500
QUEUE = "bench-ingest"


def bodies(args: tuple[list[int], int, int, int]) -> list[bytes]:
    """One sender's batches, built before the clock starts."""
    lead_ids, batches, offset, seed = args
    rng = random.Random(seed)
    types, weights = zip(*TYPES, strict=True)
    now = datetime.now(UTC)
    return [
        json.dumps(
            [
                {
                    "id": f"bench-{offset}-{batch}-{i}",
                    "type": rng.choices(types, weights)[0],
                    "lead_id": rng.choice(lead_ids),
                    "occurred_at": (now - timedelta(hours=rng.uniform(0, 24 * 30))).isoformat(),
                    "properties": {"url": "/pricing" if rng.random() < 0.2 else "/blog/post"},
                }
                for i in range(BATCH)
            ]
        ).encode()
        for batch in range(batches)
    ]


def client(args: tuple[int, str, list[bytes]]) -> list[float]:
    """One sender: posts its batches, returns each batch's latency in ms."""
    port, key, batches = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
    latencies = []
    for body in batches:
        started = time.perf_counter()
        conn.request("POST", "/api/events/", body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise SystemExit(f"batch failed: {response.status} {payload[:300]!r}")
    return latencies


# As the compose file runs them: a queue for scoring, one for alerts (routing the new MQLs
# and alerting their reps), each with its worker; the default queue goes with scoring.
WORKERS = {
    f"bench-ingest-scoring-{os.getpid()}@{socket.gethostname()}": [QUEUE, f"{QUEUE}-scoring"],
    f"bench-ingest-alerts-{os.getpid()}@{socket.gethostname()}": [f"{QUEUE}-alerts"],
}


def start_workers(env: dict[str, str]) -> list[subprocess.Popen]:
    started = []
    for name, queues in WORKERS.items():
        started.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "leadflow", "worker", "-c", "1",
             "-n", name, "-Q", ",".join(queues), "--loglevel", "WARNING"],
            cwd=ROOT,
            env={**env, "CELERY_QUEUE": QUEUE, "CELERY_SEPARATE_QUEUES": "1"},
        ))  # fmt: skip
    for process, name in zip(started, WORKERS, strict=True):
        wait_for_worker(process, name)
    return started


def wait_for_workers() -> None:
    for name, queues in WORKERS.items():
        for queue in queues:
            wait_until_idle(name, queue)


def alert_delays_ms(since: datetime) -> list[float]:
    """For each lead handed to sales during the run: from qualifying to its first in-app
    alert (the rep's, or the managers' when no rep had room)."""
    from django.db.models import Min, Q

    from handoff.models import Delivery, Handoff

    handoffs = Handoff.objects.filter(created_at__gte=since).annotate(
        alerted=Min("deliveries__sent_at", filter=Q(deliveries__channel=Delivery.Channel.IN_APP))
    )
    return [
        (h.alerted - h.qualified_at).total_seconds() * 1000
        for h in handoffs
        if h.alerted is not None
    ]


def oldest_wait_s() -> float:
    from scoring import pending

    return pending.oldest_wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    leads, events = (10_000, 100_000) if args.quick else (50_000, 500_000)
    # Tasks sent while seeding go to this run's worker; its cache keys are its own.
    os.environ["CELERY_QUEUE"] = QUEUE
    os.environ["CELERY_SEPARATE_QUEUES"] = "1"
    os.environ["CACHE_KEY_PREFIX"] = f"bench-ingest-{os.getpid()}"

    with bench_database("ingest") as url:
        import io

        from django.core.management import call_command

        from leads.models import Lead
        from scoring.models import Event, LeadScore, SourceApiKey

        call_command("seed_demo", leads=leads, stdout=io.StringIO())
        # The synthetic leads come with made-up scores (version 0); a real database's leads
        # were scored when they came in. Score them now, so the run measures events for
        # scored leads, not each lead's one-off first scoring.
        call_command("rescore_all", stdout=io.StringIO())
        lead_ids = list(Lead.objects.values_list("pk", flat=True))
        seeded_events = Event.objects.count()
        _api_key, key = SourceApiKey.objects.create_key(
            name="bench", source="website", requests_per_minute=1_000_000
        )
        from django.db import connections

        connections.close_all()

        server, port, env = start_gunicorn(
            url,
            workers=args.workers,
            env={"CELERY_QUEUE": QUEUE, "CACHE_KEY_PREFIX": os.environ["CACHE_KEY_PREFIX"]},
        )
        workers = start_workers(env)
        try:
            wait_for_workers()
            batches = events // BATCH
            shares = [batches // args.clients + (1 if i < batches % args.clients else 0)
                      for i in range(args.clients)]  # fmt: skip
            with multiprocessing.Pool(args.clients) as pool:
                prepared = pool.map(
                    bodies, [(lead_ids, shares[i], i, i) for i in range(args.clients)]
                )
                started = time.perf_counter()
                started_at = datetime.now(UTC)
                running = pool.map_async(
                    client, [(port, key, prepared[i]) for i in range(args.clients)]
                )
                lags = [0.0]
                while not running.ready():
                    lags.append(oldest_wait_s())
                    running.wait(0.5)
                results = running.get()
                posted = time.perf_counter() - started
                # Sustained with scoring: the clock stops when the last event is scored.
                deadline = time.monotonic() + 600
                while (lag := oldest_wait_s()) > 0:
                    lags.append(lag)
                    if time.monotonic() > deadline:
                        raise SystemExit("the worker did not catch up in 10 minutes")
                    time.sleep(0.05)
                elapsed = time.perf_counter() - started
            latencies = [ms for part in results for ms in part]

            # A client's view of "scores follow events": post one event for a new lead,
            # then read its score (what a page or an API client would see next).
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            t0 = time.perf_counter()
            conn.request(
                "POST",
                "/api/events/",
                body=json.dumps({"type": "demo_request", "email": "probe@bench.example"}),
                headers={"Authorization": f"Api-Key {key}", "Content-Type": "application/json"},
            )
            conn.getresponse().read()
            intent = Lead.objects.filter(email="probe@bench.example").values_list(
                "intent", flat=True
            )
            visible_ms = (time.perf_counter() - t0) * 1000
            if not intent or not intent[0]:
                raise SystemExit("the new event is not in the lead's score")

            # The new MQLs' routing and alerts, by the alerts worker meanwhile: speed to lead
            # while the events pour in.
            wait_for_workers()
            alerts = alert_delays_ms(started_at)
            stored = Event.objects.count() - seeded_events
            scored = LeadScore.objects.count()
        finally:
            for process in (server, *workers):
                process.send_signal(signal.SIGTERM)
            for process in (server, *workers):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    rate = stored / elapsed
    print(f"{stored:,} events posted in {posted:.1f}s ({stored / posted:,.0f}/s), all scored "
          f"after {elapsed:.1f}s, longest wait for a score {max(lags):.1f}s")  # fmt: skip
    print(f"{scored:,} leads scored; batch latency p50 {median(latencies):.0f} ms, "
          f"p99 {percentile(latencies, 99):.0f} ms")  # fmt: skip
    if alerts:
        print(f"{len(alerts):,} new MQLs routed and alerted; qualified to alerted p50 "
              f"{median(alerts):.0f} ms, max {max(alerts):.0f} ms")  # fmt: skip
    print(
        result_line(
            events_per_s=round(rate),
            post_events_per_s=round(stored / posted),
            max_lag_s=round(max(lags), 2),
            p50_ms=round(median(latencies)),
            p99_ms=round(percentile(latencies, 99)),
            score_visible_ms=round(visible_ms, 1),
            alerted=len(alerts),
            alert_p50_ms=round(median(alerts)) if alerts else 0,
            alert_max_ms=round(max(alerts)) if alerts else 0,
            events=stored,
            leads=len(lead_ids),
        )
    )


if __name__ == "__main__":
    main()
