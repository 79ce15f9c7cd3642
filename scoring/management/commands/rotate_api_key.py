"""Replace a source API key: a new key with the same source and limits, the old one
revoked at once (or after the senders moved, with --keep-old).

    python manage.py rotate_api_key <prefix or name>
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from scoring.models import SourceApiKey


class Command(BaseCommand):
    help = "Issue a new source API key in place of an old one; prints the new key once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("key", help="the key's prefix or name")
        parser.add_argument("--keep-old", action="store_true",
                            help="leave the old key working (revoke it later)")  # fmt: skip

    def handle(self, *args: Any, key: str, keep_old: bool, **options: Any) -> None:
        matches = list(SourceApiKey.objects.filter(Q(prefix=key) | Q(name=key), revoked=False))
        if len(matches) != 1:
            raise CommandError(f"{len(matches)} active keys match {key!r}: name one by prefix.")
        (old,) = matches
        with transaction.atomic():
            _new, secret = SourceApiKey.objects.create_key(
                name=old.name, source=old.source, source_kind=old.source_kind,
                requests_per_minute=old.requests_per_minute,
            )  # fmt: skip
            if not keep_old:
                old.revoked = True
                old.save(update_fields=["revoked"])
        self.stdout.write(f"New key for {old.name} (shown once): {secret}")
        self.stdout.write("The old key is " + ("still active." if keep_old else "revoked."))
