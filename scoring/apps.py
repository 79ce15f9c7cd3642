from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from leads import hooks, privacy
        from scoring import privacy as scoring_privacy
        from scoring.models import ScoringModel, SourceApiKey, TrackingSite, WebForm

        privacy.register(export=scoring_privacy.export, erase=scoring_privacy.erase)
        auditlog.register(ScoringModel)
        auditlog.register(SourceApiKey, exclude_fields=["hashed_key"])
        auditlog.register(WebForm)
        auditlog.register(TrackingSite)

        hooks.registry.add_follow_up(hooks.Event.STAGE_CHANGED, score_new_leads)
        hooks.registry.add_follow_up(hooks.Event.LEADS_EDITED, rescore_edited_leads)
        hooks.registry.add_consistency_hook(hooks.Event.DEMO_LEADS_LOADED, add_demo_behaviour)
        hooks.registry.add_consistency_hook(
            hooks.Event.SYNTHETIC_LEADS_LOADED, mirror_synthetic_scores
        )
        hooks.registry.add_consistency_hook(hooks.Event.LEADS_MERGED, move_behaviour)
        hooks.registry.add_follow_up(hooks.Event.LEADS_MERGED, rescore_merged)
        hooks.registry.add_follow_up(hooks.Event.MERGE_UNDONE, rescore_edited_leads)
        from scoring import attribution, event_import

        for event in (hooks.Event.STAGE_CHANGED, hooks.Event.HISTORY_LOADED):
            hooks.registry.add_consistency_hook(event, attribution.credit_moves)
        hooks.registry.add_consistency_hook(hooks.Event.LEADS_MERGED, attribution.refresh_merged)
        hooks.registry.add_consistency_hook(hooks.Event.MERGE_UNDONE, attribution.refresh)

        hooks.registry.add_importer("events", event_import)


def score_new_leads(changes: Sequence[Any]) -> None:
    """A lead created without events (API, form, import) gets its fit score at once.

    Leads created by event ingestion are already scored when this runs; the task skips
    them. If the broker is down, the beat sweep ``score_unscored_leads`` catches up.
    """
    from scoring.tasks import score_leads

    created = [change.lead_id for change in changes if change.from_stage == ""]
    if created:
        score_leads.delay(created, only_unscored=True)


def rescore_edited_leads(lead_ids: Sequence[int]) -> None:
    from scoring.tasks import score_leads

    score_leads.delay(list(lead_ids))


def add_demo_behaviour(lead_ids: Sequence[int]) -> None:
    from scoring.demo import seed_demo_capture, seed_demo_events

    seed_demo_capture()
    seed_demo_events(lead_ids)


def mirror_synthetic_scores(lead_ids: Sequence[int]) -> None:
    from scoring.demo import mirror_made_up_scores

    mirror_made_up_scores(lead_ids)


def move_behaviour(merges: Sequence[Any]) -> None:
    """A merge keeps every event: the duplicate's behaviour moves to the primary."""
    from leads.merges import move_rows
    from scoring.models import Event, FormSubmission, PageView

    for merge in merges:
        for model in (Event, PageView, FormSubmission):
            move_rows(merge, model, model.objects.filter(lead_id=merge.duplicate_id))


def rescore_merged(merges: Sequence[Any]) -> None:
    rescore_edited_leads([merge.primary_id for merge in merges])
