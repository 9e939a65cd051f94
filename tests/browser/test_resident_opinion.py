"""A resident scans a station's QR code, sends an opinion, staff answer, the resident rates.

The QR code on the station's poster is decoded and the browser goes to the URL it holds,
as a phone camera would."""

from __future__ import annotations

import io
import re

import pytest
import segno
import zxingcpp
from PIL import Image

from congress.models import HandlingUnit
from liaison_stations.models import Opinion
from liaison_stations.services import station_save
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "平江路口的路灯已经坏了两个星期，晚上老人出门很不安全，希望尽快修好。"


def _login(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass12345")
    page.click("#login-submit")
    page.wait_for_load_state("networkidle")


def test_resident_sends_opinion_staff_answer_resident_rates(
    browser, live_server, world, screenshot_dir
):
    station = station_save(
        street_committee=world.street_a,
        kind="station",
        name="钮家巷社区代表联络站",
        address="钮家巷12号",
    )
    HandlingUnit.objects.create(district=world.district, name="区城市管理局")

    desk = browser.new_context(viewport=DESKTOP)
    staff = desk.new_page()
    _login(staff, live_server.url, world.street_a_user.username)
    staff.goto(f"{live_server.url}/stations/{station.pk}/poster/")
    svg = staff.locator("svg").first
    png = svg.screenshot()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert decoded, "the poster's QR code did not decode"
    form_url = decoded[0].text
    assert form_url.endswith(f"/o/{station.public_code}/")
    staff.screenshot(path=str(screenshot_dir / "station-poster-desktop.png"), full_page=True)
    assert segno.make(form_url, error="m")  # the same URL makes a valid code

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    resident = phone.new_page()
    resident.goto(form_url)
    assert "钮家巷社区代表联络站" in resident.content()
    resident.fill("textarea[name=content]", TEXT)
    resident.check("input[name=category][value=urban]", force=True)
    resident.screenshot(path=str(screenshot_dir / "resident-form-phone.png"), full_page=True)
    resident.click("#opinion-submit")
    resident.wait_for_load_state("networkidle")
    code = resident.locator("#tracking-code").get_attribute("data-code")
    assert code and re.fullmatch(r"[0-9A-Z]{10}", code)
    assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    resident.screenshot(path=str(screenshot_dir / "resident-thanks-phone.png"), full_page=True)
    resident.click(f"a[href$='/o/track/{code}/']")
    resident.wait_for_load_state("networkidle")
    assert "已受理" in resident.inner_text("#opinion-status")

    opinion = Opinion.objects.get(tracking_code=code)
    staff.goto(f"{live_server.url}/stations/opinions/{opinion.pk}/")
    staff.select_option("#assign-form select[name=unit]", label="区城市管理局")
    staff.click("#assign-form button[type=submit]")
    staff.wait_for_load_state("networkidle")
    staff.fill("#reply-form textarea[name=reply]", "已通知区城市管理局，路灯已于本周三修复。")
    staff.click("#reply-form button[type=submit]")
    staff.wait_for_load_state("networkidle")
    staff.screenshot(path=str(screenshot_dir / "opinion-detail-desktop.png"), full_page=True)

    resident.reload()
    assert "路灯已于本周三修复" in resident.inner_text("#opinion-reply")
    resident.check("#rating-form input[name=rating][value='3']", force=True)
    resident.click("#rating-form button[type=submit]")
    resident.wait_for_load_state("networkidle")
    assert resident.locator("#rating-done").is_visible()
    resident.screenshot(path=str(screenshot_dir / "resident-status-phone.png"), full_page=True)
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.REPLIED
    assert opinion.rating == Opinion.Rating.SATISFIED
    phone.close()
    desk.close()
