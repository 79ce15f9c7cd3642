"""Configuration comes from the environment, and production refuses unsafe defaults."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process only.
    dropped = {"DJANGO_SETTINGS_MODULE", "CI", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    for key in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
        clean.pop(key, None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = run_manage("check", env={"DEBUG": "0", "LEADFLOW_VAR_DIR": str(tmp_path)})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_values_pass_the_deploy_check(tmp_path: Path) -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "leads.example.com",
            "DATABASE_URL": "postgres://leadflow@127.0.0.1:5432/leadflow",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "LEADFLOW_VAR_DIR": str(tmp_path),
        },
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_malformed_boolean_is_refused_not_guessed(tmp_path: Path) -> None:
    result = run_manage("check", env={"DEBUG": "flase", "LEADFLOW_VAR_DIR": str(tmp_path)})

    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_development_defaults_need_no_environment(tmp_path: Path) -> None:
    result = run_manage("check", env={"LEADFLOW_VAR_DIR": str(tmp_path)})

    assert result.returncode == 0, result.stderr
