"""The demo seeder: deterministic for a seed, idempotent, realistic enough to click through."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.utils import timezone

from congress import demo
from congress.models import (
    Community,
    CongressSession,
    District,
    RoleAssignment,
    StreetCommittee,
    StreetCommitteePost,
    Term,
    User,
)
from deputies.models import Deputy, StreetMembership

SMALL = {"deputies": 60, "streets": 4}
COUNTED = (
    District,
    Term,
    CongressSession,
    StreetCommittee,
    Community,
    StreetCommitteePost,
    Deputy,
    StreetMembership,
    User,
    RoleAssignment,
)


def run_seed(**options: object) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    memberships: dict[int, list[str]] = {}
    for deputy_id, code in StreetMembership.objects.order_by("start_date", "id").values_list(
        "deputy_id", "street_committee__code"
    ):
        memberships.setdefault(deputy_id, []).append(code)
    return {
        "deputies": sorted(
            (d.name, d.level, d.phone, d.status, d.elected_on, d.left_on, *memberships[d.pk])
            for d in Deputy.objects.all()
        ),
        "streets": sorted(StreetCommittee.objects.values_list("code", "name", "address", "phone")),
        "communities": sorted(
            Community.objects.values_list("street_committee__code", "code", "name")
        ),
        "posts": sorted(
            StreetCommitteePost.objects.values_list(
                "street_committee__code", "post", "person_name", "is_part_time"
            )
        ),
        "users": sorted(User.objects.values_list("username", "full_name", "is_staff")),
        "deputy_logins": sorted(
            Deputy.objects.filter(user__isnull=False).values_list("user__username", "name")
        ),
    }


def wipe() -> None:
    """Delete everything the seeder writes, children first (history tables may stay)."""
    Deputy.objects.all().delete()  # and their memberships
    User.objects.all().delete()  # and their role assignments
    CongressSession.objects.all().delete()
    StreetCommitteePost.objects.all().delete()
    Community.objects.all().delete()
    StreetCommittee.objects.all().delete()
    Term.objects.all().delete()
    District.objects.all().delete()
    assert all(n == 0 for n in counts().values())


def test_plan_is_a_pure_function_of_the_arguments():
    assert demo.build_plan(seed=7, **SMALL) == demo.build_plan(seed=7, **SMALL)
    assert demo.build_plan(seed=7, **SMALL) != demo.build_plan(seed=8, **SMALL)
    # More streets keep the first ones as they were.
    four = demo.build_plan(seed=7, deputies=10, streets=4).streets
    assert demo.build_plan(seed=7, deputies=10, streets=12).streets[:4] == four


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    run_seed(seed=7, **SMALL)
    first = snapshot()
    wipe()

    run_seed(seed=7, **SMALL)
    assert snapshot() == first
    wipe()

    run_seed(seed=8, **SMALL)
    other = snapshot()
    assert other["deputies"] != first["deputies"]
    assert other["communities"] != first["communities"]


@pytest.mark.django_db
def test_running_twice_creates_nothing_new():
    run_seed(seed=7, **SMALL)
    before = counts()
    before_snapshot = snapshot()

    output = run_seed(seed=7, **SMALL)

    assert counts() == before
    assert snapshot() == before_snapshot
    assert "Existing data was kept" in output
    assert "deputy01" in output  # the logins are printed again


@pytest.mark.django_db
def test_if_empty_and_logins_only_create_nothing():
    output = run_seed(logins_only=True)
    assert "No demo logins found" in output
    assert not District.objects.exists()

    run_seed(seed=7, **SMALL)
    before = counts()

    output = run_seed(if_empty=True, seed=99, deputies=80, streets=5)
    assert "database already has data, not seeding" in output
    assert "street01" in output
    assert counts() == before

    output = run_seed(logins_only=True)
    assert re.search(r"deputy01\s+demo12345", output)
    assert counts() == before


@pytest.mark.django_db
def test_if_empty_seeds_an_empty_database():
    output = run_seed(if_empty=True, seed=7, **SMALL)
    assert "not seeding" not in output
    assert Deputy.objects.count() == SMALL["deputies"]


def test_out_of_range_streets_are_refused():
    with pytest.raises(CommandError):
        run_seed(streets=demo.MAX_STREETS + 1)


@pytest.mark.django_db
def test_demo_logins_authenticate_with_their_roles():
    run_seed(seed=7, **SMALL)
    request = RequestFactory().post("/accounts/login/")
    district = District.objects.get(code="320508")
    s01 = StreetCommittee.objects.get(district=district, code="S01")

    logins = {login.username: login for login in demo.demo_logins()}
    expected = {"district_admin"} | {f"street{i:02d}" for i in range(1, 5)}
    expected |= {f"deputy{i:02d}" for i in range(1, 11)}
    assert set(logins) == expected
    for username in expected:
        user = authenticate(request, username=username, password=demo.DEMO_PASSWORD)
        assert user is not None, username
        assert user.full_name
        assert user.email == ""

    admin = User.objects.get(username="district_admin")
    assert admin.is_staff and not admin.is_superuser
    assert list(admin.roles.values_list("role", "district", "street_committee")) == [
        (RoleAssignment.Role.DISTRICT_STAFF, district.pk, None)
    ]

    street01 = User.objects.get(username="street01")
    assert list(street01.roles.values_list("role", "street_committee", "title")) == [
        (RoleAssignment.Role.STREET_STAFF, s01.pk, "secretary")
    ]
    secretary = s01.posts.get(post=StreetCommitteePost.Post.SECRETARY)
    assert secretary.user == street01
    assert street01.full_name == secretary.person_name

    deputy01 = User.objects.get(username="deputy01")
    assert list(deputy01.roles.values_list("role", "district")) == [
        (RoleAssignment.Role.DEPUTY, district.pk)
    ]
    deputy = deputy01.deputy
    assert deputy.level == Deputy.Level.DISTRICT
    assert deputy.status == Deputy.Status.ACTIVE
    assert deputy.is_active_on(timezone.localdate())
    assert Deputy.objects.in_street(s01.pk).filter(pk=deputy.pk).exists()
    assert s01.name == "平江街道"

    # The ten deputy logins are the first ten district deputies, in creation order.
    first_ten = Deputy.objects.filter(level=Deputy.Level.DISTRICT).order_by("id")[:10]
    assert [d.user.username for d in first_ten] == [f"deputy{i:02d}" for i in range(1, 11)]


@pytest.mark.django_db
def test_defaults_fill_a_realistic_district():
    output = run_seed()
    assert "Created" in output

    district = District.objects.get()
    assert (district.code, district.name, district.committee_name) == (
        "320508",
        "姑苏区",
        "苏州市姑苏区人大常委会",
    )
    term = Term.objects.get()
    assert (term.number, term.name, str(term.start_date), term.end_date) == (
        18,
        "第十八届",
        "2021-12-01",
        None,
    )
    sessions = list(CongressSession.objects.order_by("number"))
    assert [s.number for s in sessions] == [1, 2, 3, 4, 5]
    assert [(s.start_date.year, s.start_date.month) for s in sessions] == [
        (2021, 12),
        (2023, 1),
        (2024, 1),
        (2025, 1),
        (2026, 1),
    ]
    assert sessions[0].name == "第十八届人民代表大会第一次会议"

    streets = list(StreetCommittee.objects.order_by("code"))
    assert [s.code for s in streets] == [f"S{i:02d}" for i in range(1, 9)]
    assert [s.name for s in streets] == list(demo.REAL_STREETS)
    for street in streets:
        assert street.phone.startswith("0512-6") and len(street.phone) == 13
        communities = list(street.communities.order_by("code"))
        assert 4 <= len(communities) <= 11
        assert all(c.name.endswith("社区") for c in communities)
        assert communities[0].code == f"{street.code}-C01"
        posts = Counter(street.posts.values_list("post", flat=True))
        assert posts["director"] == 1
        assert posts["vice_director_office"] == 1
        assert posts["vice_director_deputy"] == 1
        assert posts["secretary"] == 1
        assert 5 <= posts["member"] <= 7
        assert not street.posts.get(post="director").is_part_time
        assert street.posts.get(post="vice_director_office").is_part_time

    deputies = list(Deputy.objects.all())
    assert len(deputies) == demo.DEFAULT_DEPUTIES
    levels = Counter(d.level for d in deputies)
    assert set(levels) == set(Deputy.Level.values)
    assert levels["district"] > levels["street"] > levels["city"] > levels["province"]
    assert len({d.name for d in deputies}) == len(deputies)
    assert len({d.phone for d in deputies}) == len(deputies)
    assert all(re.fullmatch(r"1[358]\d{9}", d.phone) for d in deputies)
    assert all(1960 <= d.birth_year <= 1995 for d in deputies)
    assert all(d.name_pinyin and d.sector and d.occupation for d in deputies)
    genders = Counter(d.gender for d in deputies)
    assert 0.45 < genders["male"] / len(deputies) < 0.65

    left = [d for d in deputies if d.status == Deputy.Status.LEFT]
    assert 3 <= len(left) <= 15
    assert all(d.left_on and d.left_reason for d in left)
    assert not StreetMembership.objects.filter(deputy__in=left, end_date__isnull=True).exists()
    moved = Counter(StreetMembership.objects.values_list("deputy_id", flat=True))
    assert 3 <= sum(1 for n in moved.values() if n == 2) <= 15
    assert max(moved.values()) <= 2
    # Uneven streets: the biggest delegation is clearly bigger than the smallest.
    initial = Counter(
        StreetMembership.objects.filter(start_date=term.start_date).values_list(
            "street_committee_id", flat=True
        )
    )
    assert max(initial.values()) > min(initial.values())
