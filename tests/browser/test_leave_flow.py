"""A deputy asks for leave on the phone, staff approve it, the activity closes: excused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from liaison_stations.models import Activity, Attendance
from liaison_stations.services import activity_create, station_save
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str, password: str = "pass12345") -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-submit")
    page.wait_for_load_state("networkidle")


def test_leave_on_the_phone_approved_then_excused(browser, live_server, world, screenshot_dir):
    station = station_save(
        street_committee=world.street_a,
        kind="station",
        name="钮家巷社区代表联络站",
        address="钮家巷12号",
    )
    starts = timezone.now() + dt.timedelta(days=2)
    activity = activity_create(
        district=world.district,
        street_committee=world.street_a,
        station=station,
        kind=Activity.Kind.WEEKLY_VISIT,
        theme="背街小巷整治",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        deputies=[world.deputy_a],
    )

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    _login(page, live_server.url, world.deputy_a.user.username)
    page.goto(live_server.url + "/stations/m/activities/")
    card = page.locator(".upcoming-activity", has_text="背街小巷整治")
    card.locator("a.ask-leave").click()
    page.wait_for_load_state("networkidle")
    page.fill("textarea[name=reason]", "单位临时有会，无法参加")
    page.screenshot(path=str(screenshot_dir / "leave-request-phone.png"), full_page=True)
    page.click("#leave-submit")
    page.wait_for_load_state("networkidle")
    assert "等待审批" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "my-activities-phone.png"), full_page=True)

    desk = browser.new_context(viewport=DESKTOP)
    staff = desk.new_page()
    _login(staff, live_server.url, world.street_a_user.username)
    staff.goto(live_server.url + "/stations/leave/")
    assert "单位临时有会" in staff.content()
    staff.screenshot(path=str(screenshot_dir / "leave-queue-desktop.png"), full_page=True)
    staff.click("button[name=decision][value=approve]")
    staff.wait_for_load_state("networkidle")
    assert "已批准" in staff.content()

    # The visit takes place; afterwards staff record attendance and close it.
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    staff.goto(live_server.url + f"/stations/activities/{activity.pk}/close/")
    staff.fill("input[name=residents_received]", "15")
    staff.fill("input[name=opinions_collected]", "2")
    staff.screenshot(path=str(screenshot_dir / "activity-close-desktop.png"), full_page=True)
    staff.click("button[type=submit].btn-primary")
    staff.wait_for_load_state("networkidle")
    row = staff.locator("#attendance-table tbody tr", has_text=world.deputy_a.name)
    assert "请假（已批准）" in row.inner_text()
    staff.screenshot(path=str(screenshot_dir / "activity-detail-desktop.png"), full_page=True)
    assert Attendance.objects.get(activity=activity).status == Attendance.Status.EXCUSED
    phone.close()
    desk.close()
