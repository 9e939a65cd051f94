"""The demo seeder: deterministic for a seed, idempotent, realistic enough to click through."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.utils import timezone

from congress import demo
from congress.models import (
    Community,
    CongressSession,
    District,
    HandlingUnit,
    RoleAssignment,
    StreetCommittee,
    StreetCommitteePost,
    Term,
    User,
)
from deputies.models import Deputy, DutyPhoto, DutyRecord, StreetMembership
from deputies.services import duty_description_check
from liaison_stations.models import Activity, Attendance, LiaisonStation, Opinion, ReceptionShift
from liaison_stations.models.opinion import TRACKING_ALPHABET
from liaison_stations.services import leave_decide, leave_request, opinion_reply

SMALL = {"deputies": 60, "streets": 4}
DUTY = {"deputies": 40, "streets": 3}
LIAISON = {"deputies": 40, "streets": 2}
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
    DutyRecord,
    DutyPhoto,
    HandlingUnit,
    LiaisonStation,
    Activity,
    Attendance,
    ReceptionShift,
    Opinion,
)


def run_seed(**options: object) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def duty_rows() -> list[tuple[str, str, int, str]]:
    """(deputy phone, type code, days before today, status) of every duty record."""
    today = timezone.localdate()
    return sorted(
        (phone, code, (today - date).days, status)
        for phone, code, date, status in DutyRecord.objects.values_list(
            "deputy__phone", "duty_type__code", "date", "status"
        )
    )


def activity_rows() -> list[tuple[object, ...]]:
    """(kind, station name, days from today, start time, invitee phones) of every activity."""
    today = timezone.localdate()
    phones: dict[int, list[str]] = defaultdict(list)
    for activity_id, phone in Attendance.objects.values_list("activity_id", "deputy__phone"):
        phones[activity_id].append(phone)
    return sorted(
        (
            a.kind,
            a.station.name if a.station else "",
            (timezone.localdate(a.starts_at) - today).days,
            timezone.localtime(a.starts_at).time(),
            *sorted(phones[a.pk]),
        )
        for a in Activity.objects.select_related("station")
    )


def snapshot() -> dict[str, Sequence[tuple[object, ...]]]:
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
        "duty_records": duty_rows(),
        "duty_texts": sorted(
            DutyRecord.objects.values_list("client_token", "place", "description", "return_reason")
        ),
        "duty_photos": sorted(DutyPhoto.objects.values_list("record__client_token", "position")),
        "units": sorted(
            HandlingUnit.objects.values_list("name", "contact_person", "contact_phone")
        ),
        "stations": sorted(
            (*row[:-1], tuple(row[-1]))
            for row in LiaisonStation.objects.values_list(
                "street_committee__code",
                "name",
                "kind",
                "public_code",
                "opening_hours",
                "standards",
            )
        ),
        "activities": activity_rows(),
        "attendance": sorted(
            Attendance.objects.values_list(
                "activity__kind", "activity__starts_at", "deputy__phone", "status", "leave"
            )
        ),
        "shifts": sorted(
            ReceptionShift.objects.values_list("station__name", "date", "period", "deputy__phone")
        ),
        "opinions": sorted(
            Opinion.objects.values_list(
                "tracking_code", "status", "source", "content", "received_on", "reply"
            )
        ),
    }


def wipe() -> None:
    """Delete everything the seeder writes, children first (history tables may stay)."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False):  # no "-" entry row by row
        _wipe()
    assert all(n == 0 for n in counts().values())


def _wipe() -> None:
    Opinion.objects.all().delete()
    ReceptionShift.objects.all().delete()
    Activity.objects.all().delete()  # and their attendance
    LiaisonStation.objects.all().delete()
    DutyPhoto.objects.all().delete()
    DutyRecord.objects.all().delete()
    Deputy.objects.all().delete()  # and their memberships
    User.objects.all().delete()  # and their role assignments
    HandlingUnit.objects.all().delete()
    CongressSession.objects.all().delete()
    StreetCommitteePost.objects.all().delete()
    Community.objects.all().delete()
    StreetCommittee.objects.all().delete()
    Term.objects.all().delete()
    District.objects.all().delete()


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
    assert other["duty_records"] != first["duty_records"]
    assert other["activities"] != first["activities"]
    assert other["opinions"] != first["opinions"]


@pytest.mark.django_db
def test_running_twice_creates_nothing_new():
    run_seed(seed=7, **SMALL)
    before = counts()
    before_snapshot = snapshot()

    output = run_seed(seed=7, **SMALL)

    assert before["DutyRecord"] > 0 and before["DutyPhoto"] > 0
    assert all(before[m] > 0 for m in ("LiaisonStation", "Activity", "Attendance", "Opinion"))
    assert before["ReceptionShift"] > 0 and before["HandlingUnit"] == 12
    assert counts() == before
    assert snapshot() == before_snapshot
    assert "Existing data was kept" in output
    assert re.search(rf"DutyRecord\s+0\s+{before['DutyRecord']}\b", output)
    assert re.search(rf"Opinion\s+0\s+{before['Opinion']}\b", output)
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
    with pytest.raises(CommandError):
        run_seed(records_per_deputy=-1)


@pytest.mark.django_db
def test_demo_logins_authenticate_with_their_roles():
    run_seed(seed=7, **SMALL)
    request = RequestFactory().post("/accounts/login/")
    district = District.objects.get(code="320508")
    s01 = StreetCommittee.objects.get(district=district, code="S01")

    logins = {login.username: login for login in demo.demo_logins()}
    expected = {"district_admin"} | {f"street{i:02d}" for i in range(1, 5)}
    expected |= {f"deputy{i:02d}" for i in range(1, 11)}
    expected |= {"unit01", "unit02", "unit03"}
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

    unit01 = User.objects.get(username="unit01")
    unit = HandlingUnit.objects.get(district=district, name="区住房和城乡建设局")
    assert list(unit01.roles.values_list("role", "district", "handling_unit")) == [
        (RoleAssignment.Role.HANDLING_UNIT, district.pk, unit.pk)
    ]
    assert unit01.full_name == unit.contact_person
    assert logins["unit01"].role == "handling unit"
    assert logins["unit01"].scope == "区住房和城乡建设局"

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

    # About ten duty records a deputy over the last year (a few fall outside a term).
    assert 0.9 * 10 * demo.DEFAULT_DEPUTIES <= DutyRecord.objects.count() <= 10.5 * 300
    assert re.search(r"DutyRecord\s+\d{4}\s+0", output)


# --- Duty records ---------------------------------------------------------------------------


def street_on(deputy_id: int, day: dt.date) -> int:
    membership = (
        StreetMembership.objects.filter(deputy_id=deputy_id, start_date__lte=day)
        .order_by("-start_date")
        .first()
    )
    assert membership is not None
    return membership.street_committee_id


@pytest.mark.django_db
def test_duty_records_cover_a_year_in_every_state():
    run_seed(seed=7, **DUTY)
    today = timezone.localdate()
    now = timezone.now()
    term = Term.objects.get()
    records = list(DutyRecord.objects.select_related("deputy", "duty_type", "reviewed_by"))
    assert 300 <= len(records) <= 420

    statuses = Counter(r.status for r in records)
    assert set(statuses) == set(DutyRecord.Status.values)
    older = Counter(r.status for r in records if (today - r.date).days > 21)
    recent = Counter(r.status for r in records if (today - r.date).days <= 21)
    assert older["approved"] / older.total() > 0.8
    assert 0.02 < older["returned"] / older.total() < 0.12
    assert recent["submitted"] / recent.total() > 0.3

    street_users = {
        ra.street_committee_id: ra.user_id
        for ra in RoleAssignment.objects.filter(role=RoleAssignment.Role.STREET_STAFF)
    }
    for r in records:
        deputy = r.deputy
        assert today - dt.timedelta(days=364) <= r.date <= today
        assert r.date >= max(deputy.elected_on, term.start_date), r
        assert deputy.left_on is None or r.date <= deputy.left_on, r
        assert duty_description_check(r.description) == r.description
        assert "{" not in r.description and "}" not in r.description
        assert r.submitted_at <= now
        if r.status in (DutyRecord.Status.APPROVED, DutyRecord.Status.RETURNED):
            # Reviewed by the staff of the deputy's street on that day, a few days later.
            assert r.reviewed_by is not None and r.reviewed_at is not None
            assert re.fullmatch(r"street\d\d", r.reviewed_by.username)
            assert street_users[street_on(deputy.pk, r.date)] == r.reviewed_by_id
            assert r.submitted_at < r.reviewed_at < now
            assert 1 <= (timezone.localdate(r.reviewed_at) - r.date).days <= 60
        else:
            assert r.reviewed_by is None and r.reviewed_at is None
        assert (r.status == DutyRecord.Status.RETURNED) == bool(r.return_reason)

    # Calendar-shaped: weekly visits on Thursdays or close, contact days around the 15th,
    # the session on the days of the January session.
    visits = Counter(r.date.weekday() for r in records if r.duty_type.code == "weekly_visit")
    assert visits.most_common(1)[0][0] == 3 and set(visits) <= {1, 2, 3, 4}
    contact_days = {r.date.day for r in records if r.duty_type.code == "contact_day"}
    assert contact_days and contact_days <= {13, 14, 15, 16}
    session = CongressSession.objects.filter(
        start_date__gte=today - dt.timedelta(days=364), start_date__lte=today
    ).get()
    session_days = {r.date for r in records if r.duty_type.code == "session"}
    assert session_days and all(session.start_date <= d <= session.end_date for d in session_days)
    assert all(r.deputy.level == "district" for r in records if r.duty_type.code == "session")
    types = Counter(r.duty_type.code for r in records)
    assert types["weekly_visit"] > types["inspection"] > types["research_report"]

    # The review trail is in the history: submitted by the deputy, then reviewed.
    approved = next(r for r in records if r.status == DutyRecord.Status.APPROVED)
    trail = list(approved.history.order_by("history_date"))
    assert [h.status for h in trail] == ["submitted", "approved"]
    assert trail[-1].history_user_id == approved.reviewed_by_id
    assert trail[-1].history_date == approved.reviewed_at

    photos = list(DutyPhoto.objects.select_related("record"))
    with_photos = {p.record_id for p in photos}
    assert 0.02 * len(records) <= len(with_photos) <= 0.15 * len(records)
    for photo in photos:
        assert photo.record is not None and photo.record.deputy_id == photo.deputy_id
        assert (photo.width, photo.height) == demo.PHOTO_SIZE
        assert photo.position in (0, 1) and photo.thumbnail.name


@pytest.mark.django_db
def test_deputy01_has_records_in_every_state():
    run_seed(seed=7, **DUTY)
    mine = list(DutyRecord.objects.filter(deputy__user__username="deputy01"))
    statuses = Counter(r.status for r in mine)
    assert statuses["approved"] >= 5
    assert statuses["returned"] >= 1
    assert statuses["submitted"] >= 2
    assert statuses["withdrawn"] >= 1
    assert all(r.return_reason for r in mine if r.status == DutyRecord.Status.RETURNED)
    assert len({(r.date.year, r.date.month) for r in mine}) >= 4
    assert DutyPhoto.objects.filter(record__in=mine).exists()


@pytest.mark.django_db
def test_activity_differs_by_street_level_and_deputy():
    run_seed(seed=7, **DUTY)
    per_deputy = Counter(DutyRecord.objects.values_list("deputy_id", flat=True))
    by_street: dict[int, list[int]] = defaultdict(list)
    by_level: dict[str, list[int]] = defaultdict(list)
    for deputy in Deputy.objects.with_street():
        n = per_deputy.get(deputy.pk, 0)
        by_street[deputy.street_id].append(n)
        by_level[deputy.level].append(n)
    averages = [sum(ns) / len(ns) for ns in by_street.values()]
    assert max(averages) >= 1.3 * min(averages)
    district = sum(by_level.pop("district")) / 1
    district_avg = district / Deputy.objects.filter(level="district").count()
    assert all(district_avg > sum(ns) / len(ns) for ns in by_level.values())
    counts = sorted(per_deputy.get(d, 0) for d in Deputy.objects.values_list("id", flat=True))
    assert counts[0] == 0  # someone logged nothing
    assert counts[-1] >= 3 * counts[len(counts) // 2]  # and someone a lot


@pytest.mark.django_db
def test_records_per_deputy_scales_the_volume():
    run_seed(seed=7, records_per_deputy=0, **DUTY)
    assert not DutyRecord.objects.exists()
    wipe()
    run_seed(seed=7, records_per_deputy=4, **DUTY)
    assert 0.85 * 4 * 40 <= DutyRecord.objects.count() <= 4 * 40 + demo.DEPUTY01_MIN_RECORDS


@pytest.mark.django_db
def test_the_window_follows_today_but_the_draws_do_not():
    """A week later the same tokens carry the same types and texts; weekly visits simply
    move with the calendar."""
    today = timezone.localdate()
    demo.seed(seed=7, today=today - dt.timedelta(days=7), **DUTY)
    before = {
        r.client_token: r for r in DutyRecord.objects.select_related("duty_type").order_by("pk")
    }
    assert max(r.date for r in before.values()) <= today - dt.timedelta(days=7)
    assert demo.seed(seed=7, today=today, **DUTY).created["DutyRecord"] == 0
    wipe()

    demo.seed(seed=7, today=today, **DUTY)
    after = {r.client_token: r for r in DutyRecord.objects.select_related("duty_type")}
    common = before.keys() & after.keys()
    assert len(common) >= 0.9 * len(before)
    for token in common:
        old, new = before[token], after[token]
        assert (old.duty_type.code, old.description, old.place) == (
            new.duty_type.code,
            new.description,
            new.place,
        )
        if old.duty_type.code == "weekly_visit":
            assert (new.date - old.date).days == 7


# --- Handling units, liaison stations, activities, shifts, opinions ---------------------------


def in_office_and_street(deputy: Deputy, day: dt.date, street_id: int | None) -> None:
    assert deputy.is_active_on(day), (deputy, day)
    if street_id is not None:
        assert street_on(deputy.pk, day) == street_id


@pytest.fixture(scope="class")
def liaison_demo(django_db_setup, django_db_blocker):
    """One small demo shared by the checks of TestLiaisonDemo, like ``setUpTestData``: seeded
    in a transaction rolled back after the class; each test runs in a savepoint within it.
    Nothing commits, so nothing listening for commits (scoring) runs."""
    with django_db_blocker.unblock(), transaction.atomic():
        run_seed(seed=7, **LIAISON)
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("liaison_demo")
class TestLiaisonDemo:
    def test_every_community_has_a_station_and_every_street_a_home(self):
        keys = [key for key, _label in LiaisonStation.STANDARDS]
        assert HandlingUnit.objects.count() == 12
        assert all(u.contact_person and u.contact_phone for u in HandlingUnit.objects.all())
        for street in StreetCommittee.objects.all():
            home = LiaisonStation.objects.get(street_committee=street, kind="home")
            assert home.community is None and home.name == f"{street.name}人大代表之家"
            assert home.standards == keys
            for community in street.communities.all():
                station = LiaisonStation.objects.get(community=community)
                assert station.street_committee == street
                assert station.kind in ("station", "point")
                suffix = "代表联络站" if station.kind == "station" else "代表联系点"
                assert station.name == community.name + suffix
                assert station.address and station.phone
                assert re.fullmatch(
                    r"每周[一二三四五] \d{1,2}:\d\d–\d{1,2}:\d\d", station.opening_hours
                )
                assert 3 <= len(station.standards) <= 8
                assert station.standards == [k for k in keys if k in station.standards]
        kinds = Counter(LiaisonStation.objects.values_list("kind", flat=True))
        assert kinds["home"] == 2 and kinds["station"] >= 2 and kinds["point"] > kinds["station"]

    def test_activities_a_year_back_and_a_month_ahead(self):
        today = timezone.localdate()
        now = timezone.now()
        activities = list(Activity.objects.select_related("station", "closed_by"))
        by_kind = Counter(a.kind for a in activities)
        # Every week a visit in each street, every month a contact day, a few district ones.
        assert 2 * 52 <= by_kind["weekly_visit"] <= 2 * 57
        assert 2 * 12 <= by_kind["contact_day"] <= 2 * 14
        district_kinds = {"inspection", "research", "law_check", "lecture", "report_to_voters"}
        district = [a for a in activities if a.kind in district_kinds]
        assert 8 <= len(district) <= 35 and all(a.street_committee_id is None for a in district)
        for street in StreetCommittee.objects.all():
            visits = [
                a for a in activities if a.kind == "weekly_visit" and a.street_committee == street
            ]
            assert len({timezone.localtime(a.starts_at).weekday() for a in visits}) == 1
            assert len({a.station_id for a in visits}) > 1  # the station rotates
            assert all(a.station.street_committee_id == street.pk for a in visits)
            contact_days = [
                a for a in activities if a.kind == "contact_day" and a.street_committee == street
            ]
            assert all(a.station.kind == "home" for a in contact_days)
            assert all(12 <= timezone.localdate(a.starts_at).day <= 18 for a in contact_days)
        days = [timezone.localdate(a.starts_at) for a in activities]
        assert min(days) >= today - dt.timedelta(days=364)
        assert max(days) <= today + dt.timedelta(days=demo.ACTIVITY_DAYS_AHEAD)

        past = [a for a in activities if timezone.localdate(a.starts_at) < today]
        future = [a for a in activities if timezone.localdate(a.starts_at) > today]
        assert all(a.status == Activity.Status.CLOSED for a in past)
        assert all(a.status == Activity.Status.SCHEDULED for a in future) and future
        for a in past:
            assert 5 <= a.residents_received <= 40 and 0 <= a.opinions_collected <= 6
            assert a.summary and "{" not in a.summary
            assert a.starts_at < a.closed_at <= now and a.closed_by is not None
            assert a.place
            assert a.theme or a.kind in ("weekly_visit", "contact_day")
        # A closed activity's trail: scheduled, then closed by the staff who closed it.
        trail = list(past[0].history.order_by("history_date"))
        assert [h.status for h in trail] == ["scheduled", "closed"]
        assert trail[-1].history_user_id == past[0].closed_by_id

    def test_attendance_and_leave(self):
        today = timezone.localdate()
        now = timezone.now()
        staff = {
            ra.street_committee_id: ra.user_id
            for ra in RoleAssignment.objects.filter(role=RoleAssignment.Role.STREET_STAFF)
        }
        rows = list(Attendance.objects.select_related("activity", "deputy"))
        past = [r for r in rows if timezone.localdate(r.activity.starts_at) < today]
        future = [r for r in rows if timezone.localdate(r.activity.starts_at) > today]
        for r in rows:
            day = timezone.localdate(r.activity.starts_at)
            in_office_and_street(r.deputy, day, r.activity.street_committee_id)
            if r.leave != Attendance.Leave.NONE:
                assert r.leave_reason and r.leave_requested_at < r.activity.starts_at
                assert r.leave_requested_at <= now
            if r.leave in (Attendance.Leave.APPROVED, Attendance.Leave.REFUSED):
                assert r.leave_requested_at <= r.leave_decided_at < r.activity.starts_at
                organiser = r.activity.street_committee_id
                assert r.leave_decided_by_id == (
                    staff[organiser]
                    if organiser
                    else User.objects.get(username="district_admin").pk
                )
            if r.status == Attendance.Status.EXCUSED:
                assert r.leave == Attendance.Leave.APPROVED

        statuses = Counter(r.status for r in past)
        assert "invited" not in statuses
        share = {s: n / len(past) for s, n in statuses.items()}
        assert 0.68 < share["present"] < 0.88 and 0.03 < share["late"] < 0.1
        assert 0.01 < share["left_early"] < 0.06 and 0.05 < share["excused"] < 0.15
        assert 0.015 < share["absent"] < 0.08
        leave = Counter((r.status, r.leave) for r in past)
        assert leave["absent", "refused"] >= 1 and leave["absent", "none"] >= 1
        assert set(leave) <= {
            ("present", "none"),
            ("late", "none"),
            ("left_early", "none"),
            ("excused", "approved"),
            ("absent", "none"),
            ("absent", "refused"),
        }
        assert {r.status for r in future} <= {"invited", "excused"}
        assert sum(1 for r in future if r.leave == Attendance.Leave.REQUESTED) >= 2

        # The habitual leave-askers stand out.
        asked = Counter(r.deputy_id for r in past if r.leave != Attendance.Leave.NONE)
        invited = Counter(r.deputy_id for r in past)
        rates = sorted(asked[d] / n for d, n in invited.items() if n >= 5)
        # The demo's "past" moves with today's date, so the median drifts around 0.1.
        median = rates[len(rates) // 2]
        assert rates[-1] >= 0.3 and rates[-1] > 2.5 * median

        # A pending request can be decided as staff would.
        pending = next(r for r in future if r.leave == Attendance.Leave.REQUESTED)
        street = pending.activity.street_committee_id
        decided = leave_decide(
            attendance=pending, approve=True, decided_by=User.objects.get(pk=staff[street])
        )
        assert decided.status == Attendance.Status.EXCUSED

    def test_deputy01_has_activities_and_shifts_ahead(self):
        now = timezone.now()
        today = timezone.localdate()
        deputy = Deputy.objects.get(user__username="deputy01")
        upcoming = list(
            Attendance.objects.filter(deputy=deputy, activity__starts_at__gt=now).select_related(
                "activity"
            )
        )
        assert len(upcoming) >= 2
        assert all(a.activity.status == Activity.Status.SCHEDULED for a in upcoming)
        free = [a for a in upcoming if a.leave == Attendance.Leave.NONE]
        assert free
        assert Attendance.objects.filter(
            deputy=deputy, activity__status="closed", status__in=Attendance.ATTENDED
        ).exists()
        # The phone can ask for leave from one of them.
        asked = leave_request(attendance=free[0], deputy=deputy, reason="单位临时有会")
        assert asked.leave == Attendance.Leave.REQUESTED

        shifts = ReceptionShift.objects.filter(deputy=deputy, date__gt=today)
        assert shifts.count() >= 2

        for shift in ReceptionShift.objects.select_related("station", "deputy"):
            assert abs((shift.date - today).days) <= 28
            in_office_and_street(shift.deputy, shift.date, shift.station.street_committee_id)
            assert shift.date.weekday() < 5
        periods = Counter(ReceptionShift.objects.values_list("period", flat=True))
        assert periods["am"] > periods["pm"] > 0
        homes = set(
            ReceptionShift.objects.filter(station__kind="home").values_list("station", flat=True)
        )
        assert len(homes) == 2

    def test_opinions_in_every_state(self):
        today = timezone.localdate()
        now = timezone.now()
        opinions = list(
            Opinion.objects.select_related("activity", "recorded_by", "assigned_deputy", "station")
        )
        # About 150 a street and year.
        assert 2 * 110 <= len(opinions) <= 2 * 200
        statuses = Counter(o.status for o in opinions)
        assert set(statuses) == set(Opinion.Status.values)
        assert 0.02 < statuses["rejected"] / len(opinions) < 0.1
        older = Counter(o.status for o in opinions if (today - o.received_on).days > 60)
        assert (older["closed"] + older["replied"]) / older.total() > 0.85
        sources = Counter(o.source for o in opinions)
        assert sources["deputy"] > sources["resident"] > sources["staff"] > 0
        assert Opinion.objects.overdue().count() >= 2
        assert len({o.tracking_code for o in opinions}) == len(opinions)

        attended = set(
            Attendance.objects.filter(status__in=Attendance.ATTENDED).values_list(
                "activity_id", "deputy_id"
            )
        )
        for o in opinions:
            assert len(o.tracking_code) == 10 and set(o.tracking_code) <= set(TRACKING_ALPHABET)
            assert o.received_on <= today
            assert o.reply_deadline == o.received_on + dt.timedelta(days=15)
            assert not o.submitter_phone or o.consent
            assert o.consent == bool(o.submitter_name or o.submitter_phone)
            if o.source == "deputy":
                assert o.recorded_by_deputy is not None and o.recorded_by is not None
                assert o.recorded_by_deputy.is_active_on(o.received_on)
            else:
                assert o.recorded_by_deputy is None
            if o.source == "resident":
                assert o.station is not None and o.recorded_by is None
            if o.source == "staff":
                assert o.recorded_by.username.startswith("street")
            if o.activity is not None:
                assert o.source == "deputy" and o.activity.status == "closed"
                assert o.received_on == timezone.localdate(o.activity.starts_at)
                assert (o.activity_id, o.recorded_by_deputy_id) in attended
            if o.status == "received":
                assert o.assigned_at is None and not o.assigned_unit_id and not o.assigned_deputy_id
            if o.status in ("assigned", "replied", "closed"):
                assert o.assigned_at is not None
                assert bool(o.assigned_unit_id) != bool(o.assigned_deputy_id)
            if o.status in ("replied", "closed"):
                assert o.reply and o.replied_by_id and o.assigned_at < o.replied_at <= now
            else:
                assert not o.reply and o.replied_at is None and o.rating is None
            if o.status == "closed":
                assert o.replied_at < o.closed_at <= now
            assert (o.status == "rejected") == bool(o.rejected_reason)
            if o.rating is not None:
                assert o.replied_at < o.rated_at <= now
            assert (o.rating == 1) <= bool(o.rating_comment)
        ratings = Counter(o.rating for o in opinions if o.rating)
        assert ratings[3] > ratings[2] > ratings[1] > 0

        closed = next(o for o in opinions if o.status == "closed" and o.rating is None)
        trail = [h.status for h in closed.history.order_by("history_date")]
        assert trail == ["received", "assigned", "replied", "closed"]

        # deputy01 logged a few and has some to answer; unit01's unit has open and overdue ones.
        deputy = Deputy.objects.get(user__username="deputy01")
        assert Opinion.objects.filter(recorded_by_deputy=deputy).count() >= 4
        mine = Opinion.objects.filter(assigned_deputy=deputy, status="assigned")
        assert mine.exists()
        answered = opinion_reply(
            opinion=mine.first(), reply="已联系社区处理。", replied_by=deputy.user
        )
        assert answered.status == "replied"
        unit = User.objects.get(username="unit01").roles.get().handling_unit
        assert Opinion.objects.filter(assigned_unit=unit, status="assigned").count() >= 2
        assert Opinion.objects.overdue().filter(assigned_unit=unit).exists()
