"""Re-scoring every lead with the set-based path (issue: scoring).

    python bench/rescore.py           # 1,000,000 leads
    python bench/rescore.py --quick   # 100,000 leads

Seeds its own database (`seed_demo --leads N`, then ~3 behaviour events per lead written
server-side), activates the shipped model's copy, and times the re-scoring job as the
workers run it: a `celery worker -c 2` on REDIS_URL (the job's worker plus one helper,
as RESCORE_HELPERS=1 asks on this 2-core machine). Target: 1M leads in under 2 minutes.
With BENCH_KEEP_DB=1 the seeded database is kept, and a later run measures again on it
(every score made to change first, as on the first run).
"""

import argparse
import io
import os
import signal
import subprocess
import sys
import time

from _common import BENCH_ENV, ROOT, bench_database, result_line, seeded

EVENTS_SQL = """
INSERT INTO scoring_event (lead_id, type, source, source_kind, external_id, occurred_at,
                           received_at, properties)
SELECT l.id,
       (ARRAY['page_view','pricing_page_visit','email_open','email_click','demo_request',
              'content_download','webinar_attended','unsubscribe'])[1 + floor(random() * 8)::int],
       'website', 'first_party', '', now() - random() * interval '90 days', now(),
       jsonb_build_object('url', CASE WHEN random() < 0.3 THEN '/pricing' ELSE '/blog' END)
FROM leads_lead l, generate_series(1, 3)
"""
QUEUE = "bench-rescore"


def start_worker() -> subprocess.Popen:
    env = {**os.environ, **BENCH_ENV, "CELERY_QUEUE": QUEUE}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "leadflow", "worker", "-c", "2",
         "--loglevel", "WARNING"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    leads = 100_000 if args.quick else 1_000_000
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("set REDIS_URL: the job runs on real Celery workers")
    os.environ["CELERY_QUEUE"] = QUEUE  # this process sends, the worker takes

    with bench_database("rescore"):
        from django.core.management import call_command
        from django.db import connection

        from leads.models import Lead
        from scoring.models import LeadScore, RescoreJob, ScoringModel
        from scoring.versions import activate, copy_to_draft

        started = time.monotonic()
        if seeded(leads):
            # A kept database (BENCH_KEEP_DB=1) measured again: every score is made to
            # change, as on the first run (copied onto the leads, a history row each).
            with connection.cursor() as cursor:
                cursor.execute("UPDATE leads_lead SET fit = NULL, intent = NULL")
                cursor.execute("UPDATE scoring_leadscore SET fit = NULL, intent = NULL, grade = ''")
        else:
            call_command("seed_demo", leads=leads, stdout=io.StringIO())
            with connection.cursor() as cursor:
                cursor.execute(EVENTS_SQL)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum leaves
        print(f"seeded {Lead.objects.count():,} leads with events in "
              f"{time.monotonic() - started:.0f}s")  # fmt: skip

        from django.db import connections

        connections.close_all()
        # Tasks a previous run left queued (routing its promotions) are not this job's work.
        from leadflow.celery import app

        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(QUEUE)
        worker = start_worker()
        try:
            draft = copy_to_draft(ScoringModel.objects.get(status="active"), actor=None)
            started = time.monotonic()
            job = activate(draft, actor=None)  # sends the job's task once it commits
            while job.status in (RescoreJob.Status.PENDING, RescoreJob.Status.RUNNING):
                if time.monotonic() - started > 30 * 60:
                    raise SystemExit("the job did not finish in 30 minutes")
                time.sleep(0.2)
                job.refresh_from_db()
            elapsed = (job.finished_at - job.created_at).total_seconds()
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
        if job.status != RescoreJob.Status.DONE:
            raise SystemExit(f"job failed: {job.error}")
        scored = LeadScore.objects.filter(model_version=draft.version).count()
        start_s = (job.started_at - job.created_at).total_seconds()
        print(f"re-scored {scored:,} leads in {elapsed:.1f}s (the first {start_s:.1f}s to "
              f"start the job); {job.promoted:,} became MQL")  # fmt: skip
        print(
            result_line(
                leads=scored,
                seconds=round(elapsed, 1),
                leads_per_s=round(scored / elapsed),
                promoted=job.promoted,
                start_s=round(start_s, 1),
            )
        )


if __name__ == "__main__":
    main()
