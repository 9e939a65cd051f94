"""The points pages in a real browser: district staff read and publish the quarter's
ranking on a desktop; a deputy reads their own points on a phone, every entry listed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from congress.periods import Quarter
from deputies.models import Deputy
from scoring.models import RankingRow, RankingSnapshot
from tests.browser.conftest import DESKTOP, PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _live_row(deputy: Deputy) -> RankingRow:
    quarter = Quarter.containing(timezone.localdate())
    return RankingRow.objects.get(
        deputy=deputy,
        snapshot__status=RankingSnapshot.Status.LIVE,
        snapshot__year=quarter.year,
        snapshot__quarter=quarter.number,
    )


def test_staff_ranking_and_a_deputys_points(browser, live_server, db, screenshot_dir):
    call_command("seed_demo", "--deputies", "60", "--streets", "4", verbosity=0)
    page = browser.new_page(viewport=DESKTOP)
    login(page, live_server.url, "district_admin")
    page.goto(live_server.url + "/points/")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#ranking-table tbody tr[data-deputy]")
    assert rows.count() > 10
    # Ranks never go down the table, and the top badge is on the first rows.
    ranks = [int(r.split()[0]) for r in rows.locator("td:first-child").all_inner_texts()]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert "前15%" in rows.first.inner_text()
    assert page.evaluate("Chart.getChart('dist-chart') !== undefined")
    page.screenshot(path=str(screenshot_dir / "ranking-desktop.png"), full_page=True)

    page.on("dialog", lambda dialog: dialog.accept())  # "publish as a new version?"
    page.click("#publish")
    page.wait_for_load_state("networkidle")
    assert "version=1" in page.url
    assert "1" in page.locator(".badge.text-bg-success").first.inner_text()
    page.screenshot(path=str(screenshot_dir / "ranking-published-desktop.png"), full_page=True)

    # The report of that version, downloaded as a user would.
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.endswith("-v1.xlsx")
    with open(download.value.path(), "rb") as saved:
        workbook = load_workbook(saved, read_only=True)
        published = RankingSnapshot.objects.get(status=RankingSnapshot.Status.PUBLISHED)
        everyone = workbook.worksheets[2]
        assert sum(1 for _row in everyone.iter_rows(min_row=3)) == published.population

    # A deputy's points from the ranking: the entries add up to the page's total.
    first = rows.first
    deputy = Deputy.objects.get(pk=int(first.get_attribute("data-deputy")))
    first.locator("td:nth-child(2) a").click()
    page.wait_for_load_state("networkidle")
    points = [
        Decimal(t)
        for t in page.locator("#entries tbody td:last-child").all_inner_texts()
        if t.strip()
    ]
    assert points and len(points) == page.locator("#entries tbody tr").count()
    row = _live_row(deputy)
    assert sum(points) >= row.total  # capped indicators count fewer points than entries
    assert str(row.total) in page.inner_text(".stat-primary")
    page.screenshot(path=str(screenshot_dir / "deputy-points-desktop.png"), full_page=True)
    page.close()


def test_deputy_sees_own_points_on_a_phone(browser, live_server, db, screenshot_dir):
    call_command("seed_demo", "--deputies", "60", "--streets", "4", verbosity=0)
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    login(page, live_server.url, "deputy01")
    # The home's points card, once the live ranking exists.
    deputy = Deputy.objects.get(user__username="deputy01")
    call_command(
        "recompute_rankings",
        year=timezone.localdate().year,
        quarter=Quarter.containing(timezone.localdate()).number,
        verbosity=0,
    )
    page.reload()
    card = page.locator("#my-points")
    row = _live_row(deputy)
    assert f"{row.rank}/" in card.inner_text().replace(" ", "")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "deputy-home-points-phone.png"))
    card.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#indicator-lines li").count() >= 1
    page.screenshot(path=str(screenshot_dir / "deputy-points-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()


def test_a_large_report_is_written_in_the_background(
    browser, live_server, db, screenshot_dir, settings, tmp_path, monkeypatch
):
    from congress.celery import app
    from scoring.models import ReportJob

    call_command("seed_demo", "--deputies", "60", "--streets", "4", verbosity=0)
    settings.SCORING_DIRECT_EXPORT_LIMIT = 0  # every ranking counts as large
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    page = browser.new_page(viewport=DESKTOP)
    login(page, live_server.url, "district_admin")
    page.goto(live_server.url + "/points/")
    page.click("#export-xlsx")  # a form: starts the job, then shows it
    page.wait_for_load_state("networkidle")
    job = ReportJob.objects.get()
    assert f"/points/export/jobs/{job.pk}/" in page.url
    page.wait_for_selector("#job-download:not(.d-none)")
    assert page.locator("#job-bar").inner_text() == "100%"
    with page.expect_download() as download:
        page.click("#job-download")
    assert download.value.suggested_filename.endswith(".xlsx")

    # The page follows a job the worker is still writing, without a reload.
    running = ReportJob.objects.create(
        snapshot=job.snapshot,
        requested_by=job.requested_by,
        status=ReportJob.Status.RUNNING,
        rows_total=200,
        rows_done=50,
        filename=job.filename,
    )
    page.goto(live_server.url + f"/points/export/jobs/{running.pk}/")
    assert page.locator("#job-bar").inner_text() == "25%"
    page.screenshot(path=str(screenshot_dir / "report-job-running-desktop.png"), full_page=True)
    ReportJob.objects.filter(pk=running.pk).update(rows_done=150)
    page.wait_for_function("document.getElementById('job-bar').textContent === '75%'")
    ReportJob.objects.filter(pk=running.pk).update(
        status=ReportJob.Status.DONE, rows_done=200, path=job.path
    )
    page.wait_for_selector("#job-download:not(.d-none)", timeout=10_000)
    assert page.locator("#job-status").inner_text() == "已完成"
    page.screenshot(path=str(screenshot_dir / "report-job-done-desktop.png"), full_page=True)
    page.close()
