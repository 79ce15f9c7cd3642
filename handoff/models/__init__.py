from handoff.models.alerts import Delivery, Notification, WebhookEndpoint
from handoff.models.handoffs import Handoff, RejectReason
from handoff.models.qualification import Answer, ContactAttempt, FollowUp, QualifyingQuestion
from handoff.models.routing import HandoffSettings, RepProfile, RoutingRule, TeamHours

__all__ = [
    "Answer",
    "ContactAttempt",
    "Delivery",
    "FollowUp",
    "Handoff",
    "HandoffSettings",
    "Notification",
    "QualifyingQuestion",
    "RejectReason",
    "RepProfile",
    "RoutingRule",
    "TeamHours",
    "WebhookEndpoint",
]
