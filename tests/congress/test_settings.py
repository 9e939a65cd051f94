"""Settings come from the environment only; each case runs in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG_VARS = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "EMAIL_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)

PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER, "broker": settings.CELERY_BROKER_URL,
    "email": settings.EMAIL_BACKEND, "language": settings.LANGUAGE_CODE,
    "tz": settings.TIME_ZONE, "debug": settings.DEBUG,
}))
"""


def _run(module: str, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = module
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _probe(module: str, **env: str) -> dict:
    result = _run(module, PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_needs_no_environment():
    got = _probe("congress.settings.local")
    assert got["engine"] == "django.db.backends.sqlite3"
    assert got["name"] == str(ROOT / "var" / "db.sqlite3")
    assert got["eager"] is True
    assert got["broker"] == ""
    assert got["email"] == "django.core.mail.backends.console.EmailBackend"
    assert got["language"] == "zh-hans"
    assert got["tz"] == "Asia/Shanghai"
    assert got["debug"] is True


def test_database_url_switches_to_postgresql_and_broker_to_redis():
    got = _probe(
        "congress.settings.local",
        DATABASE_URL="postgresql://congress:secret@db.internal:5432/congress",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/3",
    )
    assert got["engine"] == "django.db.backends.postgresql"
    assert got["name"] == "congress"
    assert got["host"] == "db.internal"
    assert got["eager"] is False
    assert got["broker"] == "redis://127.0.0.1:6379/3"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "rd.example.gov.cn"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "rd.example.gov.cn"}, "SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_secret_and_hosts(env, message):
    result = _run("congress.settings.production", PROBE, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_check_deploy_is_clean():
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env.update(
        DJANGO_SETTINGS_MODULE="congress.settings.production",
        SECRET_KEY="k3y-" + "a1b2c3d4e5f6g7h8i9j0" * 3,
        ALLOWED_HOSTS="rd.example.gov.cn",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
