"""A small population for learned-likelihood tests: the plan and the budget (written with a
decimal comma, as a European CRM exports it) drive conversion; the source never does."""

import random

from leads.models import Lead
from tests.factories import CompanyFactory, LeadFactory


def population(count: int = 160, *, seed: int = 1) -> list[Lead]:
    rng = random.Random(seed)
    software = CompanyFactory(industry="Software", employees=200)
    retail = CompanyFactory(industry="Retail", employees=20)
    leads = []
    for i in range(count):
        pro = rng.random() < 0.5
        budget = rng.randint(1, 90) * 1000
        chance = 0.1 + 0.5 * pro + 0.3 * (budget > 45000)
        leads.append(
            LeadFactory(
                email=f"pop{seed}-{i}@example.com",
                company=software if rng.random() < 0.5 else retail,
                attributes={
                    "plan": "pro" if pro else "free",
                    "budget": f"{budget:,}".replace(",", ".") + ",00",
                    "converted": rng.random() < chance,
                },
            )
        )
    return leads


def open_lead(**attributes: object) -> Lead:
    """A lead whose outcome is unknown yet (what the active model scores)."""
    return LeadFactory(attributes=attributes)
