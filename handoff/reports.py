"""Handoff's report endpoints (definitions in handoff/metrics.py). Figures about reps'
work are scoped to the reader: a manager reads his teams', admins and marketers everyone's."""

from datetime import datetime
from typing import Any

from rest_framework.request import Request

from handoff import metrics
from leads.access import team_members
from leads.reports.report_api import ReportView


class SlaReport(ReportView):
    """SLA compliance, time to accept and system delay, in total and per rep."""

    name = "sla"

    def report(self, request: Request, start: datetime, end: datetime, filters: Any) -> Any:
        return metrics.sla(start, end, filters, people=team_members(request.user))


class RejectionsReport(ReportView):
    """Rejections by reason, by lead source and by routing rule."""

    name = "rejections"

    def report(self, request: Request, start: datetime, end: datetime, filters: Any) -> Any:
        return metrics.rejections(start, end, filters, people=team_members(request.user))


class NpsReport(ReportView):
    """Promoters, passives, detractors and NPS from the after-sale survey."""

    name = "nps"

    def report(self, request: Request, start: datetime, end: datetime, filters: Any) -> Any:
        return metrics.nps(start, end)
