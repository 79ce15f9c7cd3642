"""Learned likelihood quality and speed (issue #23). Targets on the full run: auc_ratio
>= 0.98, ece <= 0.03, training on 100,000 leads under 60 s on 2 cores.

    python bench/likelihood.py           # 100,000 leads
    python bench/likelihood.py --quick   # 20,000 leads, under a minute
    python bench/likelihood.py --challenger  # also the boosting challenger's figures

A synthetic population with a known true conversion model: categorical attributes (plan,
company industry), numbers written as a European CRM exports them ("12.345,67") and often
missing, an identifier and a noise column the model should ignore, event histories, and
drift (the "starter" plan converts better among newer leads). It is imported through the
CSV import (leads/capture/imports.py), events are loaded beside it, and the product's own training
(scoring/learning/) fits and measures a model. ``oracle_auc`` is the true model's AUC on
the same hold-out (the newest 30%): the best any model could do.
"""

import argparse
import csv
import io
import os
import time
from datetime import UTC, datetime, timedelta

import numpy as np
import psycopg
from _common import bench_database, result_line

PLANS = {"free": 0.0, "starter": 0.6, "pro": 1.2, "enterprise": 1.8}
INDUSTRIES = {"Software": 0.7, "Retail": -0.4, "Energy": 0.0, "Health": 0.3, "Education": -0.6}
EVENT_EFFECTS = {"demo_request": 0.8, "pricing_page_visit": 0.35, "webinar_attended": 0.25,
                 "email_click": 0.05}  # fmt: skip
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def population(count: int, *, seed: int = 11) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    age_days = np.sort(rng.uniform(0, 720, count))[::-1]  # oldest first
    newness = 1 - age_days / 720
    companies = 4000
    company_industry = rng.choice(list(INDUSTRIES), companies)
    company_employees = np.round(rng.lognormal(4, 1.3, companies)).astype(int) + 1
    company = rng.integers(0, companies, count)
    plan = rng.choice(list(PLANS), count, p=[0.4, 0.3, 0.2, 0.1])
    budget = rng.lognormal(9.5, 1.0, count)
    budget_missing = rng.random(count) < 0.25
    seats = rng.integers(1, 500, count)
    latent = rng.normal(0, 1, count)  # interest: drives behaviour, seen only through it
    events = {
        name: rng.poisson(np.exp(base + 0.5 * latent))
        for name, base in (("demo_request", -1.6), ("pricing_page_visit", -0.5),
                           ("webinar_attended", -1.0), ("email_click", 0.3))
    }  # fmt: skip
    logit = (
        -3.0
        + np.vectorize(PLANS.get)(plan)
        + 0.9 * newness * (plan == "starter")  # drift
        + np.vectorize(INDUSTRIES.get)(company_industry[company])
        + np.where(budget_missing, -0.2, 0.45 * np.log(budget / 13000))
        + 0.15 * np.log(company_employees[company])
        + sum(effect * np.minimum(events[name], 4) for name, effect in EVENT_EFFECTS.items())
    )
    truth = 1 / (1 + np.exp(-logit))
    return {
        "age_days": age_days, "company": company, "company_industry": company_industry,
        "company_employees": company_employees, "plan": plan, "budget": budget,
        "budget_missing": budget_missing, "seats": seats, "truth": truth,
        "converted": rng.random(count) < truth, "region": rng.choice(["emea", "amer"], count),
        **{f"events.{name}": counts for name, counts in events.items()},
    }  # fmt: skip


def european(number: float) -> str:
    whole, cents = f"{number:,.2f}".split(".")
    return f"{whole.replace(',', '.')},{cents}"


def make_csv(people: dict[str, np.ndarray]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Email", "Company", "Domain", "Industry", "Employees", "Plan", "Budget",
                     "Seats", "Region", "Ref", "Won"])  # fmt: skip
    for i in range(len(people["plan"])):
        c = people["company"][i]
        writer.writerow([
            f"person{i}@company{c}.example", f"Company {c}", f"company{c}.example",
            people["company_industry"][c], people["company_employees"][c], people["plan"][i],
            "" if people["budget_missing"][i] else european(people["budget"][i]),
            people["seats"][i], people["region"][i], f"R-{i:07d}",
            "yes" if people["converted"][i] else "no",
        ])  # fmt: skip
    return out.getvalue().encode()


def load_history(people: dict[str, np.ndarray]) -> None:
    """Creation times (the CSV has none) and event histories, set-based."""
    from django.db import connection

    from plumbing import array_sql

    emails = [f"person{i}@company{c}.example" for i, c in enumerate(people["company"])]
    created = [NOW - timedelta(days=float(d)) for d in people["age_days"]]
    array_sql.execute(
        "UPDATE leads_lead l SET created_at = v.at FROM unnest(%s::text[], %s::timestamptz[])"
        " AS v(email, at) WHERE l.email = v.email",
        [emails, created],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, id FROM leads_lead")
        ids = dict(cursor.fetchall())
    rng = np.random.default_rng(5)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY scoring_event (lead_id, type, source, source_kind, external_id, occurred_at,"
            " received_at, properties) FROM STDIN"
        ) as copy,
    ):
        for name in EVENT_EFFECTS:
            for i, count in enumerate(people[f"events.{name}"]):
                for _ in range(int(count)):
                    at = created[i] + timedelta(days=float(rng.uniform(0, 20)))
                    copy.write_row((ids[emails[i]], name, "bench", "first_party", "", at, at,
                                    "{}"))  # fmt: skip
    # Autovacuum is off in bench databases: the planner needs statistics for the new rows.
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--challenger", action="store_true", help="also fit boosting")
    arguments = parser.parse_args()
    count = 20_000 if arguments.quick else 100_000
    challenge = arguments.challenger
    people = population(count)

    with bench_database("likelihood"):
        from sklearn.metrics import roc_auc_score

        from leads.capture.imports import run_job
        from leads.models import ImportJob
        from scoring.learning import applying, training
        from scoring.learning.fitting import reliability

        started = time.monotonic()
        job = ImportJob.objects.create(
            file_name="bench.csv", content=make_csv(people),
            mapping={"Email": "email", "Company": "company", "Domain": "company_domain",
                     "Industry": "company_industry", "Employees": "company_employees",
                     "Plan": "attributes.plan", "Budget": "attributes.budget",
                     "Seats": "attributes.seats", "Region": "attributes.region",
                     "Ref": "attributes.ref", "Won": "converted"},
        )  # fmt: skip
        job = run_job(job.pk)
        if job.status != ImportJob.Status.DONE or job.created != count:
            raise SystemExit(f"import failed: {job.status} {job.created} {job.error}")
        load_history(people)
        print(f"{count:,} leads imported with their events in {time.monotonic() - started:.1f}s")

        started = time.monotonic()
        model = training.train_now(promote=False)
        train_s = time.monotonic() - started
        if model.status != model.Status.READY:
            raise SystemExit(f"training failed: {model.error}")
        figures = model.figures
        test = figures["test"]
        oracle = float(roc_auc_score(people["converted"][-test:], people["truth"][-test:]))
        # Even the true probabilities show a gap per decile on a finite hold-out: the floor.
        _table, oracle_ece = reliability(people["truth"][-test:], people["converted"][-test:])
        print(f"features: {model.spec['features']}")
        print(f"hold-out ({figures['split']}, {test:,} newest leads): AUC {figures['auc']}"
              f" {figures['auc_interval']}, oracle {oracle:.4f}, ECE {figures['ece']}"
              f" (the true model's on the same leads: {oracle_ece:.4f})")  # fmt: skip
        print("decile  leads  predicted  observed")
        for n, row in enumerate(figures["reliability"], 1):
            print(f"{n:>6}  {row['leads']:>5}  {row['predicted']:>9.3f}  {row['observed']:>8.3f}")

        if challenge:
            challenger = training.train_now(kind="boosting", promote=False)
            print(
                f"boosting challenger: AUC {challenger.figures['auc']} ECE"
                f" {challenger.figures['ece']} in {challenger.figures['train_seconds']}s"
            )

        started = time.monotonic()
        scored = applying.activate(model)
        score_s = time.monotonic() - started
    print(
        result_line(
            auc=figures["auc"],
            oracle_auc=round(oracle, 4),
            auc_ratio=round(figures["auc"] / oracle, 4),
            ece=figures["ece"],
            train_s=round(train_s, 1),
            score_leads_per_s=round(scored / score_s),
        )
    )


if __name__ == "__main__":
    main()
