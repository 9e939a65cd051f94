"""Rankings on a real Celery worker: the task, two recomputes at once, and a broker outage
that must not fail or lose a user's write."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from congress.celery import app
from congress.periods import Quarter
from deputies.models import DutyRecord, DutyType
from deputies.services import duty_record_submit, duty_records_approve
from scoring.models import DirtyPeriod, RankingRow, RankingSnapshot
from scoring.tasks import dirty_periods_recompute_task, ranking_recompute_task
from tests.factories import make_deputy

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _use_broker(url: str) -> None:
    """Point this process's producer at another broker, dropping pooled connections."""
    app.conf.broker_url = url  # type: ignore[misc]
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


def _records(world, n: int) -> None:
    duty_type = DutyType.objects.get(code="training")
    deputies = [
        world.deputy_a,
        world.deputy_b,
        *[make_deputy(street=world.street_a) for _ in range(5)],
    ]
    DutyRecord.objects.bulk_create(
        [
            DutyRecord(
                deputy=deputies[i % len(deputies)],
                duty_type=duty_type,
                date=timezone.localdate(),
                description="参加培训学习一天",
                status=DutyRecord.Status.APPROVED,
                client_token=uuid.uuid4(),
            )
            for i in range(n)
        ]
    )


def test_recompute_task_on_a_worker(world, worker_queue):
    _records(world, 30)
    q = Quarter.containing(timezone.localdate())
    result = ranking_recompute_task.apply_async(
        args=(world.district.pk, q.year, q.number), queue=worker_queue
    ).get(timeout=120)
    snapshot = RankingSnapshot.objects.get(pk=result["snapshot"])
    assert snapshot.status == "live"
    assert RankingRow.objects.filter(snapshot=snapshot).count() == snapshot.population
    totals = RankingRow.objects.filter(snapshot=snapshot).values_list("total", flat=True)
    assert sum(totals) == 30 * 2  # thirty trainings at 2 points


def test_two_concurrent_recomputes_leave_one_consistent_snapshot(world, worker_queue_two):
    _records(world, 60)
    q = Quarter.containing(timezone.localdate())
    args = (world.district.pk, q.year, q.number)
    first = ranking_recompute_task.apply_async(args=args, queue=worker_queue_two)
    second = ranking_recompute_task.apply_async(args=args, queue=worker_queue_two)
    results = [first.get(timeout=120), second.get(timeout=120)]
    live = RankingSnapshot.objects.filter(
        district=world.district, status="live", year=q.year, quarter=q.number
    )
    assert live.count() == 1
    assert live.get().pk == max(r["snapshot"] for r in results)
    snapshot = live.get()
    assert RankingRow.objects.filter(snapshot=snapshot).count() == snapshot.population
    # The run that lost the race left a superseded snapshot, whole and still readable.
    older = RankingSnapshot.objects.get(pk=min(r["snapshot"] for r in results))
    assert older.status == "superseded"
    assert RankingRow.objects.filter(snapshot=older).count() == older.population
    totals = dict(RankingRow.objects.filter(snapshot=snapshot).values_list("deputy_id", "total"))
    assert sum(totals.values()) == 60 * 2


def test_broker_down_never_fails_or_loses_a_write(world, worker_queue, wait_for):
    record, _ = duty_record_submit(
        deputy=world.deputy_a,
        duty_type=DutyType.objects.get(code="report_to_voters"),
        date=timezone.localdate(),
        description="向选民述职一次",
        client_token=uuid.uuid4(),
    )
    good_broker = app.conf.broker_url
    _use_broker("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        # The approval commits; enqueueing the recompute fails and is only logged.
        assert duty_records_approve(records=[record], reviewer=world.street_a_user) == 1
    finally:
        _use_broker(good_broker)
    record.refresh_from_db()
    assert record.status == DutyRecord.Status.APPROVED
    q = Quarter.containing(timezone.localdate())
    assert DirtyPeriod.objects.filter(
        district=world.district, year=q.year, quarter=q.number
    ).exists()
    # Once the broker is back, the periodic catch-up recomputes the dirty quarter.
    assert dirty_periods_recompute_task.apply_async(queue=worker_queue).get(timeout=120) >= 1
    assert not DirtyPeriod.objects.filter(district=world.district).exists()
    row = RankingRow.objects.get(
        snapshot__status="live",
        snapshot__year=q.year,
        snapshot__quarter=q.number,
        deputy=world.deputy_a,
    )
    assert row.total == 5


def test_a_report_job_runs_on_the_worker(world, worker_queue):
    from pathlib import Path

    from django.conf import settings

    from scoring.models import ReportJob
    from scoring.tasks import report_job_task

    _records(world, 12)
    q = Quarter.containing(timezone.localdate())
    snapshot = ranking_recompute_task.apply_async(
        args=(world.district.pk, q.year, q.number), queue=worker_queue
    ).get(timeout=120)["snapshot"]
    job = ReportJob.objects.create(
        snapshot_id=snapshot, requested_by=world.district_user, rows_total=1
    )
    assert report_job_task.apply_async(args=(str(job.pk),), queue=worker_queue).get(120) == "done"
    job.refresh_from_db()
    path = Path(settings.MEDIA_ROOT) / job.path
    try:
        assert job.rows_done > 0 and path.stat().st_size > 0
        assert not path.with_suffix(".part").exists()
    finally:
        path.unlink(missing_ok=True)
