"""Every report at scale (issue: numbers). Target: each under 500 ms.

    python bench/reports.py           # seed_demo --leads 1,000,000
    python bench/reports.py --quick   # seed_demo --leads 200,000

Seeds its own database, then times each report endpoint (full stack, in-process, as a
marketer) over the last 90 days; prints each and ends with the slowest as max_ms.
"""

import argparse
import io
import time

from _common import bench_database, median, percentile, result_line, timed_ms

REPORTS = [
    "stage-counts",
    "stage-counts?at=2026-09-01",
    "conversion",
    "conversion?by=period",
    "velocity",
    "cost",
    "cost?by=channel",
    "attribution",
    "attribution?model=linear",
    "score-bands",
    "sla",
    "rejections",
    "nps",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    leads = 200_000 if args.quick else 1_000_000

    with bench_database("reports"):
        from django.core.management import call_command
        from django.db import connection
        from rest_framework.test import APIClient

        from leads.models import StageChange

        started = time.monotonic()
        call_command("seed_demo", leads=leads, stdout=io.StringIO())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"seeded {leads:,} leads, {StageChange.objects.count():,} stage changes "
            f"in {time.monotonic() - started:.0f}s"
        )
        client = APIClient()
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username="marketer"))
        worst = 0.0
        for report in REPORTS:
            name, _, extra = report.partition("?")
            url = f"/api/reports/{name}/?start=2026-08-26&end=2026-11-24&{extra}"
            status = client.get(url).status_code
            if status != 200:
                raise SystemExit(f"{url} answered {status}")
            samples = timed_ms(lambda u=url: client.get(u).status_code, repeat=5, warmup=1)
            worst = max(worst, percentile(samples, 99))
            print(f"{report:<28} median {median(samples):8.1f} ms   max {max(samples):8.1f} ms")
        print(result_line(max_ms=round(worst), leads=leads))


if __name__ == "__main__":
    main()
