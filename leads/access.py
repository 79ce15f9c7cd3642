"""Who sees which leads: the one place the role scoping rules live."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from leads.models import Lead, Team
from leads.roles import Role, roles_of

User = AbstractBaseUser | AnonymousUser


def managed_scope(user: User) -> Q:
    """Leads a manager answers for: in a team they manage, or owned by one of its members."""
    team_ids = list(Team.objects.filter(manager=user).values_list("id", flat=True))
    if not team_ids:
        return Q(pk__in=[])
    member_ids = list(
        Team.members.through.objects.filter(team_id__in=team_ids).values_list("user_id", flat=True)
    )
    return Q(team_id__in=team_ids) | Q(owner_id__in=member_ids)


def lead_scope(user: User) -> Q | None:
    """A filter for the leads ``user`` may see; None means all of them."""
    roles = roles_of(user)
    if Role.ADMIN in roles or Role.MARKETER in roles:
        return None
    scope = Q(pk__in=[])
    if Role.MANAGER in roles:
        scope |= managed_scope(user) | Q(owner_id=user.pk)
    if Role.REP in roles:
        scope |= Q(owner_id=user.pk)
    return scope


def visible_leads(user: User, queryset: QuerySet[Lead] | None = None) -> QuerySet[Lead]:
    """The leads ``user`` may see; duplicates merged into another lead are left out."""
    queryset = Lead.objects.all() if queryset is None else queryset
    queryset = queryset.filter(merged_into__isnull=True)
    scope = lead_scope(user)
    return queryset if scope is None else queryset.filter(scope)


def team_members(user: User) -> QuerySet[AbstractBaseUser] | None:
    """The people whose sales work ``user`` may read figures about (SLA, time to accept,
    rejections): None for everyone (admins, marketers), a manager's team members and
    themselves, otherwise only themselves."""
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.all()
    roles = roles_of(user)
    if Role.ADMIN in roles or Role.MARKETER in roles:
        return None
    if Role.MANAGER in roles:
        return people.filter(Q(teams__manager=user) | Q(pk=user.pk)).distinct()
    return people.filter(pk=user.pk)


def manages(user: User, lead: Lead) -> bool:
    return Lead.objects.filter(managed_scope(user), pk=lead.pk).exists()
