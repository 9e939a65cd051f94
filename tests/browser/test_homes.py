"""Log in as each demo role in a real browser and look at the home each one lands on."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--deputies", "60", "--streets", "4", verbosity=0)


def _login(page, base: str, username: str) -> None:
    page.goto(base + "/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo12345")
    page.click("#login-submit")
    page.wait_for_load_state("networkidle")


def test_login_page_is_chinese_on_phone_and_desktop(browser, live_server, demo, screenshot_dir):
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = browser.new_page(viewport=viewport, locale="zh-CN")
        page.goto(live_server.url + "/")
        assert "/accounts/login/" in page.url
        assert page.locator("h1").inner_text() == "人大代表履职服务平台"
        assert page.locator("#login-submit").inner_text() == "登录"
        page.screenshot(path=str(screenshot_dir / f"login-{name}.png"), full_page=True)
        page.close()


def test_district_staff_lands_on_dashboard_with_chart(browser, live_server, demo, screenshot_dir):
    page = browser.new_page(viewport=DESKTOP)
    _login(page, live_server.url, "district_admin")
    assert page.url == live_server.url + "/dashboard/"
    assert "工作台" in page.locator("h1").inner_text()
    # Chart.js loaded from static/ and drew the street chart.
    assert page.evaluate("typeof Chart") == "function"
    assert page.evaluate("Chart.getChart('street-chart') !== undefined")
    rows = page.locator("#street-table tbody tr")
    assert rows.count() == 4
    page.screenshot(path=str(screenshot_dir / "dashboard-district-desktop.png"), full_page=True)

    page.goto(live_server.url + "/deputies/?level=district")
    assert page.locator("table tbody tr").count() > 5
    page.screenshot(path=str(screenshot_dir / "deputy-list-desktop.png"), full_page=True)
    page.close()


def test_street_staff_sees_only_their_street(browser, live_server, demo, screenshot_dir):
    page = browser.new_page(viewport=DESKTOP)
    _login(page, live_server.url, "street01")
    assert page.url == live_server.url + "/dashboard/"
    rows = page.locator("#street-table tbody tr")
    assert rows.count() == 1
    assert "平江街道" in rows.first.inner_text()
    page.screenshot(path=str(screenshot_dir / "dashboard-street-desktop.png"), full_page=True)
    page.close()


def test_deputy_lands_on_mobile_home(browser, live_server, demo, screenshot_dir):
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    _login(page, live_server.url, "deputy01")
    assert page.url == live_server.url + "/deputies/m/"
    assert page.locator(".bottom-nav").is_visible()
    assert "平江街道" in page.locator(".hero-card").inner_text()
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "deputy-home-phone.png"), full_page=True)

    page.click("#view-profile")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "deputy-profile-phone.png"), full_page=True)

    # The language switch turns the page into English and keeps it that way.
    page.click("button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    assert "My profile" in page.content()
    page.screenshot(path=str(screenshot_dir / "deputy-profile-phone-en.png"), full_page=True)
    page.close()
