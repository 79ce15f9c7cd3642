"""Speed to lead: from the behaviour event's POST to the rep's alert (issue: handoff).

    python bench/handoff.py           # 2,000 leads pushed over the MQL threshold
    python bench/handoff.py --quick   # 500 leads

Starts gunicorn, a Celery worker on REDIS_URL and a local HTTP server that receives the
webhooks, against its own PostgreSQL database. Each lead is a good fit with no intent yet;
one POST of two demo requests makes it an MQL, which is routed to a rep and alerted.
Reports the time from the POST to the rep's in-app notification being committed
(p50_ms, p99_ms) and to the webhook being received (webhook_p99_ms). Target: p99 < 1 s.
"""

import argparse
import http.client
import json
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from _common import ROOT, bench_database, median, percentile, result_line, start_gunicorn

RECEIVED: dict[int, float] = {}  # lead id → wall-clock time the webhook arrived


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        RECEIVED.setdefault(body["lead"]["id"], time.time())
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rate", type=float, default=25.0, help="leads pushed per second")
    args = parser.parse_args()
    count = 500 if args.quick else 2000

    with bench_database("handoff") as url:
        from django.contrib.auth.models import User

        from handoff.models import Handoff, Notification, RepProfile, RoutingRule, WebhookEndpoint
        from leads.lifecycle import create_leads
        from leads.models import Company
        from leads.roles import Role, group_for
        from scoring.models import SourceApiKey

        company = Company.objects.create(
            domain="bench.example", name="Bench", industry="Software", employees=300, country="ES"
        )
        leads = create_leads(
            [
                {
                    "email": f"buyer{i}@bench.example",
                    "company_id": company.pk,
                    "attributes": {"seniority": "vp", "department": "sales"},
                }
                for i in range(count)
            ],
            actor=None,
        )
        rule = RoutingRule.objects.create(name="All", sla_minutes=30)
        for i in range(20):
            rep = User.objects.create_user(f"rep{i}", f"rep{i}@bench.example", "x")
            rep.groups.add(group_for(Role.REP))
            RepProfile.objects.create(user=rep, capacity=count)  # no rep is ever full here
            rule.pool.add(rep)
        receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        WebhookEndpoint.objects.create(
            name="bench", url=f"http://127.0.0.1:{receiver.server_port}/hook", secret="bench"
        )
        _api_key, key = SourceApiKey.objects.create_key(
            name="bench", source="website", requests_per_minute=1_000_000
        )
        from django.db import connections

        connections.close_all()

        server, port, env = start_gunicorn(
            url,
            workers=2,
            env={"CELERY_QUEUE": "bench-handoff", "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"},
        )
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "leadflow",
                "worker",
                "-c",
                "2",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
        )
        processes = [server, worker]
        try:
            time.sleep(3)  # the worker's consumers come up
            posted: dict[int, float] = {}

            def push(lead_id: int) -> None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                body = json.dumps([{"type": "demo_request", "lead_id": lead_id} for _ in range(2)])
                posted[lead_id] = time.time()
                conn.request(
                    "POST",
                    "/api/events/",
                    body=body,
                    headers={"Authorization": f"Api-Key {key}", "Content-Type": "application/json"},
                )
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    raise SystemExit(f"POST failed: {response.status}")

            with ThreadPoolExecutor(max_workers=8) as pool:
                for lead in leads:
                    pool.submit(push, lead.pk)
                    time.sleep(1 / args.rate)

            deadline = time.time() + 60
            while time.time() < deadline:
                alerted = Notification.objects.filter(kind="handoff").count()
                if alerted >= count and len(RECEIVED) >= count:
                    break
                time.sleep(0.5)
            committed = {
                lead_id: created.timestamp()
                for lead_id, created in Notification.objects.filter(kind="handoff").values_list(
                    "handoff__lead_id", "created_at"
                )
            }
            handoffs = Handoff.objects.count()
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=30)
            receiver.shutdown()

    in_app = [(committed[i] - posted[i]) * 1000 for i in posted if i in committed]
    webhook = [(RECEIVED[i] - posted[i]) * 1000 for i in posted if i in RECEIVED]
    missing = count - len(in_app)
    print(
        f"{count} leads pushed over the threshold at {args.rate}/s; {handoffs} handoffs; "
        f"{len(in_app)} in-app alerts, {len(webhook)} webhooks ({datetime.now(UTC):%H:%M:%S})"
    )
    print(
        result_line(
            p50_ms=round(median(in_app)),
            p99_ms=round(percentile(in_app, 99)),
            webhook_p50_ms=round(median(webhook)),
            webhook_p99_ms=round(percentile(webhook, 99)),
            leads=count,
            missing=missing,
        )
    )


if __name__ == "__main__":
    main()
