"""The core's report endpoints (definitions in leads/reports/metrics.py)."""

from datetime import datetime
from typing import Any

from rest_framework.request import Request

from leads.reports import metrics
from leads.reports.report_api import ReportView, moment


class StageCountsReport(ReportView):
    """Leads per stage at a moment (`?at=`, default: now)."""

    name = "stage-counts"

    def report(self, request: Request, start: datetime, end: datetime, filters: Any) -> Any:
        return metrics.stage_counts(moment(request.query_params.get("at"), "at", end), filters)


class ConversionReport(ReportView):
    """Stage-to-stage conversion, `?by=cohort` (leads created in the period) or `period`."""

    name = "conversion"

    def report(self, request: Request, start: datetime, end: datetime, filters: Any) -> Any:
        if request.query_params.get("by") == "period":
            return metrics.conversion_by_period(start, end, filters)
        return metrics.conversion_by_cohort(start, end, filters)


class VelocityReport(ReportView):
    """Median and 90th percentile time in each stage."""

    name = "velocity"

    def report(self, request: Request, start: datetime, end: datetime, filters: Any) -> Any:
        return metrics.time_in_stage(start, end, filters)


class CostReport(ReportView):
    """Cost per lead / MQL / SQL / customer, `?by=campaign|channel`, `?include_sales=1`."""

    name = "cost"

    def report(self, request: Request, start: datetime, end: datetime, filters: Any) -> Any:
        by = "channel" if request.query_params.get("by") == "channel" else "campaign"
        sales = request.query_params.get("include_sales") in ("1", "true")
        return metrics.cost_per_stage(start, end, by=by, include_sales=sales, filters=filters)
