"""Test settings: the real settings, with what must differ per test process."""

import os

from leadflow.settings import *  # noqa: F403
from leadflow.settings import CACHES, DATABASES, VAR_DIR

# Under pytest-xdist each test process runs its own Celery worker: give each its own queue
# and cache prefix so they never take each other's tasks against the wrong database.
_PROCESS = os.environ.get("PYTEST_XDIST_WORKER", "main")
CELERY_TASK_DEFAULT_QUEUE = f"leadflow-test-{_PROCESS}"
CACHES["default"]["KEY_PREFIX"] = f"leadflow-test-{_PROCESS}"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so that a worker in another process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
