"""Load every view as a web worker starts, not on its first request.

The URLconf imports every app's views (and with them scikit-learn, DRF's serializers, the
admin): about two seconds of CPU on this kind of machine, which a worker's first requests
would otherwise wait for after each start or restart. (A Celery worker needs nothing of
this: Celery's Django fixup runs the system checks as it starts, and they load the
URLconf.)
"""

import contextlib

from django.core.cache import cache
from django.urls import get_resolver, reverse


def load_views() -> None:
    get_resolver().url_patterns  # noqa: B018 -- imports the URLconf and every view
    reverse("login")  # builds the reverse lookup table too
    # The cache client (and the Redis library) load on first use: the first API request,
    # rate-limited through the cache, would wait for them. Redis being down is the
    # requests' business, not the start's.
    with contextlib.suppress(Exception):
        cache.get("warmup")
