"""The dashboard: the numbers marketing and sales agree on, for a chosen period, as
charts with their tables. Each app computes its own metrics; this page only combines."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from handoff import metrics as handoff_metrics
from leadflow.charts import bars
from leads.access import team_members
from leads.decorators import role_required
from leads.models import Campaign, Channel
from leads.reports import metrics
from leads.reports.periods import PERIODS, read_period
from leads.roles import Role
from leads.stages import DISPLAY_ORDER, FUNNEL, Stage


@role_required(Role.MARKETER, Role.MANAGER, Role.ADMIN)
def dashboard(request: HttpRequest) -> HttpResponse:
    chosen_period = read_period(request.GET)
    start, end, chosen = chosen_period.start, chosen_period.end, chosen_period.chosen
    counts = metrics.stage_counts(end)
    conversion = metrics.conversion_by_period(start, end)
    velocity = metrics.time_in_stage(start, end)
    by_campaign = metrics.cost_per_stage(start, end, by="campaign")
    by_channel = metrics.cost_per_stage(start, end, by="channel")
    # Figures about reps' work: a manager reads his own teams' (leads.access.team_members).
    people = team_members(request.user)
    sla = handoff_metrics.sla(start, end, people=people)
    rejected = handoff_metrics.rejections(start, end, people=people)
    names = dict(Campaign.objects.values_list("pk", "name"))
    channels = dict(Channel.choices)

    def cost_rows(rows: list[dict[str, Any]], key: str, label: Any) -> list[dict[str, Any]]:
        return [{**row, "name": label(row[key])} for row in rows if row.get("spend")]

    campaign_costs = cost_rows(by_campaign, "campaign", lambda pk: names.get(pk, _("(none)")))
    channel_costs = cost_rows(by_channel, "channel", lambda c: channels.get(c, c or _("(none)")))
    context = {
        "periods": PERIODS,
        "chosen": chosen,
        "period_errors": chosen_period.errors,
        "typed": chosen_period.typed,
        "chosen_label": PERIODS.get(chosen, ""),
        "start": start,
        "end": end,
        "last_day": (end - timedelta(microseconds=1)).date(),
        "counts": [(Stage(s), counts[s]) for s in (x.value for x in DISPLAY_ORDER)],
        "funnel_chart": bars(
            [(Stage(s).label, counts[s.value]) for s in FUNNEL],
            css=[f"stage-{s.value}" for s in FUNNEL],
        ),
        "conversion": [
            {**row, "from_label": Stage(row["from"]).label, "to_label": Stage(row["to"]).label}
            for row in conversion
        ],
        "conversion_chart": bars(
            [
                (
                    f"{Stage(r['from']).label} → {Stage(r['to']).label}",
                    None if r["rate"] is None else r["rate"] * 100,
                )
                for r in conversion
            ],
            unit="%",
        ),
        "velocity": [(Stage(s), velocity[s]) for s in velocity if velocity[s]["moves"]],
        "velocity_chart": bars(
            [
                (Stage(s).label, velocity[s]["median_hours"])
                for s in velocity
                if velocity[s]["moves"]
            ],
            unit=" h",
            digits=1,
        ),
        "campaign_costs": campaign_costs,
        "cost_chart": bars(
            [(row["name"], row["cost_per_sql"]) for row in campaign_costs], digits=2
        ),
        "channel_costs": channel_costs,
        "sla": sla,
        "rejections": rejected,
        # Reasons are shipped data (translated when read, as everywhere else they show).
        "rejection_chart": bars(
            [(_(label), n) for label, n in list(rejected["by_reason"].items())[:8]]
        ),
    }
    return render(request, "dashboard/dashboard.html", context)
