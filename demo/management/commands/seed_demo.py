import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from demo.leads import add_synthetic_leads, seed_demo
from leads.tasks import compact_rollups


class Command(BaseCommand):
    help = (
        "Load demo users (one per role), two teams and a few hundred leads with history. "
        "Safe to run again. --leads N adds N synthetic leads for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--leads", type=int, default=0, help="synthetic leads to add")
        parser.add_argument(
            "--recycles",
            type=int,
            default=0,
            help="rounds back to nurture for each synthetic lead that reached MQL "
            "(each adds 2-3 stage changes: deeper history for benchmarks)",
        )

    def handle(self, *args: Any, leads: int, recycles: int, **options: Any) -> None:
        result = seed_demo()
        self.stdout.write(f"Demo data ready ({result.leads_created} new demo leads).")
        self.stdout.write("Log in with any of these (password for each shown):")
        for spec, password in result.users:
            team = f", {spec.team}" if spec.team else ""
            self.stdout.write(
                f"  {spec.username:<10} {password:<15} {spec.role.label}{team}"
                f" ({spec.first_name} {spec.last_name})"
            )
        if leads > 0:
            started = time.monotonic()

            def report(done: int) -> None:
                rate = done / max(time.monotonic() - started, 1e-9)
                self.stdout.write(f"  {done:,}/{leads:,} synthetic leads ({rate:,.0f}/s)")

            add_synthetic_leads(leads, recycles=recycles, on_batch=report)
            self.stdout.write(
                f"Added {leads:,} synthetic leads in {time.monotonic() - started:.1f}s."
            )
            # Loading appends rollup rows batch by batch; fold them as beat would, so
            # reports run on the data as it will be from then on.
            started = time.monotonic()
            folded = compact_rollups()
            self.stdout.write(
                f"Compacted {folded:,} rollup rows in {time.monotonic() - started:.1f}s."
            )
