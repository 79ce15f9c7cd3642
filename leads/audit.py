"""Who changed a setting, with before and after (django-auditlog). Each app registers its
settings models in its ready(); changes made through a request carry their actor (the
middleware), and domain functions that change more than one row say what changed."""

from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model

from leads.roles import Actor


def register_core() -> None:
    from leads.models import MatchingSettings, Team

    # A person's roles are their groups: adding or removing one is recorded.
    auditlog.register(get_user_model(), include_fields=["username", "is_active", "groups"],
                      m2m_fields={"groups"})  # fmt: skip
    auditlog.register(Team, m2m_fields={"members"})
    auditlog.register(MatchingSettings)


def record(instance: Any, *, actor: Actor, changes: dict[str, list[Any]]) -> LogEntry | None:
    """A change auditlog's signals cannot see (rows replaced in bulk): field → [before,
    after]; nothing is written when nothing changed."""
    changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
    if not changes:
        return None
    return LogEntry.objects.log_create(
        instance, action=LogEntry.Action.UPDATE, changes=changes, actor=actor, force_log=True
    )
