"""Scoring's report endpoints (definitions in scoring/metrics.py)."""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from leads.reports.report_api import ReportView
from leads.stages import Stage
from scoring import metrics


class AttributionReport(ReportView):
    """Credit for `?stage=sql|customer` by `?model=first|last|linear` touch."""

    name = "attribution"

    def report(self, request: Request, start: datetime, end: datetime, filters: Any) -> Any:
        model = request.query_params.get("model", "first")
        stage = request.query_params.get("stage", Stage.SQL)
        if model not in metrics.MODELS:
            raise ValidationError({"model": [_("first, last or linear.")]})
        if stage not in (Stage.SQL, Stage.CUSTOMER):
            raise ValidationError({"stage": [_("sql or customer.")]})
        return metrics.attribution(start, end, model=model, stage=stage, filters=filters)


class ScoreBandsReport(ReportView):
    """Conversion by grade and by likelihood decile, over leads with known outcomes."""

    name = "score-bands"

    def report(self, request: Request, start: datetime, end: datetime, filters: Any) -> Any:
        return metrics.conversion_by_band(filters)
