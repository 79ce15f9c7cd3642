from leads.models.campaign import Campaign, Channel
from leads.models.company import Company
from leads.models.heartbeat import Heartbeat
from leads.models.history import (
    CohortReach,
    MoveCount,
    StageChange,
    StageFlow,
    StayHistogram,
)
from leads.models.imports import ImportJob
from leads.models.lead import Lead
from leads.models.matching import MatchingSettings
from leads.models.merges import MergeRecord
from leads.models.notes import Note
from leads.models.preferences import Preferences
from leads.models.spend import SalesCost, SpendEntry
from leads.models.team import Team

__all__ = [
    "Campaign",
    "Channel",
    "CohortReach",
    "Company",
    "Heartbeat",
    "ImportJob",
    "Lead",
    "MatchingSettings",
    "MergeRecord",
    "MoveCount",
    "Note",
    "Preferences",
    "SalesCost",
    "SpendEntry",
    "StageChange",
    "StageFlow",
    "StayHistogram",
    "Team",
]
