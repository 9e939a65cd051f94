"""Pages make a fixed number of queries whatever the number of deputies."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_deputy

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["district_user", "street_a_user"])
def test_deputy_list_queries_do_not_grow(client, world, who):
    client.force_login(getattr(world, who))
    url = reverse("deputies:list")
    for _ in range(3):
        make_deputy(street=world.street_a)
    small = _count(client, url)
    for _ in range(40):
        make_deputy(street=world.street_a)
    big = _count(client, url)
    assert big == small
    assert small <= 10


def test_deputy_detail_queries_do_not_grow(client, world):
    from deputies.services import deputy_move_street

    client.force_login(world.district_user)
    url = reverse("deputies:detail", args=[world.deputy_a.pk])
    small = _count(client, url)
    deputy_move_street(
        deputy=world.deputy_a,
        street_committee=world.street_b,
        on=world.deputy_a.elected_on.replace(year=2023),
    )
    for _ in range(5):
        world.deputy_a.occupation += "x"
        world.deputy_a.save()
    assert _count(client, url) == small


def test_street_pages_and_dashboard_queries_do_not_grow(client, world):
    client.force_login(world.district_user)
    urls = [
        reverse("dashboard"),
        reverse("street_list"),
        reverse("street_detail", args=[world.street_a.pk]),
    ]
    before = [_count(client, u) for u in urls]
    for _ in range(30):
        make_deputy(street=world.street_a)
        make_deputy(street=world.street_b)
    after = [_count(client, u) for u in urls]
    assert before == after
