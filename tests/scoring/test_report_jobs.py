"""Large rankings: the Excel report is written in the background, its progress shown on a
page, and only the person who asked can see or download it."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congress.periods import Quarter
from deputies.models import DutyType
from deputies.services import duty_record_submit, duty_records_approve
from scoring.exports import quarterly_report_rows, quarterly_report_write
from scoring.models import RankingSnapshot, ReportJob
from scoring.services import ranking_recompute, report_job_run, report_jobs_purge
from tests.factories import make_deputy

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(world, settings, tmp_path, monkeypatch):
    from congress.celery import app

    # In-process, also in the CI leg that configures a broker (no worker reads it here).
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    settings.MEDIA_ROOT = tmp_path
    settings.SCORING_DIRECT_EXPORT_LIMIT = 3  # the fixture's district counts as large
    for deputy in [world.deputy_a, *[make_deputy(street=world.street_b) for _ in range(4)]]:
        record, _ = duty_record_submit(
            deputy=deputy,
            duty_type=DutyType.objects.get(code="training"),
            date=timezone.localdate(),
            description="参加学习培训一天",
            client_token=uuid.uuid4(),
        )
        duty_records_approve(records=[record], reviewer=None)
    quarter = Quarter.containing(timezone.localdate())
    return ranking_recompute(district=world.district, year=quarter.year, quarter=quarter.number)


def _sheet(data: bytes, index: int) -> list[tuple]:
    return [
        tuple(r)
        for r in load_workbook(io.BytesIO(data)).worksheets[index].iter_rows(values_only=True)
    ]


def test_progress_counts_every_data_row(ranked):
    steps: list[int] = []
    out = io.BytesIO()
    quarterly_report_write(ranked, out, progress=steps.append)
    # The data rows of the three ranking sheets, under their title and header rows.
    written = sum(len(_sheet(out.getvalue(), i)) - 2 for i in range(3))
    assert sum(steps) == quarterly_report_rows(ranked) == written


def test_large_ranking_is_written_in_the_background(
    client, world, ranked, django_capture_on_commit_callbacks
):
    client.force_login(world.district_user)
    page = client.get(reverse("scoring:ranking")).content.decode()
    assert reverse("scoring:report_job_start") in page  # a button that starts a job

    with django_capture_on_commit_callbacks(execute=True):  # eager: the job runs here
        response = client.post(reverse("scoring:report_job_start"))
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "scoring:report_job", args=[job.pk]
    )
    assert job.status == ReportJob.Status.DONE and job.rows_done == job.rows_total > 0

    detail = client.get(response.url).content.decode()
    assert "100%" in detail and reverse("scoring:report_job_download", args=[job.pk]) in detail
    status = client.get(reverse("scoring:report_job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100 and status["download"]

    download = client.get(status["download"])
    assert download.status_code == 200
    assert (
        download["Content-Disposition"].endswith('.xlsx"')
        or ".xlsx" in download["Content-Disposition"]
    )
    written = b"".join(download.streaming_content)
    direct = io.BytesIO()
    quarterly_report_write(ranked, direct)
    assert _sheet(written, 2)[2:] == _sheet(direct.getvalue(), 2)[2:]


def test_only_the_requester_sees_the_job(client, world, ranked):
    job = ReportJob.objects.create(snapshot=ranked, requested_by=world.district_user, rows_total=1)
    report_job_run(job_id=job.pk)
    client.force_login(world.street_a_user)
    for name in ("scoring:report_job", "scoring:report_job_status", "scoring:report_job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    client.force_login(world.deputy_a.user)
    assert client.get(reverse("scoring:report_job", args=[job.pk])).status_code == 403
    assert client.post(reverse("scoring:report_job_start")).status_code == 403


def test_a_failed_job_says_why_and_leaves_no_file(world, ranked, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr("scoring.services.reports.quarterly_report_write", broken)
    job = ReportJob.objects.create(snapshot=ranked, requested_by=world.district_user, rows_total=1)
    job = report_job_run(job_id=job.pk)
    assert job.status == ReportJob.Status.FAILED and "磁盘已满" in job.error
    assert not list((Path(settings.MEDIA_ROOT) / "reports").glob("*"))


def test_a_broker_outage_fails_the_job_with_a_message(client, world, ranked, monkeypatch):
    def refused(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("scoring.tasks.report_job_task.apply_async", refused)
    from scoring.services import report_job_start

    job = report_job_start(snapshot=ranked, by=world.district_user, language="zh-hans")
    from scoring.services.reports import _enqueue_report

    _enqueue_report(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and job.error


def test_old_jobs_and_their_files_are_purged(world, ranked):
    job = ReportJob.objects.create(snapshot=ranked, requested_by=world.district_user, rows_total=1)
    job = report_job_run(job_id=job.pk)
    path = Path(settings.MEDIA_ROOT) / job.path
    assert path.is_file()
    assert report_jobs_purge() == 0
    assert report_jobs_purge(now=timezone.now() + timezone.timedelta(days=2)) == 1
    assert not path.exists() and not ReportJob.objects.exists()
    assert RankingSnapshot.objects.filter(pk=ranked.pk).exists()


def test_a_ranking_purged_before_the_job_runs_says_so(world, ranked):
    job = ReportJob.objects.create(snapshot=ranked, requested_by=world.district_user, rows_total=1)
    RankingSnapshot.objects.filter(pk=ranked.pk).delete()
    job = report_job_run(job_id=job.pk)
    assert job.status == ReportJob.Status.FAILED
    assert job.error == "生成报表前该排名已被替换，请重新生成。"
