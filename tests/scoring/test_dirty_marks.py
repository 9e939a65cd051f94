"""Dirty marks: a write that moves points marks its quarter in its own transaction, and asks
for a recompute only when none is pending; the pending mark is the coalescing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from congress.periods import Quarter
from scoring.models import DirtyPeriod
from scoring.services import period_mark_dirty, ranking_recompute, score_adjustment_create

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 5, 6)
Q = Quarter.containing(DAY)


def _adjust(world, points="1"):
    return score_adjustment_create(
        deputy=world.deputy_a,
        date=DAY,
        points=Decimal(points),
        reason="补记",
        by=world.district_user,
    )


def _enqueued(callbacks) -> int:
    with mock.patch("scoring.tasks.ranking_recompute_task.apply_async") as send:
        for callback in callbacks:
            callback()
    return send.call_count


def test_a_burst_of_writes_asks_for_one_recompute(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(5):
            period_mark_dirty(district_id=world.district.pk, day=DAY)
    assert _enqueued(callbacks) == 1
    assert DirtyPeriod.objects.filter(year=Q.year, quarter=Q.number).count() == 1
    # While that recompute is pending, a later write needs none of its own.
    with django_capture_on_commit_callbacks() as callbacks:
        period_mark_dirty(district_id=world.district.pk, day=DAY)
    assert _enqueued(callbacks) == 0


def test_after_the_recompute_the_next_write_asks_again(world, django_capture_on_commit_callbacks):
    period_mark_dirty(district_id=world.district.pk, day=DAY)
    ranking_recompute(district=world.district, year=Q.year, quarter=Q.number)
    assert not DirtyPeriod.objects.filter(year=Q.year, quarter=Q.number).exists()
    with django_capture_on_commit_callbacks() as callbacks:
        period_mark_dirty(district_id=world.district.pk, day=DAY)
    assert _enqueued(callbacks) == 1


def test_a_mark_whose_recompute_never_ran_is_asked_for_again(
    world, django_capture_on_commit_callbacks
):
    period_mark_dirty(district_id=world.district.pk, day=DAY)  # its task was lost
    DirtyPeriod.objects.update(marked_at=timezone.now() - dt.timedelta(minutes=2))
    with django_capture_on_commit_callbacks() as callbacks:
        period_mark_dirty(district_id=world.district.pk, day=DAY)
        period_mark_dirty(district_id=world.district.pk, day=DAY)
    assert _enqueued(callbacks) == 1


def test_a_broker_outage_keeps_the_write_and_the_mark(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        adjustment = _adjust(world, "2")
    with mock.patch(
        "scoring.tasks.ranking_recompute_task.apply_async", side_effect=OSError("refused")
    ):
        for callback in callbacks:
            callback()  # logged, not raised
    adjustment.refresh_from_db()
    assert adjustment.points == 2
    assert DirtyPeriod.objects.filter(year=Q.year, quarter=Q.number).exists()
