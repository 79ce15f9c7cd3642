import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leads.capture.import_values import Outcome, error_text, headers_of, read_rows, validate_mapping
from leads.capture.imports import import_rows


class Command(BaseCommand):
    help = (
        "Import leads from a CSV file. --mapping names which column fills which field, e.g. "
        "--mapping Email=email 'First name=first_name' Won=converted Seniority=attributes.seniority"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--mapping", nargs="+", required=True, metavar="COLUMN=FIELD")

    def handle(self, *args: Any, file: Path, mapping: list[str], **options: Any) -> None:
        pairs = dict(item.rsplit("=", 1) for item in mapping if "=" in item)
        if len(pairs) != len(mapping):
            raise CommandError("Each mapping is COLUMN=FIELD.")
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        problems = validate_mapping(pairs, headers_of(content))
        if problems:
            raise CommandError(" ".join(problems["mapping"]))
        started = time.monotonic()

        def progress(seen: int, outcome: Outcome) -> None:
            self.stdout.write(f"  {seen:,} rows read, {outcome.failed:,} with errors")

        outcome = import_rows(read_rows(content), pairs, actor=None, on_batch=progress)
        self.stdout.write(
            f"Imported in {time.monotonic() - started:.1f}s: {outcome.created:,} created, "
            f"{outcome.updated:,} updated, {outcome.failed:,} rows with errors."
        )
        for error in outcome.errors[:50]:
            self.stdout.write(f"  row {error['row']}, {error['column']}: {error_text(error)}")
