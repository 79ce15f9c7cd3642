"""The scoring criteria in force: database models turned into the engine's specs."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from plumbing.errors import Conflict
from scoring.engine import FitRuleSpec, IntentRuleSpec, ModelSpec
from scoring.models import FitRule, IntentRule, ScoringModel

DEFAULT_CUTS = (75, 50, 25)

# Specs are immutable once a version leaves draft, so a process may keep them; the active
# version itself is read from the database each time. Keyed by version and creation time,
# so a database rebuilt from scratch (tests) never meets a stale entry.
_specs: dict[tuple[int, str], ModelSpec] = {}


def _key(version: int, created_at: object) -> tuple[int, str]:
    return version, str(created_at)


def spec_for(model: ScoringModel) -> ModelSpec:
    key = _key(model.version, model.created_at)
    if model.status != ScoringModel.Status.DRAFT and key in _specs:
        return _specs[key]
    spec = ModelSpec(
        version=model.version,
        fit_rules=tuple(
            FitRuleSpec(
                id=r.id,
                attribute=r.attribute,
                operator=r.operator,
                value=r.value,
                points=r.points,
                label=r.label or str(r),
            )
            for r in model.fit_rules.all()
        ),
        intent_rules=tuple(
            IntentRuleSpec(
                id=r.id,
                event_type=r.event_type,
                points=r.points,
                property_key=r.property_key,
                property_contains=r.property_contains,
                cap=r.cap,
                half_life_days=r.half_life_days,
                label=r.label or str(r),
            )
            for r in model.intent_rules.all()
        ),
        fit_points_for_100=model.fit_points_for_100,
        intent_points_for_100=model.intent_points_for_100,
        mql_fit=model.mql_fit,
        mql_intent=model.mql_intent,
        use_likelihood=model.use_likelihood,
        mql_likelihood=model.mql_likelihood,
        hot_intent=model.hot_intent,
        fit_cuts=tuple(model.fit_grade_cuts or DEFAULT_CUTS),
        intent_cuts=tuple(model.intent_grade_cuts or DEFAULT_CUTS),
    )
    if model.status != ScoringModel.Status.DRAFT:
        _specs[key] = spec
    return spec


def active_model() -> ScoringModel:
    model = (
        ScoringModel.objects.filter(status=ScoringModel.Status.ACTIVE)
        .prefetch_related(
            Prefetch("fit_rules", FitRule.objects.order_by("id")),
            Prefetch("intent_rules", IntentRule.objects.order_by("id")),
        )
        .first()
    )
    if model is None:
        raise Conflict(_("No scoring model is active: an admin must activate one."))
    return model


def active_spec() -> ModelSpec:
    active = (
        ScoringModel.objects.filter(status=ScoringModel.Status.ACTIVE)
        .values_list("version", "created_at")
        .first()
    )
    if active is not None and _key(*active) in _specs:
        return _specs[_key(*active)]
    return spec_for(active_model())


def spec_of_version(version: int) -> ModelSpec | None:
    """The spec of one version (None if it is gone): a stored score is explained by the
    rules that produced it, which during a re-score need not be the active ones."""
    active = active_spec()
    if active.version == version:
        return active
    model = (
        ScoringModel.objects.filter(version=version)
        .prefetch_related(
            Prefetch("fit_rules", FitRule.objects.order_by("id")),
            Prefetch("intent_rules", IntentRule.objects.order_by("id")),
        )
        .first()
    )
    return spec_for(model) if model is not None else None
