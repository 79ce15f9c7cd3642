"""Demo data: one user per role, two teams, and a few hundred believable leads whose
history follows the transition table. Deterministic, so running it twice adds nothing."""

import random
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from demo.handoff import seed_demo_handoffs
from demo.lead_data import (
    CAMPAIGNS,
    COMPANIES,
    DISQUALIFY_REASONS,
    FIRST_NAMES,
    LAST_NAMES,
    LOST_REASONS,
    MONTHLY_SALES_COST,
    MONTHLY_SPEND,
    PATHS,
    REJECT_REASONS,
    SOURCES,
    STAGE_MIX,
    TITLES,
)
from demo.scoring import mirror_made_up_scores, seed_demo_capture, seed_demo_events
from leads.lifecycle import StoryStep, load_leads
from leads.models import Campaign, Company, Lead, SalesCost, SpendEntry, Team
from leads.roles import Role, group_for
from leads.stages import Stage
from leads.system_texts import DEMO_DATA, SYNTHETIC_DATA, Stored, shipped
from plumbing.batching import batched

User = get_user_model()
DEMO_PASSWORD = "leadflow-demo"  # printed by seed_demo; demo installs only


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    team: str | None = None


DEMO_USERS = [
    DemoUser("admin", "Ada", "Admin", Role.ADMIN),
    DemoUser("marketer", "María", "López", Role.MARKETER),
    DemoUser("manager", "Mateo", "Fernández", Role.MANAGER, "Iberia"),
    DemoUser("rep", "Rosa", "Martín", Role.REP, "Iberia"),
    DemoUser("rep2", "Raúl", "Navarro", Role.REP, "Iberia"),
    DemoUser("manager2", "Nora", "Walsh", Role.MANAGER, "North America"),
    DemoUser("rep3", "Sam", "Carter", Role.REP, "North America"),
]


@dataclass
class SeedResult:
    users: list[tuple[DemoUser, str]]
    leads_created: int


def seed_people() -> dict[str, AbstractUser]:
    """The demo users and their teams; passwords are (re)set so the printed logins work."""
    users: dict[str, AbstractUser] = {}
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in ("Iberia", "North America")}
    for spec in DEMO_USERS:
        user, _created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@leadflow.example",
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.is_staff = spec.role == Role.ADMIN
        user.is_superuser = spec.role == Role.ADMIN
        user.save()
        user.groups.add(group_for(spec.role))
        if spec.team:
            team = teams[spec.team]
            if spec.role == Role.MANAGER:
                team.manager = user
                team.save(update_fields=["manager"])
            team.members.add(user)
        users[spec.username] = user
    return users


def seed_catalogue() -> tuple[list[Company], list[Campaign]]:
    today = timezone.localdate()
    companies = []
    for domain, name, industry, employees, country in COMPANIES:
        company, _ = Company.objects.get_or_create(
            domain=domain,
            defaults={
                "name": name,
                "industry": industry,
                "employees": employees,
                "country": country,
            },
        )
        companies.append(company)
    campaigns = []
    for name, channel, code, days_ago in CAMPAIGNS:
        campaign, _ = Campaign.objects.get_or_create(
            utm_campaign=code,
            defaults={
                "name": name,
                "channel": channel,
                "starts_on": today - timedelta(days=days_ago),
            },
        )
        campaigns.append(campaign)
    seed_spend(campaigns, today)
    return companies, campaigns


def seed_spend(campaigns: list[Campaign], today: date) -> None:
    """A spend entry per campaign per 30 days since it started, and sales cost likewise."""
    if SpendEntry.objects.exists():
        return
    entries, costs = [], []
    for campaign in campaigns:
        start = campaign.starts_on or today - timedelta(days=90)
        while start < today:
            end = min(start + timedelta(days=29), today)
            amount = MONTHLY_SPEND.get(campaign.utm_campaign, 1000)
            entries.append(SpendEntry(campaign=campaign, amount=amount, currency="EUR",
                                      starts_on=start, ends_on=end))  # fmt: skip
            start = end + timedelta(days=1)
    start = today - timedelta(days=120)
    while start < today:
        end = min(start + timedelta(days=29), today)
        costs.append(SalesCost(amount=MONTHLY_SALES_COST, currency="EUR", starts_on=start,
                               ends_on=end))  # fmt: skip
        start = end + timedelta(days=1)
    SpendEntry.objects.bulk_create(entries)
    SalesCost.objects.bulk_create(costs)


def story_for(
    path: list[Stage], *, rng: random.Random, start: datetime, now: datetime
) -> list[StoryStep]:
    """Times that move forward from ``start`` and never pass ``now``; a reason per move."""
    steps = [StoryStep(Stage.LEAD, start, shipped(gettext_noop("Imported with the demo data")))]
    at = start
    for previous, stage in pairwise(path):
        at = min(now, at + timedelta(hours=rng.uniform(2, 24 * 12)))
        steps.append(StoryStep(stage, at, _reason(previous, stage, rng)))
    return steps


def _reason(previous: Stage, stage: Stage, rng: random.Random) -> Stored | str:
    """Why a demo lead moved: texts Leadflow ships, stored as such so that each reader
    reads them in their own language."""
    if stage == Stage.MQL:
        return shipped(gettext_noop("Fit and intent crossed the MQL thresholds"))
    if stage == Stage.SAL:
        return shipped(gettext_noop("Accepted by the rep"))
    if stage == Stage.SQL:
        return shipped(gettext_noop("Qualifying answers meet the criteria"))
    if stage == Stage.CUSTOMER:
        return shipped(gettext_noop("Closed won"))
    if stage == Stage.NURTURE:
        return shipped(rng.choice(LOST_REASONS if previous == Stage.SQL else REJECT_REASONS))
    if stage == Stage.DISQUALIFIED:
        return shipped(rng.choice(DISQUALIFY_REASONS))
    return ""


def with_recycles(path: list[Stage], recycles: int, rng: random.Random) -> list[Stage]:
    """``path`` with ``recycles`` earlier rounds back to nurture once it reached MQL.

    Real leads come back: an MQL is nurtured (or accepted and then lost) and qualifies
    again later. Each round adds two or three moves, for benchmarks that need a deep history.
    """
    if recycles <= 0 or Stage.MQL not in path:
        return path
    rounds: list[Stage] = []
    for _ in range(recycles):
        if rng.random() < 0.5:
            rounds += [Stage.SAL, Stage.NURTURE, Stage.MQL]
        else:
            rounds += [Stage.NURTURE, Stage.MQL]
    at_mql = path.index(Stage.MQL) + 1
    return [*path[:at_mql], *rounds, *path[at_mql:]]


def pick_stage(rng: random.Random) -> Stage:
    stages, weights = zip(*STAGE_MIX, strict=True)
    return rng.choices(stages, weights)[0]


def build_demo_leads(
    count: int,
    *,
    rng: random.Random,
    companies: list[Company],
    campaigns: list[Campaign],
    reps: list[tuple[AbstractUser, Team]],
    email_for: "EmailMaker",
    now: datetime,
    days: int = 120,
    recycles: int = 0,
) -> Iterator[tuple[Lead, list[StoryStep]]]:
    for index in range(count):
        stage = pick_stage(rng)
        path = with_recycles(rng.choice(PATHS[stage]), recycles, rng)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company = rng.choice(companies)
        title, seniority = rng.choice(TITLES)
        reached_sales = Stage.SAL in path or (stage == Stage.MQL and rng.random() < 0.5)
        rep, team = rng.choice(reps) if reached_sales else (None, None)
        warm = len(path) > 1 and stage != Stage.DISQUALIFIED
        lead = Lead(
            email=email_for(first, last, company.domain, index),
            first_name=first,
            last_name=last,
            phone=f"+34 6{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            title=title,
            company=company,
            source=rng.choice(SOURCES),
            campaign=rng.choice(campaigns) if rng.random() < 0.8 else None,
            owner=rep,
            team=team,
            email_ok=rng.random() < 0.85,
            phone_ok=rng.random() < 0.6,
            attributes={
                "seniority": seniority,
                "department": rng.choice(["marketing", "sales", "operations", "it"]),
            },
            fit=rng.randint(55, 98) if warm else rng.randint(5, 70),
            intent=rng.randint(40, 100) if warm else rng.randint(0, 45),
        )
        start = now - timedelta(days=rng.uniform(1, days))
        story = story_for(path, rng=rng, start=start, now=now)
        if stage == Stage.CUSTOMER:
            lead.deal_value = Decimal(rng.randrange(5_000, 120_000, 500))
            lead.closed_at = story[-1].at.date()
        yield lead, story


class EmailMaker:
    """Believable, unique emails: first.last@domain, with a number when taken."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken

    def __call__(self, first: str, last: str, domain: str, index: int) -> str:
        local = f"{_ascii(first)}.{_ascii(last)}"
        email = f"{local}@{domain}"
        n = 2
        while email in self.taken:
            email = f"{local}{n}@{domain}"
            n += 1
        self.taken.add(email)
        return email


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "")


def reps_with_teams(users: dict[str, AbstractUser]) -> list[tuple[AbstractUser, Team]]:
    reps = []
    for spec in DEMO_USERS:
        if spec.role == Role.REP and spec.team:
            reps.append((users[spec.username], Team.objects.get(name=spec.team)))
    return reps


DEMO_LEADS = 300
DEMO_SEED = 2026


@transaction.atomic
def seed_demo(leads: int = DEMO_LEADS) -> SeedResult:
    """The demo: users, catalogue and ``leads`` leads with history (fewer for tests)."""
    users = seed_people()
    companies, campaigns = seed_catalogue()
    created = 0
    # Idempotent: the same seed yields the same leads; only missing ones are added.
    if not Lead.objects.filter(attributes__demo=True).exists():
        rng = random.Random(DEMO_SEED)
        entries = list(
            build_demo_leads(
                leads,
                rng=rng,
                companies=companies,
                campaigns=campaigns,
                reps=reps_with_teams(users),
                email_for=EmailMaker(set(Lead.objects.values_list("email", flat=True))),
                now=timezone.now(),
            )
        )
        for lead, _story in entries:
            lead.attributes["demo"] = True
        loaded = load_leads(entries, reason=shipped(DEMO_DATA))
        ids = [lead.pk for lead in loaded]
        # Scoring's behaviour first: the handoffs are for the leads it has made MQLs.
        seed_demo_capture()
        seed_demo_events(ids)
        seed_demo_handoffs(ids)
        created = len(loaded)
    return SeedResult(users=[(spec, DEMO_PASSWORD) for spec in DEMO_USERS], leads_created=created)


class SyntheticEmails:
    """Unique emails for benchmark leads without looking any up: a per-run prefix."""

    def __init__(self) -> None:
        self.run = format(int(timezone.now().timestamp() * 1000), "x")

    def __call__(self, first: str, last: str, domain: str, index: int) -> str:
        return f"{_ascii(first)}.{_ascii(last)}.{self.run}.{index}@{domain}"


def add_synthetic_leads(
    count: int,
    *,
    recycles: int = 0,
    batch_size: int = 5000,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Add ``count`` more leads with history through the bulk path, for benchmarks.

    ``recycles``: rounds back to nurture for each lead that reached MQL (deeper history).
    """
    users = seed_people()
    companies, campaigns = seed_catalogue()
    rng = random.Random()
    leads = build_demo_leads(
        count,
        rng=rng,
        companies=companies,
        campaigns=campaigns,
        reps=reps_with_teams(users),
        email_for=SyntheticEmails(),
        now=timezone.now(),
        days=365,
        recycles=recycles,
    )
    done = 0
    for chunk in batched(leads, batch_size):
        loaded = load_leads(chunk, reason=shipped(SYNTHETIC_DATA), batch_size=batch_size)
        mirror_made_up_scores([lead.pk for lead in loaded])
        done += len(chunk)
        if on_batch:
            on_batch(done)
    return done
