"""Role scoping: every page answers 404 outside the user's scope, never a leak."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from deputies.models import Deputy

pytestmark = pytest.mark.django_db


def _get(client: Client, user, url: str):
    client.force_login(user)
    return client.get(url)


def test_street_staff_sees_own_street_deputy(client, world):
    resp = _get(client, world.street_a_user, reverse("deputies:detail", args=[world.deputy_a.pk]))
    assert resp.status_code == 200
    assert "张三" in resp.content.decode()


def test_street_staff_gets_404_on_another_streets_deputy(client, world):
    url = reverse("deputies:detail", args=[world.deputy_b.pk])
    assert _get(client, world.street_a_user, url).status_code == 404


def test_street_staff_gets_404_on_another_districts_deputy(client, world):
    url = reverse("deputies:detail", args=[world.deputy_other.pk])
    assert _get(client, world.street_a_user, url).status_code == 404


def test_deputy_sees_self_but_404_on_another_deputy(client, world):
    own = _get(client, world.deputy_a.user, reverse("deputies:detail", args=[world.deputy_a.pk]))
    assert own.status_code == 200
    other = _get(client, world.deputy_a.user, reverse("deputies:detail", args=[world.deputy_b.pk]))
    assert other.status_code == 404


def test_district_staff_sees_whole_district_only(client, world):
    for deputy in (world.deputy_a, world.deputy_b):
        url = reverse("deputies:detail", args=[deputy.pk])
        assert _get(client, world.district_user, url).status_code == 200
    url = reverse("deputies:detail", args=[world.deputy_other.pk])
    assert _get(client, world.district_user, url).status_code == 404


def test_deputy_list_shows_only_scope(client, world):
    body = _get(client, world.street_a_user, reverse("deputies:list")).content.decode()
    assert "张三" in body
    assert "李四" not in body
    assert "王五" not in body
    body = _get(client, world.district_user, reverse("deputies:list")).content.decode()
    assert "张三" in body and "李四" in body
    assert "王五" not in body


def test_deputy_cannot_open_staff_list(client, world):
    assert _get(client, world.deputy_a.user, reverse("deputies:list")).status_code == 403


def test_street_detail_outside_scope_is_404(client, world):
    own = _get(client, world.street_a_user, reverse("street_detail", args=[world.street_a.pk]))
    assert own.status_code == 200
    other = reverse("street_detail", args=[world.street_b.pk])
    assert _get(client, world.street_a_user, other).status_code == 404
    foreign = reverse("street_detail", args=[world.other_street.pk])
    assert _get(client, world.district_user, foreign).status_code == 404


def test_street_staff_loses_deputy_who_moved_away(client, world):
    from django.utils import timezone

    from deputies.services import deputy_move_street

    deputy_move_street(
        deputy=world.deputy_a, street_committee=world.street_b, on=timezone.localdate()
    )
    url = reverse("deputies:detail", args=[world.deputy_a.pk])
    assert _get(client, world.street_a_user, url).status_code == 404
    client.logout()
    assert _get(client, world.street_b_user, url).status_code == 200


def test_visible_to_anonymous_is_empty(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Deputy.objects.visible_to(AnonymousUser()).exists()


def test_anonymous_is_sent_to_login(client, world):
    resp = client.get(reverse("deputies:detail", args=[world.deputy_a.pk]))
    assert resp.status_code == 302
    assert reverse("login") in resp["Location"]
