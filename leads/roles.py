"""Roles are Django groups; this module is the one home of their names."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _

# Who makes a change: a person, or None for the system (scoring, routing, a sweep). The
# one type of every ``actor`` argument.
Actor = AbstractBaseUser | None


class Role(models.TextChoices):
    # Values are the group names created by migration leads/0003.
    MARKETER = "Marketer", _("Marketer")
    REP = "Sales rep", _("Sales rep")
    MANAGER = "Sales manager", _("Sales manager")
    ADMIN = "Admin", _("Admin")


def roles_of(user: AbstractBaseUser | AnonymousUser | None) -> frozenset[Role]:
    """The roles a user holds; a superuser is an admin. Cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_leadflow_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        if user.is_superuser:
            cached |= {Role.ADMIN}
        user._leadflow_roles = cached
    return cached


def has_role(user: AbstractBaseUser | AnonymousUser | None, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def group_for(role: Role) -> Group:
    """The role's group (made by migration 0003; recreated if someone removed it)."""
    group, _created = Group.objects.get_or_create(name=role.value)
    return group
