"""Role-aware navigation: each role sees its own work first."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from leads.roles import Role, roles_of

# (url name, label, roles that see it); the first one a user may see is their landing page.
ITEMS = [
    ("queue", _("Queue"), {Role.MARKETER}),
    ("nurture", _("Nurture"), {Role.MARKETER}),
    ("inbox", _("Inbox"), {Role.REP}),
    ("team", _("Team"), {Role.MANAGER}),
    ("leads:list", _("Leads"), set(Role)),
    ("dashboard", _("Dashboard"), {Role.MARKETER, Role.MANAGER, Role.ADMIN}),
    ("campaigns", _("Campaigns"), {Role.MARKETER, Role.ADMIN}),
    ("import-upload", _("Capture"), {Role.MARKETER, Role.ADMIN}),
    ("scoring-home", _("Scoring"), {Role.ADMIN}),
]
# Items that stand for a whole section: marked current anywhere under its path.
SECTIONS = {"import-upload": "/capture/", "scoring-home": "/settings/"}
LANDING_ORDER = [Role.ADMIN, Role.MANAGER, Role.MARKETER, Role.REP]
LANDING = {
    Role.ADMIN: "scoring-home",
    Role.MANAGER: "team",
    Role.MARKETER: "queue",
    Role.REP: "inbox",
}


def landing_url(user: Any) -> str:
    roles = roles_of(user)
    for role in LANDING_ORDER:
        if role in roles:
            return reverse(LANDING[role])
    return reverse("leads:list")


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the items this user's roles may open, the current one marked."""
    roles = roles_of(getattr(request, "user", None))
    if not roles:
        return {"nav_items": []}
    items = []
    for name, label, allowed in ITEMS:
        if roles & allowed:
            url = reverse(name)
            section = SECTIONS.get(name, url)
            items.append({"url": url, "label": label, "current": request.path.startswith(section)})
    return {"nav_items": items}
