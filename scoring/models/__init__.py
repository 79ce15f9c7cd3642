from scoring.models.attribution import AttributionCredit
from scoring.models.events import Event, EventType, PendingEvent, SourceApiKey, SourceKind
from scoring.models.forms import FormSubmission, WebForm
from scoring.models.rules import FitRule, IntentRule, Operator, ScoringModel
from scoring.models.scores import (
    LeadScore,
    LikelihoodModel,
    LikelihoodSettings,
    RescoreJob,
    RescorePart,
    ScoreHistory,
)
from scoring.models.tracking import PageView, TrackingSite

__all__ = [
    "AttributionCredit",
    "Event",
    "EventType",
    "FitRule",
    "FormSubmission",
    "IntentRule",
    "LeadScore",
    "LikelihoodModel",
    "LikelihoodSettings",
    "Operator",
    "PageView",
    "PendingEvent",
    "RescoreJob",
    "RescorePart",
    "ScoreHistory",
    "ScoringModel",
    "SourceApiKey",
    "SourceKind",
    "TrackingSite",
    "WebForm",
]
