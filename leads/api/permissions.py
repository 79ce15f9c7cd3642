"""Role checks for API views: every endpoint says which roles may call which action."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from leads.roles import Role, roles_of

EVERY_ROLE = frozenset(Role)
WRITERS = frozenset({Role.MARKETER, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})


class HasRole(BasePermission):
    """Allows a user holding one of the roles the view lists for the current action.

    Views set ``roles_by_action`` (action name → roles) and ``default_roles`` (every other
    action; every role unless said). A signed-in user with no role may do nothing.
    """

    message = _("Your role may not do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        _tell_the_audit_log(request.user)
        roles = roles_of(request.user)
        if not roles:
            return False
        action = getattr(view, "action", None)
        allowed = getattr(view, "roles_by_action", {}).get(action)
        if allowed is None:
            allowed = getattr(view, "default_roles", EVERY_ROLE)
        return bool(roles & allowed)


def _tell_the_audit_log(user: Any) -> None:
    """The audit log's middleware runs before DRF authenticates a token: name the actor
    now, so API changes are recorded with who made them."""
    from auditlog.context import auditlog_value

    try:
        context = auditlog_value.get()
    except LookupError:
        return
    if getattr(user, "is_authenticated", False):
        context["actor"] = user
