from dataclasses import dataclass

import django_filters
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from leads.models import Company, Lead
from leads.stages import Stage
from plumbing.filter_fields import IdFilter, MomentFilter


class LeadFilter(django_filters.FilterSet):
    # distinct=False: a lead has one stage, and DISTINCT would sort the whole match set.
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, distinct=False)
    owner = IdFilter(field_name="owner_id")
    team = IdFilter(field_name="team_id")
    campaign = IdFilter(field_name="campaign_id")
    company = IdFilter(field_name="company_id")
    source = django_filters.CharFilter()
    fit_min = django_filters.NumberFilter(field_name="fit", lookup_expr="gte")
    fit_max = django_filters.NumberFilter(field_name="fit", lookup_expr="lte")
    intent_min = django_filters.NumberFilter(field_name="intent", lookup_expr="gte")
    intent_max = django_filters.NumberFilter(field_name="intent", lookup_expr="lte")
    likelihood_min = django_filters.NumberFilter(field_name="likelihood", lookup_expr="gte")
    likelihood_max = django_filters.NumberFilter(field_name="likelihood", lookup_expr="lte")
    created_after = MomentFilter(field_name="created_at", lookup_expr="gte")
    created_before = MomentFilter(field_name="created_at", lookup_expr="lt")
    country = django_filters.CharFilter(field_name="company__country", lookup_expr="iexact")
    industry = django_filters.CharFilter(field_name="company__industry", lookup_expr="iexact")
    # Score bands: the fit letter (A–D) and the intent digit (1–4) of the grade.
    fit_grade = django_filters.ChoiceFilter(
        field_name="score__grade", lookup_expr="startswith",
        choices=[(g, g) for g in "ABCD"],
    )  # fmt: skip
    intent_grade = django_filters.ChoiceFilter(
        field_name="score__grade", lookup_expr="endswith",
        choices=[(g, g) for g in "1234"],
    )  # fmt: skip
    q = django_filters.CharFilter(method="search", label=_("Name, email or company"))

    class Meta:
        model = Lead
        fields: list[str] = []

    def search(self, queryset: QuerySet[Lead], name: str, value: str) -> QuerySet[Lead]:
        value = value.strip()
        if not value:
            return queryset
        # Companies first (a small table), so the OR stays on one table and each branch
        # can use its own trigram index (migration 0004).
        companies = Company.objects.filter(name__icontains=value).values("pk")
        match = (
            Q(email__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(company_id__in=companies)
        )
        parts = value.split()
        if len(parts) == 2:  # "Ana García": first and last name
            match |= Q(first_name__icontains=parts[0], last_name__icontains=parts[1])
        return queryset.filter(match)


# Query parameters that shape a list without narrowing it.
NOT_FILTERS = frozenset({"ordering", "cursor"})


@dataclass(frozen=True)
class FilteredLeads:
    """A list's filters applied, or the reasons they could not be.

    ``errors`` maps each filter that could not be read (``fit_min=abc``) to its messages;
    then ``leads`` is empty rather than quietly ignoring that filter, so what is listed
    never pretends to obey a filter it did not apply."""

    leads: QuerySet[Lead]
    errors: dict[str, list[str]]
    active: bool  # the person narrowed the list (a search or any filter)


def filter_leads(params: QueryDict, queryset: QuerySet[Lead]) -> FilteredLeads:
    """Apply :class:`LeadFilter` to ``queryset`` as a page's filter bar does."""
    active = any(value.strip() for key in params if key not in NOT_FILTERS
                 for value in params.getlist(key))  # fmt: skip
    filtered = LeadFilter(params, queryset=queryset)
    if not filtered.is_valid():
        errors = {field: [str(m) for m in msgs] for field, msgs in filtered.errors.items()}
        return FilteredLeads(leads=queryset.none(), errors=errors, active=active)
    return FilteredLeads(leads=filtered.qs, errors={}, active=active)
