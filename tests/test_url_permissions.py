"""One permission matrix over every URL in the URL conf (pages and API) × every role.

Each URL name must have a decision in POLICY: a new endpoint without one fails
`test_every_url_has_a_decision`. For each URL and role the test asks as that role (GET,
or POST where the URL takes only POST, with ids that do not exist) and checks the answer:
a role outside the decision is refused (403; 401 or the login page when anonymous), a
role inside it is let through (whatever comes next: 200, 404 for the missing id, 400…).
"""

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from leads.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # anyone, signed in or not (login, health, public forms and tracking)
ANY = "any role"  # anyone signed in with a role
SIGNED_IN = "signed in"  # anyone signed in, role or not (the API's schema and its docs)
M, R, G, A = Role.MARKETER, Role.REP, Role.MANAGER, Role.ADMIN
READERS = frozenset({M, G, A})
WRITERS = frozenset({M, A})
ADMIN_ONLY = frozenset({A})

POLICY: dict[str, object] = {
    # Pages
    "home": PUBLIC,  # sends each person to their work, or to the login page
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "favicon": PUBLIC,  # the icon browsers ask for on their own
    "metrics": ADMIN_ONLY,  # or Prometheus with its bearer token
    "login": PUBLIC,
    "logout": PUBLIC,
    "password_change": SIGNED_IN,  # anyone signed in changes their own password
    "password_change_done": SIGNED_IN,
    "password_reset": PUBLIC,  # the way back in for someone who forgot it
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,  # the signed link in the email decides
    "password_reset_complete": PUBLIC,
    "set_language": PUBLIC,
    "web-form": PUBLIC,
    "track-collect": PUBLIC,
    "tracked-link": PUBLIC,
    "survey": PUBLIC,
    "schema": SIGNED_IN,
    "api-docs": SIGNED_IN,
    "leads:list": ANY,
    "lead-page": ANY,
    "lead-move": ANY,
    # The rep's work on a SAL: its rep, their manager or an admin (checked again per lead).
    "lead-answer": frozenset({R, G, A}),
    "lead-qualify-panel": frozenset({R, G, A}),
    "lead-attempt-page": frozenset({R, G, A}),
    "lead-note": ANY,
    "lead-erase-page": ADMIN_ONLY,
    "notifications": ANY,
    "alert-lead": ANY,  # an alert's link: the lead, or where it went (checked at the click)
    "bell": ANY,
    "preferences": ANY,
    "dashboard": READERS,
    "queue": WRITERS,
    "nurture": WRITERS,
    "send-selected": WRITERS,
    "send-to-sales": frozenset({M, G, A}),
    "inbox": frozenset({R, A}),
    "accept": frozenset({R, A}),
    "reject": frozenset({R, A}),
    "team": frozenset({G, A}),
    "reassign": frozenset({G, A}),
    "campaigns": WRITERS,
    "campaign": WRITERS,
    "spend-delete": WRITERS,
    "import-upload": WRITERS,
    "import-job": WRITERS,
    "import-map": WRITERS,
    "import-errors": WRITERS,
    "duplicates": WRITERS,
    "merge": WRITERS,
    "undo-merge": WRITERS,
    "web-forms": WRITERS,
    "web-form-new": WRITERS,  # marketers build the forms of their campaigns
    "web-form-edit": WRITERS,
    "tracking-sites": WRITERS,
    "scoring-home": ADMIN_ONLY,
    "scoring-edit": ADMIN_ONLY,
    "scoring-new-draft": ADMIN_ONLY,
    "scoring-preview": ADMIN_ONLY,
    "scoring-activate": ADMIN_ONLY,
    "scoring-job": ADMIN_ONLY,
    "likelihood-home": ADMIN_ONLY,
    "likelihood-choose": ADMIN_ONLY,
    "likelihood-train": ADMIN_ONLY,
    "likelihood-activate": ADMIN_ONLY,
}

EVERY = ANY
SALES = frozenset({R, G, A})
API_POLICY: dict[str, object] = {
    "api-root": EVERY,
    # Leads and the core's resources: reading is scoped per role inside (tests elsewhere).
    **dict.fromkeys(["lead-list", "lead-export", "lead-detail", "lead-export-one", "lead-history",
                     "lead-notes", "lead-transition", "lead-score", "company-list",
                     "company-detail", "campaign-list", "campaign-detail", "team-list",
                     "team-detail", "token-list", "token-detail"], EVERY),
    **dict.fromkeys(["spend-list", "spend-detail", "sales-cost-list", "sales-cost-detail"],
                    READERS),
    **dict.fromkeys(["import-list", "import-detail", "import-errors-csv", "merge-list",
                     "merge-undo", "event-ingest", "scoring-model-list", "scoring-model-detail",
                     "scoring-model-preview", "rescore-job-list", "rescore-job-detail",
                     "web-form-list", "web-form-detail", "web-form-snippet",
                     "tracking-site-list", "tracking-site-detail", "tracking-site-snippet"],
                    WRITERS),
    **dict.fromkeys(["report-stage-counts", "report-conversion", "report-velocity",
                     "report-cost", "report-attribution", "report-score-bands", "report-sla",
                     "report-rejections", "report-nps"], READERS),
    # Admin-only settings and keys.
    **dict.fromkeys(["matching", "source-key-list", "source-key-detail", "source-key-revoke",
                     "scoring-model-activate", "scoring-model-copy", "rescore-job-start",
                     "likelihood-model-list", "likelihood-model-train",
                     "likelihood-model-detail", "likelihood-model-activate", "webhook-list",
                     "webhook-detail", "handoff-settings", "lead-personal-data", "lead-erase"],
                    ADMIN_ONLY),
    # Sales work on a lead, and handoff answers.
    **dict.fromkeys(["lead-attempts", "lead-answers", "lead-qualify", "lead-convert",
                     "lead-lose", "handoff-accept", "handoff-reject", "handoff-reassign"],
                    SALES),
    # Everyone reads these lists (reasons, questions, their handoffs and notifications).
    **dict.fromkeys(["event-type-list", "event-type-detail", "handoff-list", "handoff-detail",
                     "notification-list", "notification-read-all", "notification-unread-count",
                     "notification-read", "routing-rule-list", "routing-rule-detail",
                     "reject-reason-list", "reject-reason-detail", "question-list",
                     "question-detail", "rep-profile-list", "rep-profile-detail",
                     "team-hours-list", "team-hours-detail", "follow-up-list",
                     "follow-up-detail"], EVERY),
}  # fmt: skip


def named_patterns() -> Iterator[tuple[str, URLPattern, str]]:
    """(name, pattern, route) for every named URL outside Django admin."""

    def walk(patterns, prefix: str = "", namespace: str = ""):  # type: ignore[no-untyped-def]
        for entry in patterns:
            if isinstance(entry, URLResolver):
                route = str(entry.pattern)
                if route.startswith("admin/"):
                    continue
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix + route, ns)
            elif entry.name:
                yield f"{namespace}{entry.name}", entry, prefix + str(entry.pattern)

    seen = set()
    for name, pattern, route in walk(get_resolver().url_patterns):
        if "(?P<format>" in route or name in seen:  # DRF's .json suffix twins
            continue
        seen.add(name)
        yield name, pattern, route


def concrete(route: str) -> str:
    """A URL for a route: ids that do not exist, placeholder keys."""
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "999999", route)  # DRF router groups
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"<int:\w+>", "999999", route)
    route = re.sub(r"<(?:str:|slug:)?\w+>", "no-such-key", route)
    route = route.replace("\\.", ".").replace("/?", "/")
    return "/" + route


URLS = list(named_patterns())


def test_every_url_has_a_decision() -> None:
    undecided = sorted(name for name, _p, _r in URLS if _policy(name) is None)
    assert undecided == [], "add these to POLICY (who may use them?)"


def _policy(name: str) -> object:
    if name in POLICY:
        return POLICY[name]
    return API_POLICY.get(name)


def answer(client: Client, url: str) -> int:
    status = client.get(url).status_code
    if status == 405:
        status = client.post(url).status_code
    return status


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    people = {role: UserFactory(username=f"matrix-{role.value}", role=role) for role in Role}
    people["no role"] = UserFactory(username="matrix-none")
    return people


@pytest.mark.parametrize(
    ("name", "route"), [(n, r) for n, _p, r in URLS], ids=[n for n, *_ in URLS]
)
def test_each_role_gets_what_the_policy_says(name: str, route: str, people, client: Client) -> None:
    decision = _policy(name)
    url = concrete(route)
    is_api = url.startswith(("/api/", "/metrics"))  # machines: 401, not the login page
    results = {}
    for who, user in [("anonymous", None), *people.items()]:
        client.logout()
        if user is not None:
            client.force_login(user)
        results[str(who)] = answer(client, url)

    for who, status in results.items():
        if decision == PUBLIC:
            allowed = True
        elif who == "anonymous":
            allowed = False
        elif decision == SIGNED_IN:
            allowed = True
        elif who == "no role":
            allowed = False
        elif decision == ANY:
            allowed = True
        else:
            allowed = Role(who) in decision  # type: ignore[operator]
        if allowed:
            assert status not in (401, 403), f"{who} refused at {url} ({status})"
        elif who == "anonymous":
            expected = (401, 403) if is_api else (302,)  # pages send them to log in
            assert status in expected, f"anonymous let in at {url} ({status})"
        else:
            assert status == 403, f"{who} let in at {url} ({status})"
