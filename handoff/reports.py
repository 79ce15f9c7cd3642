"""Handoff's report endpoints (definitions in handoff/metrics.py)."""

from datetime import datetime
from typing import Any

from rest_framework.request import Request

from handoff import metrics
from leads.report_api import ReportView


class SlaReport(ReportView):
    """SLA compliance, time to accept and system delay, in total and per rep."""

    name = "sla"

    def report(self, request: Request, start: datetime, end: datetime, filters: Any) -> Any:
        return metrics.sla(start, end, filters)


class RejectionsReport(ReportView):
    """Rejections by reason, by lead source and by routing rule."""

    name = "rejections"

    def report(self, request: Request, start: datetime, end: datetime, filters: Any) -> Any:
        return metrics.rejections(start, end, filters)


class NpsReport(ReportView):
    """Promoters, passives, detractors and NPS from the after-sale survey."""

    name = "nps"

    def report(self, request: Request, start: datetime, end: datetime, filters: Any) -> Any:
        return metrics.nps(start, end)
