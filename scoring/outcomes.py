"""Whether a lead converted: the one definition every backtest and model training uses
(``scoring.sql.rows.outcome_expression`` is the same rule in PostgreSQL)."""

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
