"""A real Celery worker, on Redis, against the PostgreSQL test database."""

from __future__ import annotations

import datetime as dt

import pytest

from deputies.models import Deputy, StreetMembership
from deputies.tasks import deputy_statuses_refresh
from tests.factories import make_deputy

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


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
