"""The duty round trip in a real browser: a deputy logs a duty with a photo on a phone,
street staff approve it on a desktop, the deputy sees it approved."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from PIL import Image

from deputies.models import DutyPhoto, DutyRecord
from tests.browser.conftest import DESKTOP, PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "浏览器测试：参加钮家巷社区周周行，接待居民8人次，收集停车难意见2条。"


def test_deputy_logs_duty_and_street_staff_approve_it(
    browser, live_server, db, screenshot_dir, tmp_path
):
    call_command("seed_demo", "--deputies", "40", "--streets", "2", verbosity=0)
    photo_path = tmp_path / "camera.jpg"
    Image.new("RGB", (3000, 2000), (40, 120, 200)).save(photo_path, quality=95)

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    login(page, live_server.url, "deputy01")
    page.click("#log-duty")
    page.wait_for_load_state("networkidle")
    page.check("label.duty-type-tile:has-text('社区周周行') input", force=True)
    page.fill("textarea[name=description]", TEXT)
    page.fill("input[name=place]", "钮家巷社区")
    page.set_input_files("#id_photos", str(photo_path))
    page.wait_for_selector("#photo-strip .photo-thumb img")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "duty-form-phone.png"), full_page=True)
    page.click("#duty-submit")
    page.wait_for_load_state("networkidle")
    assert "待审核" in page.inner_text("article")
    page.screenshot(path=str(screenshot_dir / "duty-submitted-phone.png"), full_page=True)

    record = DutyRecord.objects.get(description=TEXT)
    assert record.status == DutyRecord.Status.SUBMITTED
    stored = DutyPhoto.objects.get(record=record)
    # Shrunk in the browser before upload (the server would also have done it).
    assert max(stored.width, stored.height) <= 1600

    desk = browser.new_context(viewport=DESKTOP)
    staff = desk.new_page()
    login(staff, live_server.url, "street01")
    staff.goto(live_server.url + "/deputies/duties/review/?q=" + record.deputy.name)
    row = staff.locator(".review-row", has_text="浏览器测试")
    row.locator("input.record-check").check()
    staff.screenshot(path=str(screenshot_dir / "duty-review-desktop.png"), full_page=True)
    staff.click("#approve-selected")
    staff.wait_for_load_state("networkidle")
    assert "已通过 1 条记录" in staff.content()

    page.goto(live_server.url + "/deputies/m/duties/")
    item = page.locator(".list-group-item", has_text="社区周周行").first
    assert "已通过" in page.locator(f"a[href$='/m/duties/{record.pk}/']").inner_text()
    assert item.is_visible()
    page.screenshot(path=str(screenshot_dir / "my-duties-phone.png"), full_page=True)
    record.refresh_from_db()
    assert record.status == DutyRecord.Status.APPROVED
    phone.close()
    desk.close()
