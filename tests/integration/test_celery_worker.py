"""A real Celery worker, on Redis, against the PostgreSQL test database."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from deputies.models import Deputy, StreetMembership
from deputies.tasks import deputy_statuses_refresh
from tests.factories import make_deputy

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue() -> Iterator[str]:
    """Start `celery worker` in a subprocess on a queue of its own; stop it afterwards."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="congress.settings.test",
        DATABASE_URL=_database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "congress",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    from congress.celery import app

    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"worker exited early:\n{proc.stdout.read() if proc.stdout else ''}")
            replies = app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1.0)
            if replies:
                break
        else:
            pytest.fail("worker did not answer a ping within 60 s")
        yield queue
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_worker_runs_task_against_postgres(world, worker_queue):
    leaving = make_deputy(street=world.street_a, name="离任代表")
    # Entered as in the admin: a leaving date, but the membership left open.
    Deputy.objects.filter(pk=leaving.pk).update(
        left_on=dt.date(2025, 6, 30), status=Deputy.Status.LEFT, left_reason="工作调动"
    )
    assert StreetMembership.objects.filter(deputy=leaving, end_date__isnull=True).exists()

    result = deputy_statuses_refresh.apply_async(queue=worker_queue)
    assert result.get(timeout=60) == 1

    membership = StreetMembership.objects.get(deputy=leaving)
    assert membership.end_date == dt.date(2025, 6, 30)
    # Idempotent: a second run on the worker changes nothing.
    assert deputy_statuses_refresh.apply_async(queue=worker_queue).get(timeout=60) == 0
