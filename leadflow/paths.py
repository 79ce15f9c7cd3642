"""Where Leadflow's files live."""

from pathlib import Path

from leadflow.env import env_str

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime files of the embedded defaults: the SQLite database, the filesystem broker,
# the beat schedule. Tests point it at a temporary folder.
VAR_DIR = Path(env_str("LEADFLOW_VAR_DIR", str(BASE_DIR / "var")))
