"""Which rep gets a new MQL: ordered rules, each a pool with a strategy, then the fallback
pool. Reps who are inactive, out of office or at capacity are skipped."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count

from handoff.models import Handoff, HandoffSettings, RepProfile, RoutingRule
from handoff.models.routing import Strategy
from leads.models import Lead


@dataclass(frozen=True)
class Route:
    rule: RoutingRule | None
    rep: AbstractBaseUser | None
    sla_minutes: int


def rule_matches(rule: RoutingRule, lead: Lead, grade: str) -> bool:
    company = lead.company
    if rule.countries and (company is None or company.country not in rule.countries):
        return False
    if rule.industries and (company is None or company.industry not in rule.industries):
        return False
    if rule.sources and lead.source not in rule.sources:
        return False
    if rule.grades and grade not in rule.grades:
        return False
    employees = company.employees if company else None
    if rule.min_employees is not None and (employees is None or employees < rule.min_employees):
        return False
    return not (
        rule.max_employees is not None and (employees is None or employees > rule.max_employees)
    )


def available(reps: Sequence[AbstractBaseUser], *, exclude: set[int]) -> list[tuple[int, int]]:
    """(rep id, open handoffs) for reps who can take one more lead, in id order."""
    ids = [rep.pk for rep in reps if rep.pk not in exclude]
    profiles = {
        p.user_id: p for p in RepProfile.objects.filter(user_id__in=ids)
    }  # reps without a profile take leads with the default capacity
    # One grouped query for every candidate's load, not a count per rep.
    load = dict(
        Handoff.objects.filter(rep_id__in=ids, status=Handoff.Status.PENDING)
        .values_list("rep_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    result = []
    for rep_id in sorted(ids):
        profile = profiles.get(rep_id) or RepProfile(user_id=rep_id)
        if profile.active and not profile.out_of_office and load.get(rep_id, 0) < profile.capacity:
            result.append((rep_id, load.get(rep_id, 0)))
    return result


def pick(rule: RoutingRule | None, candidates: list[tuple[int, int]]) -> int | None:
    if not candidates:
        return None
    if rule is not None and rule.strategy == Strategy.LEAST_LOADED:
        return min(candidates, key=lambda c: (c[1], c[0]))[0]
    # Round robin: the next rep after the one this rule assigned last.
    last = rule.last_assigned_id if rule is not None else None
    after = [rep_id for rep_id, _load in candidates if last is not None and rep_id > last]
    return after[0] if after else candidates[0][0]


def route(lead: Lead, *, grade: str = "", exclude: Sequence[int] = ()) -> Route:
    """Choose a rule and a rep for ``lead``; the rep is None when nobody can take it."""
    settings = HandoffSettings.current()
    excluded = set(exclude)
    matched: RoutingRule | None = None
    # Rules in their admin order (Meta.ordering): the first matching rule with a free rep
    # wins. A matching rule whose pool is full still lends its SLA to the fallback pool.
    for rule in RoutingRule.objects.filter(active=True).prefetch_related("pool"):
        if not rule_matches(rule, lead, grade):
            continue
        matched = matched or rule
        rep_id = pick(rule, available(list(rule.pool.all()), exclude=excluded))
        if rep_id is not None:
            # The pointer moves only when the rule assigns, so round robin stays fair.
            # A plain update, not a locked read: two leads routed at the same instant may go to
            # the same next rep, which costs fairness for one turn, not correctness.
            RoutingRule.objects.filter(pk=rule.pk).update(last_assigned_id=rep_id)
            return Route(rule=rule, rep=_user(rep_id), sla_minutes=rule.sla_minutes)
    rep_id = pick(None, available(list(settings.fallback_pool.all()), exclude=excluded))
    sla = matched.sla_minutes if matched else settings.default_sla_minutes
    return Route(rule=matched, rep=_user(rep_id) if rep_id else None, sla_minutes=sla)


def anyone_available() -> bool:
    """Whether any rep in a routing rule's pool or the fallback pool can take a lead now."""
    reps = {
        rep
        for rule in RoutingRule.objects.filter(active=True).prefetch_related("pool")
        for rep in rule.pool.all()
    }
    reps |= set(HandoffSettings.current().fallback_pool.all())
    return bool(available(list(reps), exclude=set()))


def _user(pk: int) -> AbstractBaseUser:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=pk)
