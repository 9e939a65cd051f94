"""Activities: leave before the start, closing, scope, scheduling and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress.periods import Quarter
from liaison_stations.models import Activity, Attendance
from liaison_stations.services import (
    activities_schedule_weekly,
    activity_close,
    leave_decide,
    leave_request,
)
from tests.factories import make_deputy
from tests.liaison_stations.conftest import make_activity

pytestmark = pytest.mark.django_db


def _attendance(activity, deputy) -> Attendance:
    return Attendance.objects.get(activity=activity, deputy=deputy)


def _start_now(activity, minutes_ago: int = 5) -> None:
    start = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    activity.refresh_from_db()


def test_leave_after_the_activity_starts_is_refused(world, stations, client):
    activity = make_activity(world, stations.a)
    _start_now(activity)
    attendance = _attendance(activity, world.deputy_a)
    with pytest.raises(ValidationError, match="活动已经开始"):
        leave_request(attendance=attendance, deputy=world.deputy_a, reason="出差")
    client.force_login(world.deputy_a.user)
    client.cookies["django_language"] = "zh-hans"
    resp = client.post(
        reverse("liaison_stations:my_leave_request", args=[attendance.pk]), {"reason": "出差在外"}
    )
    assert resp.status_code == 400
    assert "活动已经开始" in resp.content.decode()
    assert _attendance(activity, world.deputy_a).leave == Attendance.Leave.NONE


def test_leave_needs_a_reason_and_only_own_attendance(world, stations, client):
    activity = make_activity(world, stations.a, deputies=[world.deputy_a, world.deputy_b])
    mine = _attendance(activity, world.deputy_a)
    theirs = _attendance(activity, world.deputy_b)
    client.force_login(world.deputy_a.user)
    resp = client.post(
        reverse("liaison_stations:my_leave_request", args=[mine.pk]), {"reason": " "}
    )
    assert resp.status_code == 400
    url = reverse("liaison_stations:my_leave_request", args=[theirs.pk])
    assert client.post(url, {"reason": "替他请假"}).status_code == 404
    assert _attendance(activity, world.deputy_b).leave == Attendance.Leave.NONE


def test_closing_marks_unmarked_invitees_absent_and_approved_leave_excused(world, stations):
    others = [make_deputy(street=world.street_a) for _ in range(3)]
    activity = make_activity(world, stations.a, deputies=[world.deputy_a, *others])
    leave = leave_request(
        attendance=_attendance(activity, others[0]), deputy=others[0], reason="单位临时有会"
    )
    leave_decide(attendance=leave, approve=True, decided_by=world.street_a_user)
    refused = leave_request(
        attendance=_attendance(activity, others[1]), deputy=others[1], reason="家中有事"
    )
    leave_decide(attendance=refused, approve=False, decided_by=world.street_a_user)
    _start_now(activity)
    present = _attendance(activity, world.deputy_a)
    activity_close(
        activity=activity,
        marks={present.pk: "present"},
        residents_received=12,
        opinions_collected=3,
        closed_by=world.street_a_user,
    )
    status = {a.deputy_id: a.status for a in activity.attendances.all()}
    assert status == {
        world.deputy_a.pk: "present",
        others[0].pk: "excused",
        others[1].pk: "absent",
        others[2].pk: "absent",
    }
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CLOSED
    assert activity.residents_received == 12


def test_nobody_is_excused_without_approved_leave(world, stations):
    activity = make_activity(world, stations.a)
    _start_now(activity)
    row = _attendance(activity, world.deputy_a)
    with pytest.raises(ValidationError):
        activity_close(activity=activity, marks={row.pk: "excused"})
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.SCHEDULED


def test_an_activity_cannot_be_closed_before_it_starts(world, stations):
    activity = make_activity(world, stations.a)
    with pytest.raises(ValidationError):
        activity_close(activity=activity, marks={})


def test_phone_leave_then_staff_approve_then_close_shows_excused(world, stations, client):
    activity = make_activity(world, stations.a)
    attendance = _attendance(activity, world.deputy_a)
    client.force_login(world.deputy_a.user)
    resp = client.post(
        reverse("liaison_stations:my_leave_request", args=[attendance.pk]), {"reason": "出差在外"}
    )
    assert resp.status_code == 302
    client.force_login(world.street_a_user)
    queue = client.get(reverse("liaison_stations:leave_queue")).content.decode()
    assert "出差在外" in queue
    resp = client.post(
        reverse("liaison_stations:leave_decide", args=[attendance.pk]), {"decision": "approve"}
    )
    assert resp.status_code == 302
    _start_now(activity)
    resp = client.post(
        reverse("liaison_stations:activity_close", args=[activity.pk]),
        {"residents_received": 8, "opinions_collected": 1, "summary": "顺利"},
    )
    assert resp.status_code == 302
    assert _attendance(activity, world.deputy_a).status == Attendance.Status.EXCUSED
    client.force_login(world.deputy_a.user)
    body = client.get(reverse("liaison_stations:my_activities")).content.decode()
    assert "请假" in body


def test_street_staff_cannot_touch_another_streets_activity(world, stations, client):
    theirs = make_activity(world, stations.b, deputies=[world.deputy_b])
    attendance = _attendance(theirs, world.deputy_b)
    leave_request(attendance=attendance, deputy=world.deputy_b, reason="出差")
    client.force_login(world.street_a_user)
    for name in ("activity_detail", "activity_edit", "activity_close"):
        assert client.get(reverse(f"liaison_stations:{name}", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("liaison_stations:activity_cancel", args=[theirs.pk])).status_code
        == 404
    )
    resp = client.post(
        reverse("liaison_stations:leave_decide", args=[attendance.pk]), {"decision": "approve"}
    )
    assert resp.status_code == 404
    assert _attendance(theirs, world.deputy_b).leave == Attendance.Leave.REQUESTED
    assert (
        client.get(reverse("liaison_stations:station_detail", args=[stations.b.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("liaison_stations:station_edit", args=[stations.b.pk])).status_code
        == 404
    )
    listing = client.get(reverse("liaison_stations:activity_list")).content.decode()
    assert reverse("liaison_stations:activity_detail", args=[theirs.pk]) not in listing


def test_schedule_a_quarter_of_weekly_visits_rotates_and_is_idempotent(world, stations):
    deputies = [world.deputy_a, *[make_deputy(street=world.street_a) for _ in range(4)]]
    today = timezone.localdate()
    quarter = Quarter.containing(Quarter.containing(today).end + dt.timedelta(days=1))
    created = activities_schedule_weekly(
        street_committee=world.street_a,
        quarter=quarter,
        weekday=3,
        start_time=dt.time(9, 0),
        duration=dt.timedelta(hours=2),
        stations=[stations.a],
        deputies=deputies,
        per_visit=2,
    )
    assert 12 <= len(created) <= 14
    assert all(timezone.localtime(a.starts_at).weekday() == 3 for a in created)
    invited = [sorted(a.attendances.values_list("deputy_id", flat=True)) for a in created[:3]]
    assert invited[0] != invited[1]
    counts = {
        d.pk: Attendance.objects.filter(deputy=d, activity__in=created).count() for d in deputies
    }
    assert max(counts.values()) - min(counts.values()) <= 1
    again = activities_schedule_weekly(
        street_committee=world.street_a,
        quarter=quarter,
        weekday=3,
        start_time=dt.time(9, 0),
        duration=dt.timedelta(hours=2),
        stations=[stations.a],
        deputies=deputies,
        per_visit=2,
    )
    assert again == []
    with pytest.raises(ValidationError):
        activities_schedule_weekly(
            street_committee=world.street_a,
            quarter=quarter,
            weekday=3,
            start_time=dt.time(9, 0),
            duration=dt.timedelta(hours=2),
            stations=[stations.b],
            deputies=deputies,
            per_visit=2,
        )


def test_attendance_rates_per_street_and_deputy(world, stations, client):
    others = [make_deputy(street=world.street_a) for _ in range(3)]
    activity = make_activity(world, stations.a, deputies=[world.deputy_a, *others])
    leave = leave_request(
        attendance=_attendance(activity, others[0]), deputy=others[0], reason="病"
    )
    leave_decide(attendance=leave, approve=True, decided_by=world.street_a_user)
    _start_now(activity)
    activity_close(
        activity=activity,
        marks={
            _attendance(activity, world.deputy_a).pk: "present",
            _attendance(activity, others[1]).pk: "late",
        },
    )
    client.force_login(world.district_user)
    resp = client.get(reverse("liaison_stations:attendance_rates"))
    rows = {r["street"].name: r for r in resp.context["rows"]}
    assert rows["平江街道"]["total"] == 4
    assert rows["平江街道"]["attended"] == 2
    assert rows["平江街道"]["excused"] == 1
    assert rows["平江街道"]["absent"] == 1
    assert rows["平江街道"]["rate"] == 50.0


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_make_a_fixed_number_of_queries(world, stations, client):
    def grow(n: int) -> None:
        for _ in range(n):
            d = make_deputy(street=world.street_a)
            act = make_activity(world, stations.a, deputies=[d, world.deputy_a], days=3)
            leave_request(attendance=_attendance(act, d), deputy=d, reason="出差")
            _start_now(act, minutes_ago=60 * 24 * 2)
            activity_close(activity=act, marks={})

    urls = [
        reverse(f"liaison_stations:{n}")
        for n in (
            "station_list",
            "activity_list",
            "leave_queue",
            "attendance_rates",
            "shifts_week",
            "opinion_list",
        )
    ]
    grow(2)
    client.force_login(world.street_a_user)
    small = [_queries(client, u) for u in urls]
    grow(6)
    assert [_queries(client, u) for u in urls] == small
    client.force_login(world.deputy_a.user)
    mine = reverse("liaison_stations:my_activities")
    before = _queries(client, mine)
    grow(3)
    assert _queries(client, mine) == before
