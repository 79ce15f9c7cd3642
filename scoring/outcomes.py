"""Whether a lead converted: the one definition every backtest and model training uses."""

from typing import Any

from leads.stages import Stage


def outcome(stage: str, attributes: dict[str, Any]) -> int | None:
    """1 converted, 0 did not, None unknown. An imported "converted" column wins."""
    converted = attributes.get("converted")
    if isinstance(converted, bool):
        return int(converted)
    if isinstance(converted, str) and converted.lower() in {"true", "yes", "1", "false", "no", "0"}:
        return int(converted.lower() in {"true", "yes", "1"})
    if stage == Stage.CUSTOMER:
        return 1
    if stage == Stage.DISQUALIFIED:
        return 0
    return None


# The same rule in PostgreSQL, for reports that count outcomes without loading leads
# (tests/test_scoring_outcomes.py holds both to the same answers).
OUTCOME_SQL = """
CASE
  WHEN jsonb_typeof(leads_lead.attributes -> 'converted') = 'boolean'
    THEN (leads_lead.attributes ->> 'converted')::boolean::int
  WHEN jsonb_typeof(leads_lead.attributes -> 'converted') = 'string'
       AND lower(leads_lead.attributes ->> 'converted') IN ('true', 'yes', '1') THEN 1
  WHEN jsonb_typeof(leads_lead.attributes -> 'converted') = 'string'
       AND lower(leads_lead.attributes ->> 'converted') IN ('false', 'no', '0') THEN 0
  WHEN leads_lead.stage = 'customer' THEN 1
  WHEN leads_lead.stage = 'disqualified' THEN 0
END
"""
