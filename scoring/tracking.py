"""Website tracking: anonymous page views stored fast, stitched to a lead once the visitor
is known (a form submission, or a tracked email link), then scored as page-view events."""

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core import signing
from django.db import transaction

from leads.models import Lead
from scoring import attribution
from scoring.ingest import ingest
from scoring.models import PageView, SourceKind, TrackingSite

# Crawlers, link previews, monitors and scripts: not people, not intent.
BOTS = re.compile(
    r"bot|crawl|spider|slurp|headless|lighthouse|preview|facebookexternalhit|embedly|"
    r"curl|wget|python-requests|httpclient|monitor|pingdom",
    re.IGNORECASE,
)
LINK_SALT = "leadflow.tracked-link.v2"  # v2: the token signs the target page too
LINK_MAX_AGE_S = 60 * 60 * 24 * 365


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOTS.search(user_agent))


def record_view(site: TrackingSite, data: dict[str, Any], *, user_agent: str) -> PageView | None:
    """Store one page view (nothing else: the endpoint must answer fast)."""
    visitor = str(data.get("visitor", ""))[:64]
    url = str(data.get("url", ""))[:1000]
    if is_bot(user_agent) or not visitor or not url:
        return None
    utm = data.get("utm") if isinstance(data.get("utm"), dict) else {}
    view = PageView.objects.create(
        site=site,
        visitor=visitor,
        url=url,
        title=str(data.get("title", ""))[:300],
        referrer=str(data.get("referrer", ""))[:1000],
        utm={str(k)[:30]: str(v)[:200] for k, v in list(utm.items())[:10]},
    )
    token = data.get("lf_t")
    if isinstance(token, str) and token:
        lead_id = lead_from_token(token)
        if lead_id is not None:
            stitch(visitor, lead_id)
    return view


@transaction.atomic
def stitch(visitor: str, lead_id: int) -> int:
    """Tie a visitor's anonymous views to the lead and score them. Returns views stitched."""
    views = list(
        PageView.objects.select_for_update()
        .filter(visitor=visitor[:64], lead__isnull=True)
        .order_by("at")
    )
    if not views or not Lead.objects.filter(pk=lead_id).exists():
        return 0
    PageView.objects.filter(pk__in=[v.pk for v in views]).update(lead_id=lead_id)
    ingest(
        [
            {
                "type": "page_view",
                "lead_id": lead_id,
                "id": f"pv-{view.pk}",
                "occurred_at": view.at.isoformat(),
                "properties": {"url": view.url, "title": view.title, **view.utm},
            }
            for view in views
        ],
        source="website",
        source_kind=SourceKind.FIRST_PARTY,
    )
    first, last = views[0], views[-1]
    attribution.record({lead_id: _touch(first)})  # sets the first touch if the lead had none
    attribution.record({lead_id: _touch(last)})
    return len(views)


def _touch(view: PageView) -> dict[str, str]:
    return {
        **view.utm,
        "landing_page": view.url,
        **({"referrer": view.referrer} if view.referrer else {}),
    }


def link_token(lead: Lead, target: str) -> str:
    """A signed token for a tracked email link to target: it names the lead and the page
    together, so the link can only ever lead to the page it was made for (a made-up or
    altered token is no redirect to anywhere)."""
    if not target.startswith(("https://", "http://")):
        raise ValueError("a tracked link leads to an http(s) page")
    return signing.dumps({"lead": lead.pk, "to": target}, salt=LINK_SALT, compress=True)


def tracked_link(lead: Lead, target: str) -> str:
    """The path of a tracked link (to put after the site's address in an email)."""
    return f"/t/click/{link_token(lead, target)}/"


def read_link(token: str) -> tuple[int, str] | None:
    """The lead and page a token was signed for, or None for anything not signed here."""
    try:
        value = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE_S)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    lead_id, target = value.get("lead"), value.get("to")
    if isinstance(lead_id, bool) or not isinstance(lead_id, int) or not isinstance(target, str):
        return None
    return lead_id, target


def landing_url(target: str, token: str) -> str:
    """Where a clicked link lands: the target, with the token (``lf_t``, which the snippet
    reads to stitch the visit to the lead) only when the target is one of our tracked sites
    — never handed to a third-party page, whose logs and Referer would carry it on."""
    parts = urlsplit(target)
    origin = f"{parts.scheme}://{parts.netloc}"
    sites = TrackingSite.objects.filter(active=True).values_list("allowed_origins", flat=True)
    if not any(origin in {o.rstrip("/") for o in origins} for origins in sites):
        return target
    query = f"{parts.query}&lf_t={token}" if parts.query else f"lf_t={token}"
    return urlunsplit(parts._replace(query=query))  # before any #fragment, as it must be


def lead_from_token(token: str) -> int | None:
    link = read_link(token)
    return link[0] if link else None


def email_click(lead_id: int) -> None:
    """A tracked email link was clicked: an email-click event for its lead."""
    if not Lead.objects.filter(pk=lead_id).exists():
        return
    ingest(
        [{"type": "email_click", "lead_id": lead_id}],
        source="email",
        source_kind=SourceKind.FIRST_PARTY,
    )


def snippet(site: TrackingSite, base_url: str) -> str:
    return (
        f'<script src="{base_url.rstrip("/")}/static/scoring/track.js" '
        f'data-site="{site.key}" async></script>'
    )
