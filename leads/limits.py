"""Small guards every public entry point shares: rate limits and allowed origins."""

import logging
import time
from collections.abc import Iterable

from django.core.cache import cache

logger = logging.getLogger(__name__)


def over_limit(name: str, *, per_minute: int) -> bool:
    """Count one hit for ``name`` in the current minute (atomically, on the shared cache);
    True once the minute's hits pass ``per_minute``."""
    key = f"limit:{name}:{int(time.time() // 60)}"
    try:
        try:
            # Counting first: two round trips to Redis for all but a minute's first hit.
            hits = cache.incr(key)
        except ValueError:  # the minute's first hit, unless another request's came first
            hits = 1 if cache.add(key, 1, timeout=90) else cache.incr(key)
    except Exception as error:  # the shared cache (Redis) is down
        # Keep taking leads and events: a minute without rate limits beats losing them.
        logger.warning("rate limit %s not counted: cache unavailable (%s)", name,
                       type(error).__name__)  # fmt: skip
        return False
    return hits > per_minute


def seconds_to_next_minute() -> int:
    return 60 - int(time.time()) % 60


def origin_allowed(allowed: Iterable[str], origin: str) -> bool:
    """No list allows every site; a request without an Origin header is not cross-site."""
    allowed = {item.rstrip("/") for item in allowed}
    return not allowed or not origin or origin.rstrip("/") in allowed
