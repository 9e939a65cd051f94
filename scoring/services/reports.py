"""Quarterly reports written in the background, for rankings too large to download in one
request: a job row the progress page polls, the file under MEDIA_ROOT/reports/."""

from __future__ import annotations

import datetime as dt
import logging
import os
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exports import (
    SnapshotGone,
    quarterly_report_filename,
    quarterly_report_rows,
    quarterly_report_write,
)
from ..models import RankingSnapshot, ReportJob

logger = logging.getLogger(__name__)

REPORT_JOB_LIFETIME = dt.timedelta(days=1)
REPORTS_DIR = "reports"


@transaction.atomic
def report_job_start(*, snapshot: RankingSnapshot, by: Any, language: str) -> ReportJob:
    """Queue the quarterly report of ``snapshot`` for ``by``; the worker writes it."""
    job = ReportJob(
        snapshot=snapshot,
        requested_by=by,
        language=language,
        rows_total=quarterly_report_rows(snapshot),
        filename=quarterly_report_filename(snapshot, language=language),
    )
    job.full_clean()
    job.save()
    transaction.on_commit(partial(_enqueue_report, job.pk))
    return job


def _enqueue_report(job_id: Any) -> None:
    from ..tasks import report_job_task

    try:
        report_job_task.apply_async(args=(str(job_id),))
    except Exception:
        logger.warning("Could not enqueue report job %s", job_id, exc_info=True)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED,
            error=_("The background service is unavailable; try again in a few minutes."),
            finished_at=timezone.now(),
        )


def report_job_run(*, job_id: Any) -> ReportJob:
    """Write a queued report to MEDIA_ROOT/reports/, counting rows as it goes. Safe to run
    twice: a job that is done stays done."""
    job = ReportJob.objects.select_related("snapshot__district", "snapshot__rule_set").get(
        pk=job_id
    )
    if job.status == ReportJob.Status.DONE:
        return job
    if job.snapshot is None:
        return _report_job_fail(job, _("The ranking was replaced before the report was written."))
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, rows_done=0)
    done = 0

    def progress(rows: int) -> None:
        nonlocal done
        done += rows
        ReportJob.objects.filter(pk=job.pk).update(rows_done=done)

    relative = f"{REPORTS_DIR}/{job.pk}.xlsx"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial_file = target.with_suffix(".part")
    try:
        quarterly_report_write(
            job.snapshot, str(partial_file), language=job.language, progress=progress
        )
        os.replace(partial_file, target)
    except SnapshotGone:
        partial_file.unlink(missing_ok=True)
        return _report_job_fail(job, _("The ranking was replaced before the report was written."))
    except Exception as exc:
        partial_file.unlink(missing_ok=True)
        logger.exception("Report job %s failed", job.pk)
        return _report_job_fail(job, _("The report could not be written: %(e)s") % {"e": exc})
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE, rows_done=done, path=relative, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _report_job_fail(job: ReportJob, message: str) -> ReportJob:
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.FAILED, error=message[:300], finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def report_jobs_purge(*, now: dt.datetime | None = None) -> int:
    """Delete report jobs older than a day, with their files."""
    old = ReportJob.objects.filter(created_at__lt=(now or timezone.now()) - REPORT_JOB_LIFETIME)
    count = 0
    for job in old.only("pk", "path"):
        if job.path:
            (Path(settings.MEDIA_ROOT) / job.path).unlink(missing_ok=True)
        job.delete()
        count += 1
    return count
