"""Small guards every public entry point shares: rate limits and allowed origins."""

import logging
import time
from collections.abc import Iterable

from django.core.cache import cache

logger = logging.getLogger(__name__)


# The limits count per wall-clock minute; tests hold this clock still so that a burst they
# send is not split by a minute's turn.
clock = time.time


def over_limit(name: str, *, per_minute: int, hits: int = 1) -> bool:
    """Count ``hits`` for ``name`` in the current minute (atomically, on the shared cache);
    True once the minute's hits pass ``per_minute``."""
    key = _minute_key(name)
    try:
        try:
            # Counting first: two round trips to Redis for all but a minute's first hit.
            total = cache.incr(key, hits)
        except ValueError:  # the minute's first hit, unless another request's came first
            total = hits if cache.add(key, hits, timeout=90) else cache.incr(key, hits)
    except Exception as error:  # the shared cache (Redis) is down
        # Keep taking leads and events: a minute without rate limits beats losing them.
        logger.warning("rate limit %s not counted: cache unavailable (%s)", name,
                       type(error).__name__)  # fmt: skip
        return False
    return total > per_minute


def hits_this_minute(name: str) -> int:
    """What ``over_limit`` has counted for ``name`` this minute (0 if the cache is down)."""
    try:
        return int(cache.get(_minute_key(name)) or 0)
    except Exception:  # the shared cache (Redis) is down: as over_limit, let it through
        return 0


def _minute_key(name: str) -> str:
    return f"limit:{name}:{int(clock() // 60)}"


def seconds_to_next_minute() -> int:
    return 60 - int(clock()) % 60


def origin_allowed(allowed: Iterable[str], origin: str) -> bool:
    """No list allows every site; a request without an Origin header is not cross-site."""
    allowed = {item.rstrip("/") for item in allowed}
    return not allowed or not origin or origin.rstrip("/") in allowed
