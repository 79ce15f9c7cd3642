from scoring.models.events import Event, EventType, SourceApiKey, SourceKind
from scoring.models.rules import FitRule, IntentRule, Operator, ScoringModel
from scoring.models.scores import LeadScore, LikelihoodModel, RescoreJob, ScoreHistory

__all__ = [
    "Event",
    "EventType",
    "FitRule",
    "IntentRule",
    "LeadScore",
    "LikelihoodModel",
    "Operator",
    "RescoreJob",
    "ScoreHistory",
    "ScoringModel",
    "SourceApiKey",
    "SourceKind",
]
