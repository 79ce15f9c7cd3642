"""How fast the leads list's first page answers at scale (issue: lead lifecycle core).

    python bench/leads_list.py           # 100,000 leads
    python bench/leads_list.py --quick   # 30,000 leads

Seeds its own database with `seed_demo --leads N`, then times the first page of
/api/leads/ (50 rows, full DRF stack in-process, as a marketer who sees every lead) for
each sort order and a filtered queue.
"""

import argparse
import io
import time

from _common import bench_database, median, percentile, result_line, timed_ms

QUERIES = [
    "/api/leads/",
    "/api/leads/?ordering=-fit",
    "/api/leads/?ordering=fit",
    "/api/leads/?ordering=-intent",
    "/api/leads/?stage=mql&ordering=-fit",
    "/api/leads/?stage=lead&fit_min=60&ordering=-created_at",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--leads", type=int, default=None)
    args = parser.parse_args()
    leads = args.leads or (30_000 if args.quick else 100_000)

    with bench_database("leads_list"):
        from django.core.management import call_command
        from django.db import connection
        from rest_framework.test import APIClient

        from leads.models import Lead

        started = time.monotonic()
        call_command("seed_demo", leads=leads, stdout=io.StringIO())
        seeded_s = time.monotonic() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        total = Lead.objects.count()

        client = APIClient()
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username="marketer"))
        worst_p99 = 0.0
        default_p99 = 0.0
        for query in QUERIES:
            samples = timed_ms(lambda q=query: client.get(q).status_code, repeat=40)
            p50, p99 = median(samples), percentile(samples, 99)
            worst_p99 = max(worst_p99, p99)
            if query == QUERIES[0]:
                default_p99 = p99
            print(f"{query:<58} p50 {p50:6.1f} ms   p99 {p99:6.1f} ms")
        print(f"seeded {leads:,} synthetic leads in {seeded_s:.1f}s ({leads / seeded_s:,.0f}/s)")
        print(
            result_line(
                leads=total,
                seed_leads_per_s=round(leads / seeded_s),
                default_first_page_p99_ms=round(default_p99, 1),
                max_ms=round(worst_p99, 1),
            )
        )


if __name__ == "__main__":
    main()
