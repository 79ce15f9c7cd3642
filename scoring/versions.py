"""Scoring model versions: drafts are edited, exactly one version is active, and activating
one re-scores every lead in the background."""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from leads import audit
from leads.roles import Actor
from plumbing.errors import Conflict
from scoring.models import FitRule, IntentRule, LikelihoodModel, RescoreJob, ScoringModel

SETTINGS = ["notes", "fit_points_for_100", "intent_points_for_100", "mql_fit", "mql_intent",
            "use_likelihood", "mql_likelihood", "hot_intent", "fit_grade_cuts",
            "intent_grade_cuts"]  # fmt: skip


FIT_FIELDS = ("attribute", "operator", "value", "points", "label")
INTENT_FIELDS = ("event_type", "property_key", "property_contains", "points", "cap",
                 "half_life_days", "label")  # fmt: skip


def next_version() -> int:
    return (ScoringModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def create_draft(
    *,
    actor: Actor,
    settings: dict[str, Any],
    fit_rules: list[dict[str, Any]],
    intent_rules: list[dict[str, Any]],
) -> ScoringModel:
    model = ScoringModel.objects.create(
        version=next_version(),
        status=ScoringModel.Status.DRAFT,
        created_by=actor,
        **{k: v for k, v in settings.items() if k in SETTINGS},
    )
    _replace_rules(model, fit_rules, intent_rules)
    return model


@transaction.atomic
def edit_draft(
    model: ScoringModel,
    *,
    actor: Actor,
    settings: dict[str, Any],
    fit_rules: list[dict[str, Any]] | None,
    intent_rules: list[dict[str, Any]] | None,
) -> ScoringModel:
    model = ScoringModel.objects.select_for_update().get(pk=model.pk)
    if model.status != ScoringModel.Status.DRAFT:
        raise Conflict(_("Only a draft can be edited: copy this version into a new draft."))
    before = _rules_of(model)
    for name, value in settings.items():
        if name in SETTINGS:
            setattr(model, name, value)
    model.save()
    if fit_rules is not None:
        model.fit_rules.all().delete()
        _create_rules(model, fit_rules, [])
    if intent_rules is not None:
        model.intent_rules.all().delete()
        _create_rules(model, [], intent_rules)
    after = _rules_of(model)
    # Rules are replaced in bulk, out of auditlog's sight: say what changed.
    audit.record(model, actor=actor, changes={key: [before[key], after[key]] for key in after})
    return model


def _rules_of(model: ScoringModel) -> dict[str, list[dict[str, Any]]]:
    return {
        "fit_rules": list(model.fit_rules.values(*FIT_FIELDS)),
        "intent_rules": list(model.intent_rules.values(*INTENT_FIELDS)),
    }


@transaction.atomic
def copy_to_draft(model: ScoringModel, *, actor: Actor) -> ScoringModel:
    """Editing a version starts here: a new draft with the same settings and rules."""
    return create_draft(
        actor=actor,
        settings={name: getattr(model, name) for name in SETTINGS},
        fit_rules=list(model.fit_rules.values(*FIT_FIELDS)),
        intent_rules=list(model.intent_rules.values(*INTENT_FIELDS)),
    )  # fmt: skip


def activate(model: ScoringModel, *, actor: Actor) -> RescoreJob:
    """Make a draft the one active version and start re-scoring every lead with it."""
    from scoring.tasks import run_rescore_job

    with transaction.atomic():
        model = ScoringModel.objects.select_for_update().get(pk=model.pk)
        if model.status != ScoringModel.Status.DRAFT:
            raise Conflict(_("Only a draft can be activated."))
        if model.use_likelihood and not LikelihoodModel.objects.filter(active=True).exists():
            # Without a learned model no lead has a likelihood: no lead could become MQL.
            raise Conflict(
                _("This version makes MQLs need a likelihood, and no learned model is active: "
                  "train one under Learned likelihood first, or untick it.")
            )  # fmt: skip
        ScoringModel.objects.filter(status=ScoringModel.Status.ACTIVE).update(
            status=ScoringModel.Status.RETIRED
        )
        model.status = ScoringModel.Status.ACTIVE
        model.activated_at = timezone.now()
        model.save(update_fields=["status", "activated_at"])
        job = RescoreJob.objects.create(
            model_version=model.version, reason=RescoreJob.Reason.ACTIVATION
        )
        transaction.on_commit(lambda: run_rescore_job.delay(job.pk))
    return job


def _replace_rules(
    model: ScoringModel, fit_rules: list[dict[str, Any]], intent_rules: list[dict[str, Any]]
) -> None:
    model.fit_rules.all().delete()
    model.intent_rules.all().delete()
    _create_rules(model, fit_rules, intent_rules)


def _create_rules(
    model: ScoringModel, fit_rules: list[dict[str, Any]], intent_rules: list[dict[str, Any]]
) -> None:
    FitRule.objects.bulk_create(
        FitRule(model=model, **{k: v for k, v in rule.items() if k != "id"}) for rule in fit_rules
    )
    IntentRule.objects.bulk_create(
        IntentRule(model=model, **{k: v for k, v in rule.items() if k != "id"})
        for rule in intent_rules
    )
