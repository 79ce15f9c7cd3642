"""CSV lead import speed (issue: capture). Target: 100,000 rows in under 60 s.

    python bench/import.py           # 100,000 rows
    python bench/import.py --quick   # 100,000 rows too: the size is what is measured

Writes its own CSV (names, titles, companies by domain, consent, a "converted" column,
attributes, and 2% bad rows), stores it as an import job in its own database and runs
the job as the worker would.
"""

import argparse
import csv
import io
import random
import time

from _common import bench_database, result_line

ROWS = 100_000


def make_csv(rows: int, *, seed: int = 3) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Email",
            "First name",
            "Last name",
            "Title",
            "Company",
            "Domain",
            "Consent",
            "Won",
            "Seniority",
            "Country",
        ]
    )
    for i in range(rows):
        domain = f"company{rng.randint(1, 5000)}.example"
        email = f"person{i}@{domain}" if rng.random() > 0.02 else f"broken-{i}"
        writer.writerow(
            [
                email,
                rng.choice(["Ana", "Luis", "Emma", "Noah"]),
                rng.choice(["García", "Smith", "Müller"]),
                rng.choice(["VP Sales", "CTO", "Select", "Analyst"]),
                f"Company {domain}",
                domain,
                rng.choice(["yes", "no", ""]),
                rng.choice(["yes", "no", "", ""]),
                rng.choice(["vp", "manager", "n/a"]),
                rng.choice(["ES", "US", "MX"]),
            ]
        )
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.parse_args()

    with bench_database("import"):
        from leads.capture.imports import run_job
        from leads.models import ImportJob, Lead

        content = make_csv(ROWS)
        job = ImportJob.objects.create(
            file_name="bench.csv",
            content=content,
            mapping={
                "Email": "email",
                "First name": "first_name",
                "Last name": "last_name",
                "Title": "title",
                "Company": "company",
                "Domain": "company_domain",
                "Consent": "email_ok",
                "Won": "converted",
                "Seniority": "attributes.seniority",
                "Country": "attributes.country",
            },
        )
        started = time.monotonic()
        job = run_job(job.pk)
        elapsed = time.monotonic() - started
        if job.status != ImportJob.Status.DONE:
            raise SystemExit(f"import failed: {job.error}")
        leads = Lead.objects.count()
    print(
        f"{ROWS:,} rows in {elapsed:.1f}s: {job.created:,} created, {job.failed:,} bad rows "
        f"reported; {leads:,} leads"
    )
    print(
        result_line(
            rows_per_s=round(ROWS / elapsed),
            seconds=round(elapsed, 1),
            rows=ROWS,
            created=job.created,
            failed=job.failed,
        )
    )


if __name__ == "__main__":
    main()
