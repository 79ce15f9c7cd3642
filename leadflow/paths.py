"""Where Leadflow's files live."""

import logging
from pathlib import Path

from leadflow.env import env_str

logger = logging.getLogger(__name__)

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime files of the embedded defaults: the SQLite database, the filesystem broker,
# the beat schedule. Tests point it at a temporary folder.
VAR_DIR = Path(env_str("LEADFLOW_VAR_DIR", str(BASE_DIR / "var")))


def runtime_file(name: str) -> Path:
    """A file the processes write under VAR_DIR, its folder created if missing.

    A fresh clone has no var/: with DATABASE_URL and REDIS_URL set nothing else creates
    it, and beat then failed to open its schedule file at every start. A process that
    cannot create the folder (a read-only web container that never writes there) goes on;
    the one that needs the file reports the error when it opens it.
    """
    path = VAR_DIR / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        logger.warning("cannot create %s: %s", path.parent, error)
    return path
