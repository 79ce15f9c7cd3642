"""A web worker loads every view as it starts, so its first requests do not wait seconds
for the imports."""

import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# Loaded only through the URLconf: the scoring pages, and scikit-learn through them.
LOADED_BY_THE_URLCONF = ("scoring.pages.versions", "sklearn")


def modules_loaded_after(code: str, tmp_path: Path, **env: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "leadflow.settings",
            "LEADFLOW_VAR_DIR": str(tmp_path),
            "DEBUG": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_nothing_else_loads_the_views_before_a_request(tmp_path: Path) -> None:
    loaded = modules_loaded_after("import django; django.setup()", tmp_path)

    assert not loaded & set(LOADED_BY_THE_URLCONF)


def test_a_starting_web_worker_has_every_view_loaded(tmp_path: Path) -> None:
    loaded = modules_loaded_after("import leadflow.wsgi", tmp_path)

    assert set(LOADED_BY_THE_URLCONF) <= loaded


def test_a_starting_web_worker_has_its_cache_client_even_when_redis_is_down(
    tmp_path: Path,
) -> None:
    """The first rate-limited API request would otherwise load the Redis library."""
    nothing_listens = {"REDIS_URL": "redis://127.0.0.1:9/0"}

    assert "redis" not in modules_loaded_after(
        "import django; django.setup()", tmp_path, **nothing_listens
    )
    assert "redis" in modules_loaded_after("import leadflow.wsgi", tmp_path, **nothing_listens)
