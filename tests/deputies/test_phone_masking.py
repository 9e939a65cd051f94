from __future__ import annotations

import pytest
from django.urls import reverse

from deputies.models import mask_phone

FULL = "13812348000"
MASKED = "138****8000"


def test_mask_phone_keeps_first_three_and_last_four():
    assert mask_phone("13812348000") == "138****8000"
    assert mask_phone("0512-65001234") == "051******1234"
    assert mask_phone("12345") == "*****"
    assert mask_phone("") == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "expect_full"),
    [("district_user", True), ("street_a_user", False)],
)
def test_list_and_detail_mask_by_role(client, world, who, expect_full):
    client.force_login(getattr(world, who))
    for url in (reverse("deputies:list"), reverse("deputies:detail", args=[world.deputy_a.pk])):
        body = client.get(url).content.decode()
        assert (FULL in body) is expect_full, url
        assert (MASKED in body) is not expect_full, url


@pytest.mark.django_db
def test_deputy_sees_own_full_phone(client, world):
    client.force_login(world.deputy_a.user)
    body = client.get(reverse("deputies:detail", args=[world.deputy_a.pk])).content.decode()
    assert FULL in body
    body = client.get(reverse("mobile_home")).content.decode()
    assert FULL in body
