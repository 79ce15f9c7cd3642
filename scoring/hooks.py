"""What scoring does when the core changes leads: its handlers for the core's hooks
(leads.hooks), connected once by ``ScoringConfig.ready``."""

from leads import hooks
from leads.hooks import (
    HistoryLoaded,
    LeadsEdited,
    LeadsMerged,
    MergeUndone,
    PersonErased,
    StageChanged,
)


def connect() -> None:
    from scoring import event_import, privacy

    registry = hooks.registry
    registry.add_follow_up(StageChanged, score_new_leads)
    registry.add_follow_up(LeadsEdited, rescore_edited_leads)
    registry.add_consistency_hook(LeadsMerged, move_behaviour)
    registry.add_follow_up(LeadsMerged, rescore_merged)
    registry.add_follow_up(MergeUndone, rescore_unmerged)
    registry.add_consistency_hook(StageChanged, credit_moves)
    registry.add_consistency_hook(HistoryLoaded, credit_loaded_moves)
    registry.add_consistency_hook(LeadsMerged, refresh_merged_credits)
    registry.add_consistency_hook(MergeUndone, refresh_unmerged_credits)
    registry.add_consistency_hook(PersonErased, erase_personal_data)
    registry.add_data_export(privacy.export)
    registry.add_importer("events", event_import)


def score_new_leads(event: StageChanged) -> None:
    """A lead created without events (API, form, import) gets its fit score at once.

    Leads created by event ingestion are already scored when this runs; the task skips
    them. If the broker is down, the beat sweep ``score_unscored_leads`` catches up.
    """
    from scoring.tasks import score_leads

    created = [change.lead_id for change in event.changes if change.from_stage == ""]
    if created:
        score_leads.delay(created, only_unscored=True)


def rescore(lead_ids: list[int]) -> None:
    from scoring.tasks import score_leads

    score_leads.delay(lead_ids)


def rescore_edited_leads(event: LeadsEdited) -> None:
    rescore(list(event.lead_ids))


def rescore_unmerged(event: MergeUndone) -> None:
    rescore([event.primary_id, event.duplicate_id])


def move_behaviour(merge: LeadsMerged) -> None:
    """A merge keeps every event: the duplicate's behaviour moves to the primary."""
    from leads.capture.merges import move_rows
    from scoring.models import Event, FormSubmission, PageView

    for model in (Event, PageView, FormSubmission):
        move_rows(merge, model, model.objects.filter(lead_id=merge.duplicate_id))


def rescore_merged(merge: LeadsMerged) -> None:
    rescore([merge.primary_id])


def credit_moves(event: StageChanged) -> None:
    from scoring import attribution

    attribution.credit_moves(event.changes)


def credit_loaded_moves(event: HistoryLoaded) -> None:
    from scoring import attribution

    attribution.credit_moves(event.changes)


def refresh_merged_credits(merge: LeadsMerged) -> None:
    from scoring import attribution

    attribution.refresh_merged([merge])


def refresh_unmerged_credits(event: MergeUndone) -> None:
    from scoring import attribution

    attribution.refresh([event.primary_id, event.duplicate_id])


def erase_personal_data(event: PersonErased) -> None:
    from scoring import privacy

    privacy.erase(event.lead)
