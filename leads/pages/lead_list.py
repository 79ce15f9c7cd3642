"""The first pages: the leads list, scoped to the viewer's role."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from leads.access import visible_leads
from leads.decorators import role_required
from leads.filters import filter_leads
from leads.stages import DISPLAY_ORDER, Stage
from plumbing.keyset import BadCursor, keyset_page

PAGE_SIZE = 50


@role_required()
def lead_list(request: HttpRequest) -> HttpResponse:
    scoped = visible_leads(request.user)
    counts = dict(scoped.values_list("stage").annotate(n=Count("id")).order_by())
    stage_counts = [(stage, counts.get(stage, 0)) for stage in DISPLAY_ORDER]
    # A filter that cannot be read (?fit_min=abc) lists nothing and says so, rather than
    # quietly listing everything as if it had been applied.
    filtered = filter_leads(request.GET, scoped.select_related("company", "owner"))
    try:
        page = keyset_page(
            filtered.leads, ordering="-created_at", cursor=request.GET.get("cursor"), size=PAGE_SIZE
        )
    except BadCursor:
        page = keyset_page(filtered.leads, ordering="-created_at", cursor=None, size=PAGE_SIZE)
    next_query = None
    if page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        next_query = query.urlencode()
    return render(
        request,
        "leads/lead_list.html",
        {
            "leads": page.rows,
            "stage_counts": stage_counts,
            "total": sum(counts.values()),
            "active_stages": request.GET.getlist("stage"),
            "q": request.GET.get("q", ""),
            "next_query": next_query,
            "stages": Stage,
            "filter_errors": filtered.errors,
            "filtered": filtered.active,
        },
    )
