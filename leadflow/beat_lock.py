"""Exactly one beat: a second beat process waits until the first one is gone.

Two beats send every scheduled task twice (two SLA sweeps, two decay runs). That happened
after a ``kill -9`` of ``celery worker -B``: its beat child lived on, and the restarted
worker brought a second. So when beat starts it takes a lock and holds it for its life:
- with Redis (``REDIS_URL``), a key set only if absent, with a time to live that a thread
  of the beat process renews; a beat killed outright lets it expire within LOCK_TTL_S;
- embedded, an exclusive ``flock`` on a file under VAR_DIR, which the kernel releases the
  moment the holder dies.
A beat that finds the lock taken logs so and waits, taking over when the holder is gone
(a standby), rather than running beside it.
"""

import atexit
import contextlib
import fcntl
import logging
import os
import socket
import threading
import time
import uuid
from typing import Any

from django.conf import settings

from leadflow.paths import runtime_file

logger = logging.getLogger(__name__)

LOCK_KEY = "leadflow:beat-lock:{queue}"  # one beat per deployment (its queue names it)
LOCK_TTL_S = 30
RETRY_S = 2.0

# Keep the lock if it is ours (or take it back if it expired unclaimed); 0 if another has it.
RENEW = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) return 1 end
return 0
"""

RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

_held: list[Any] = []  # what keeps the lock alive for the process's life


def hold_beat_lock(**_kwargs: object) -> None:
    """Celery's ``beat_init`` handler: block until this process is the only beat."""
    if _held:  # `worker -B` sends both beat_embedded_init and beat_init: one lock will do
        return
    redis_url = getattr(settings, "REDIS_URL", "")
    try:
        if redis_url:
            _hold_redis_lock(redis_url)
        else:
            _hold_file_lock()
    except Exception:
        # Celery logs a handler's exception and starts beat anyway: a beat that could not
        # take the lock must stop here, or it runs beside the one holding it.
        logger.exception("beat lock not taken: stopping this beat")
        os._exit(1)


def _hold_file_lock() -> None:
    handle = open(runtime_file("beat.lock"), "a+")  # noqa: SIM115 — held for life
    waited = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if not waited:
                logger.warning("another beat is running; this one waits to take over")
                waited = True
            time.sleep(RETRY_S)
    _held.append(handle)
    logger.info("beat lock taken (%s)", handle.name)


def _hold_redis_lock(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    key = LOCK_KEY.format(queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    # Unique even where containers share a host name and a pid (1).
    me = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    waited = False
    while True:
        try:
            if client.set(key, me, nx=True, ex=LOCK_TTL_S):
                break
            if not waited:
                holder = client.get(key)
                logger.warning("another beat is running (%s); this one waits to take over",
                               holder)  # fmt: skip
                waited = True
        except redis.RedisError as error:  # Redis not up yet: wait for it, never run unlocked
            logger.warning("beat lock: Redis unavailable (%s); retrying", error)
        time.sleep(RETRY_S)
    logger.info("beat lock taken (%s)", me)

    renew_script = client.register_script(RENEW)

    def renew() -> None:
        # Renew only our own lock (atomically, in Redis); if it was lost (Redis was down
        # past the time to live and another beat took it), this one stops rather than run
        # beside the new holder.
        while True:
            time.sleep(LOCK_TTL_S / 3)
            try:
                if not renew_script(keys=[key], args=[me, LOCK_TTL_S]):
                    logger.error("beat lock lost to another beat: stopping this one")
                    os._exit(1)
            except redis.RedisError as error:
                logger.warning("beat lock not renewed: %s", error)

    thread = threading.Thread(target=renew, name="beat-lock", daemon=True)
    thread.start()
    _held.append(thread)

    release_script = client.register_script(RELEASE)

    @atexit.register
    def release() -> None:  # a beat stopped cleanly hands over at once, not after the TTL
        with contextlib.suppress(redis.RedisError):
            release_script(keys=[key], args=[me])
