"""Every SQL statement of the scoring app (one sub-package: together they pass 400 lines).

- ``rules``: the engine's rule definitions compiled to SQL, and the unlocked batch read
  that previews use;
- ``scores``: the drain and re-scoring, a few statements per few thousand leads;
- ``rows``: the set-based writes of scores, events, pending rows and likelihoods, and the
  outcome rule as an expression.

An operation with a set-based PostgreSQL path asks ``plumbing.sql.on_postgresql`` once and
takes either a statement here or its ORM path (the app runs on SQLite under
``make run``). Table and column names come from the models' ``_meta``, the lead's included
(``LEADS``, ``lead_column``), and stage names from ``leads.stages.Stage``;
tests/test_architecture_sql.py keeps SQL and vendor checks out of every other module.
"""

from leads.models import Company, Lead
from plumbing.sql import column
from scoring.models import Event, LeadScore, PendingEvent, ScoreHistory

LEADS = Lead._meta.db_table
COMPANIES = Company._meta.db_table
EVENTS = Event._meta.db_table
PENDING_EVENTS = PendingEvent._meta.db_table
SCORES = LeadScore._meta.db_table
SCORE_HISTORY = ScoreHistory._meta.db_table


def lead_column(name: str) -> str:
    return column(Lead, name)


def company_column(name: str) -> str:
    return column(Company, name)
