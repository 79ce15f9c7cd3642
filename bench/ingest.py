"""Event ingestion throughput with scoring, through real HTTP (issue: scoring).

    python bench/ingest.py           # 50,000 leads, 500,000 events
    python bench/ingest.py --quick   # 10,000 leads, 100,000 events

Starts gunicorn itself against its own PostgreSQL database (beside DATABASE_URL's) and
REDIS_URL, creates the leads and a source API key, then posts events in batches of 500
from several client processes. Scores are computed inside each request, so when a batch
is answered its leads' scores already reflect it; `score_visible_ms` measures that from a
client's point of view (POST one event, then read the lead's intent through the API).
"""

import argparse
import http.client
import json
import multiprocessing
import random
import signal
import time
from datetime import UTC, datetime, timedelta

from _common import bench_database, median, percentile, result_line, start_gunicorn

TYPES = [("page_view", 50), ("pricing_page_visit", 10), ("email_open", 15), ("email_click", 8),
         ("content_download", 6), ("webinar_registered", 3), ("demo_request", 2),
         ("email_reply", 3), ("competitor_research", 3)]  # fmt: skip
BATCH = 500


def client(args: tuple[int, str, list[int], int, int, int]) -> list[float]:
    """One sender: posts its share of batches, returns each batch's latency in ms."""
    port, key, lead_ids, batches, offset, seed = args
    rng = random.Random(seed)
    types, weights = zip(*TYPES, strict=True)
    now = datetime.now(UTC)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
    latencies = []
    for batch in range(batches):
        events = [
            {
                "id": f"bench-{offset}-{batch}-{i}",
                "type": rng.choices(types, weights)[0],
                "lead_id": rng.choice(lead_ids),
                "occurred_at": (now - timedelta(hours=rng.uniform(0, 24 * 30))).isoformat(),
                "properties": {"url": "/pricing" if rng.random() < 0.2 else "/blog/post"},
            }
            for i in range(BATCH)
        ]
        body = json.dumps(events)
        started = time.perf_counter()
        conn.request("POST", "/api/events/", body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise SystemExit(f"batch failed: {response.status} {payload[:300]!r}")
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    leads, events = (10_000, 100_000) if args.quick else (50_000, 500_000)

    with bench_database("ingest") as url:
        import io

        from django.core.management import call_command

        from leads.models import Lead
        from scoring.models import Event, LeadScore, SourceApiKey

        call_command("seed_demo", leads=leads, stdout=io.StringIO())
        lead_ids = list(Lead.objects.values_list("pk", flat=True))
        _api_key, key = SourceApiKey.objects.create_key(
            name="bench", source="website", requests_per_minute=1_000_000
        )
        from django.db import connections

        connections.close_all()

        server, port, _env = start_gunicorn(url, workers=args.workers)
        try:
            batches = events // BATCH
            shares = [batches // args.clients + (1 if i < batches % args.clients else 0)
                      for i in range(args.clients)]  # fmt: skip
            started = time.perf_counter()
            with multiprocessing.Pool(args.clients) as pool:
                results = pool.map(
                    client,
                    [(port, key, lead_ids, shares[i], i, i) for i in range(args.clients)],
                )
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

            stored = Event.objects.count()
            scored = LeadScore.objects.count()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    rate = stored / elapsed
    print(f"{stored:,} events stored from {len(latencies)} batches of {BATCH} in {elapsed:.1f}s")
    print(f"{scored:,} leads scored; batch latency p50 {median(latencies):.0f} ms, "
          f"p99 {percentile(latencies, 99):.0f} ms")  # fmt: skip
    print(
        result_line(
            events_per_s=round(rate),
            p50_ms=round(median(latencies)),
            p99_ms=round(percentile(latencies, 99)),
            score_visible_ms=round(visible_ms, 1),
            events=stored,
            leads=len(lead_ids),
        )
    )


if __name__ == "__main__":
    main()
