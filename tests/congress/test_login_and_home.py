from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "pass12345"


def _login(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_root_shows_chinese_login_for_anonymous(client):
    resp = client.get("/", follow=True)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "登录" in body
    assert "人大代表履职服务平台" in body
    assert resp.redirect_chain[-1][0].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("district_user", "dashboard"),
        ("street_a_user", "dashboard"),
    ],
)
def test_staff_land_on_dashboard(client, world, who, lands_on):
    user = getattr(world, who)
    resp = _login(client, user.username, PASSWORD)
    assert resp.status_code == 302
    resp = client.get(resp["Location"], follow=True)
    assert resp.redirect_chain[-1][0] == reverse(lands_on)
    assert "工作台" in resp.content.decode()


def test_deputy_lands_on_mobile_home(client, world):
    resp = _login(client, world.deputy_a.user.username, PASSWORD)
    resp = client.get(resp["Location"], follow=True)
    assert resp.redirect_chain[-1][0] == reverse("mobile_home")
    body = resp.content.decode()
    assert "张三" in body
    assert "bottom-nav" in body


def test_user_without_role_is_told_so(client, db):
    from tests.factories import UserFactory

    user = UserFactory.create(username="nobody")
    client.force_login(user)
    resp = client.get("/")
    assert resp.status_code == 403
    assert "尚未分配角色" in resp.content.decode()


def test_wrong_password_message_in_chinese(client, world):
    resp = _login(client, world.district_user.username, "wrong")
    assert resp.status_code == 200
    assert "请输入一个正确的" in resp.content.decode()


def test_lockout_after_five_failures_keyed_on_username_and_ip(client, world):
    username = world.district_user.username
    for _ in range(5):
        _login(client, username, "wrong", ip="10.0.0.1")
    # Even the right password is refused now, from that address.
    resp = _login(client, username, PASSWORD, ip="10.0.0.1")
    assert resp.status_code == 429
    assert "30" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    # The same username from another address is not locked out.
    other = client.__class__()
    resp = _login(other, username, PASSWORD, ip="10.0.0.2")
    assert resp.status_code == 302
    # Another username from the locked address is not locked out either.
    third = client.__class__()
    resp = _login(third, world.street_a_user.username, PASSWORD, ip="10.0.0.1")
    assert resp.status_code == 302


def test_four_failures_then_success_resets_counter(client, world):
    username = world.district_user.username
    for _ in range(4):
        _login(client, username, "wrong")
    assert _login(client, username, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=username).exists()


def test_lockout_cools_off_after_30_minutes(client, world, settings):
    import datetime as dt

    from django.utils import timezone

    username = world.district_user.username
    for _ in range(5):
        _login(client, username, "wrong")
    assert _login(client, username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    assert _login(client, username, PASSWORD).status_code == 302


def test_language_switch_to_english_and_back(client, world):
    client.force_login(world.district_user)
    assert "工作台" in client.get(reverse("dashboard")).content.decode()
    resp = client.post(reverse("set_language"), {"language": "en", "next": reverse("dashboard")})
    assert resp.status_code == 302
    body = client.get(reverse("dashboard")).content.decode()
    assert "Dashboard" in body
    assert "工作台" not in body
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "工作台" in client.get(reverse("dashboard")).content.decode()


def test_logout_requires_post_and_ends_session(client, world):
    client.force_login(world.district_user)
    resp = client.post(reverse("logout"))
    assert resp.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_healthz(client, db):
    resp = client.get("/healthz/")
    assert resp.status_code == 200
    assert resp.content == b"ok"


def test_browser_language_header_does_not_override_chinese_default(client, world):
    client.force_login(world.district_user)
    body = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert "工作台" in body.decode()


def test_demo_district_admin_can_manage_deputies_in_admin(client, db):
    from django.core.management import call_command

    call_command("seed_demo", "--deputies", "20", "--streets", "2", verbosity=0)
    assert _login(client, "district_admin", "demo12345").status_code == 302
    assert client.get("/admin/deputies/deputy/").status_code == 200
    assert client.get("/admin/congress/streetcommittee/").status_code == 200
    # Street staff have no admin access.
    client.logout()
    assert _login(client, "street01", "demo12345").status_code == 302
    assert client.get("/admin/deputies/deputy/").status_code == 302
