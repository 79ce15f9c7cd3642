"""Every report at scale (issue: numbers). Target: each under 500 ms.

    python bench/reports.py           # seed_demo --leads 1,000,000 --recycles 2
    python bench/reports.py --quick   # seed_demo --leads 200,000 --recycles 2

Seeds its own database (two rounds back to nurture for every lead that reached MQL: about
5.6 stage changes per lead, so the full run has more than 5M), then times each report
endpoint (full stack, in-process, as a marketer) over the last 90 days; prints each and
ends with the slowest as max_ms.
"""

import argparse
import io
import time
from datetime import date, timedelta

from _common import bench_database, median, percentile, result_line, seeded, timed_ms

RECYCLES = 2
REPORTS = [
    "stage-counts",
    "stage-counts?at=PAST",
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
    # Each filter, read from its rollup slice (a channel sums its campaigns' slices).
    "stage-counts?channel=paid_search",
    "stage-counts?source=webinar",
    "stage-counts?owner=OWNER",
    "stage-counts?at=PAST&source=webinar",
    "conversion?campaign=CAMPAIGN",
    "conversion?source=webinar",
    "conversion?by=period&owner=OWNER",
    "velocity?channel=paid_search",
    "velocity?source=webinar",
    "velocity?owner=OWNER",
    "cost?channel=paid_search",
    "cost?source=webinar",
    "cost?by=channel&owner=OWNER",
    "attribution?owner=OWNER",
    "attribution?channel=paid_search&model=linear",
    "score-bands?source=webinar",
    "sla?source=webinar",
    "rejections?owner=OWNER",
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

        from leads.models import Campaign, StageChange

        started = time.monotonic()
        if not seeded(leads):
            call_command("seed_demo", leads=leads, recycles=RECYCLES, stdout=io.StringIO())
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves a settled database
        moves = StageChange.objects.count()
        print(
            f"seeded {leads:,} leads, {moves:,} stage changes in {time.monotonic() - started:.0f}s"
        )
        from leads.reports.rollups import ROLLUPS

        sizes = ", ".join(f"{model.__name__} {model.objects.count():,}" for model, *_ in ROLLUPS)
        print(f"rollup rows: {sizes}")
        client = APIClient()
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username="marketer"))
        campaign = Campaign.objects.filter(channel="paid_search").values_list("pk", flat=True)[0]
        owner = get_user_model().objects.get(username="rep").pk
        end = date.today()
        start = end - timedelta(days=90)
        worst = 0.0
        for report in REPORTS:
            name, _, extra = report.partition("?")
            extra = (
                extra.replace("PAST", (end - timedelta(days=80)).isoformat())
                .replace("CAMPAIGN", str(campaign))
                .replace("OWNER", str(owner))
            )
            url = f"/api/reports/{name}/?start={start}&end={end}&{extra}"
            status = client.get(url).status_code
            if status != 200:
                raise SystemExit(f"{url} answered {status}")
            samples = timed_ms(lambda u=url: client.get(u).status_code, repeat=5, warmup=1)
            worst = max(worst, percentile(samples, 99))
            print(f"{report:<28} median {median(samples):8.1f} ms   max {max(samples):8.1f} ms")
        print(result_line(max_ms=round(worst), leads=leads, stage_changes=moves))


if __name__ == "__main__":
    main()
