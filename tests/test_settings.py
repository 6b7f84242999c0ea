"""Settings from the environment: production passes Django's deployment checks and refuses to start without
its secrets; bad values get a message that names the variable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def massline(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-m", "massline.cli", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "massline.settings.production",
    "SECRET_KEY": "q8Vn2-Lr5mZ0pWf3yKc7HsT1uXe9AbGd4JiO6NvRwQlYtMk2SzPaEhCjUoBxDgFi",
    "ALLOWED_HOSTS": "hotline.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_production_settings_pass_the_deployment_checks() -> None:
    result = massline("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "security." not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"TASK_BACKEND": "celery"}, "TASK_BACKEND"),
        ({"TASK_BACKEND": "rq", "REDIS_URL": ""}, "REDIS_URL"),
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
    ],
)
def test_bad_configuration_names_the_variable(override: dict[str, str], message: str) -> None:
    result = massline("check", **{**PRODUCTION, **override})
    assert result.returncode != 0
    assert message in result.stderr
