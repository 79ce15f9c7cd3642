from scoring.models.events import Event, EventType, SourceApiKey, SourceKind
from scoring.models.forms import FormSubmission, WebForm
from scoring.models.rules import FitRule, IntentRule, Operator, ScoringModel
from scoring.models.scores import LeadScore, LikelihoodModel, RescoreJob, ScoreHistory

__all__ = [
    "Event",
    "EventType",
    "FitRule",
    "FormSubmission",
    "IntentRule",
    "LeadScore",
    "LikelihoodModel",
    "Operator",
    "RescoreJob",
    "ScoreHistory",
    "ScoringModel",
    "SourceApiKey",
    "SourceKind",
    "WebForm",
]
