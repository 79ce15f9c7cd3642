"""Small arithmetic every app's metrics share."""

from decimal import Decimal


def ratio(part: float | int | Decimal, whole: float | int | Decimal) -> float | None:
    return round(float(part) / float(whole), 4) if whole else None


def percentile(ordered: list[float], pct: float) -> float:
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
