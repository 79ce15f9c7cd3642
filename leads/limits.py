"""Small guards every public entry point shares: rate limits and allowed origins."""

import time
from collections.abc import Iterable

from django.core.cache import cache


def over_limit(name: str, *, per_minute: int) -> bool:
    """Count one hit for ``name`` in the current minute (atomically, on the shared cache);
    True once the minute's hits pass ``per_minute``."""
    key = f"limit:{name}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=90)
    try:
        hits = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=90)
        hits = 1
    return hits > per_minute


def seconds_to_next_minute() -> int:
    return 60 - int(time.time()) % 60


def origin_allowed(allowed: Iterable[str], origin: str) -> bool:
    """No list allows every site; a request without an Origin header is not cross-site."""
    allowed = {item.rstrip("/") for item in allowed}
    return not allowed or not origin or origin.rstrip("/") in allowed
