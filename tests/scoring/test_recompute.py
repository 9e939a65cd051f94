"""The ledger and the ranking on hand-built data: every rule of DESIGN.md §3."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from congress.periods import Quarter
from deputies.models import DutyRecord, DutyType
from deputies.services import duty_record_submit, duty_records_approve
from liaison_stations.models import Activity, Attendance
from liaison_stations.services import activity_close, activity_create, station_save
from scoring.ledger import ScoreEntry, ledger_entries
from scoring.models import DirtyPeriod, RankingRow, RankingSnapshot, StreetAverage
from scoring.services import ranking_publish, ranking_recompute, score_adjustment_create
from tests.factories import make_deputy

pytestmark = pytest.mark.django_db

Q = Quarter(2026, 2)
DAY = dt.date(2026, 4, 16)


def _approved(deputy, code: str, day: dt.date = DAY, reviewer=None) -> DutyRecord:
    record, _ = duty_record_submit(
        deputy=deputy,
        duty_type=DutyType.objects.get(code=code),
        date=day,
        description="参加活动并接待居民十人",
        client_token=uuid.uuid4(),
    )
    duty_records_approve(records=[record], reviewer=reviewer)
    return record


def _recompute(world) -> RankingSnapshot:
    return ranking_recompute(district=world.district, year=Q.year, quarter=Q.number)


def _entries(world, deputy) -> list[ScoreEntry]:
    snapshot = RankingSnapshot.objects.get(status="live", year=Q.year, quarter=Q.number)
    return ledger_entries(
        district=world.district, quarter=Q, rule_set=snapshot.rule_set, deputy_id=deputy.pk
    )


def _rows(snapshot) -> dict[str, RankingRow]:
    return {r.name: r for r in RankingRow.objects.filter(snapshot=snapshot)}


def test_approved_records_score_their_indicator_and_pending_do_not(world):
    _approved(world.deputy_a, "training")  # 2
    _approved(world.deputy_a, "report_to_voters")  # 5
    duty_record_submit(
        deputy=world.deputy_b,
        duty_type=DutyType.objects.get(code="training"),
        date=DAY,
        description="参加培训学习一天",
        client_token=uuid.uuid4(),
    )
    rows = _rows(_recompute(world))
    assert rows["张三"].total == Decimal("7")
    assert rows["李四"].total == Decimal("0")
    assert rows["张三"].rank == 1 and rows["李四"].rank == 2
    entries = _entries(world, world.deputy_a)
    assert {e.source_type for e in entries} == {"duty_record"}
    assert sorted(e.points for e in entries) == [Decimal("2.00"), Decimal("5.00")]
    assert all(e.rule_set == _recompute(world).rule_set for e in entries)
    assert rows["张三"].breakdown == {"training": 2, "report_to_voters": 5}


def test_weekly_visit_cap_and_negative_absence(world):
    for i in range(15):  # 15 x 3 = 45, capped at 39
        _approved(world.deputy_a, "weekly_visit", DAY + dt.timedelta(days=i))
    station = station_save(
        street_committee=world.street_a, kind="station", name="站", address="地址"
    )
    start = timezone.make_aware(dt.datetime(2026, 5, 6, 9))
    activity = activity_create(
        district=world.district,
        street_committee=world.street_a,
        station=station,
        kind=Activity.Kind.CONTACT_DAY,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        deputies=[world.deputy_a],
    )
    activity_close(activity=activity, marks={})  # unmarked: absent, -2
    rows = _rows(_recompute(world))
    assert rows["张三"].total == Decimal("37")


def test_a_record_repeating_an_attended_activity_is_not_counted_twice(world):
    station = station_save(
        street_committee=world.street_a, kind="station", name="站", address="地址"
    )
    start = timezone.make_aware(dt.datetime(2026, 4, 16, 9))
    activity = activity_create(
        district=world.district,
        street_committee=world.street_a,
        station=station,
        kind=Activity.Kind.WEEKLY_VISIT,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        deputies=[world.deputy_a],
    )
    attendance = Attendance.objects.get(activity=activity)
    activity_close(activity=activity, marks={attendance.pk: "present"})
    _approved(world.deputy_a, "weekly_visit", dt.date(2026, 4, 16))  # the same act, logged
    _approved(world.deputy_a, "weekly_visit", dt.date(2026, 4, 23))  # another week
    rows = _rows(_recompute(world))
    assert rows["张三"].total == Decimal("6")
    entries = _entries(world, world.deputy_a)
    # The attendance and the other week's record score; the repeat is not in the ledger.
    assert sorted((e.source_type, e.date.day) for e in entries) == [
        ("attendance", 16),
        ("duty_record", 23),
    ]


def test_top_fifteen_percent_includes_ties_and_needs_positive_totals(world):
    deputies = [make_deputy(street=world.street_a) for _ in range(18)]  # 20 ranked in all
    for d in deputies[:3]:
        _approved(d, "report_to_voters")  # 5 each: tie at rank 1
    _approved(deputies[3], "report_to_voters")  # a fourth 5: k = ceil(0.15 * 20) = 3
    snapshot = _recompute(world)
    assert snapshot.population == 20 and snapshot.top_k == 3
    top = RankingRow.objects.filter(snapshot=snapshot, is_top=True)
    assert top.count() == 4  # the tie at the boundary is included
    assert set(top.values_list("rank", flat=True)) == {1}
    assert not RankingRow.objects.filter(snapshot=snapshot, total__lte=0, is_top=True).exists()


def test_nobody_is_top_when_everyone_has_zero(world):
    snapshot = _recompute(world)
    assert not RankingRow.objects.filter(snapshot=snapshot, is_top=True).exists()
    assert set(RankingRow.objects.filter(snapshot=snapshot).values_list("rank", flat=True)) == {1}


def test_adjustment_counts_and_marks_the_period_dirty(world):
    score_adjustment_create(
        deputy=world.deputy_a,
        date=DAY,
        points=Decimal("-3"),
        reason="无故缺席常委会组织的集中视察",
        by=world.district_user,
    )
    assert DirtyPeriod.objects.filter(year=2026, quarter=2).exists()
    rows = _rows(_recompute(world))
    assert rows["张三"].total == Decimal("-3")
    assert not DirtyPeriod.objects.filter(year=2026, quarter=2).exists()


def test_recompute_twice_gives_identical_rows(world):
    for d in [make_deputy(street=world.street_b) for _ in range(5)]:
        _approved(d, "training")
    _approved(world.deputy_a, "inspection")

    def dump(snapshot):
        return sorted(
            RankingRow.objects.filter(snapshot=snapshot).values_list(
                "deputy_id", "total", "rank", "is_top", "stars", "street_committee_id"
            )
        )

    first = dump(_recompute(world))
    second = dump(_recompute(world))
    assert first == second
    assert RankingSnapshot.objects.filter(status="live", year=2026, quarter=2).count() == 1


def test_street_averages_and_too_small(world):
    for _ in range(3):
        _approved(make_deputy(street=world.street_b), "training")  # 2 each
    snapshot = _recompute(world)
    averages = {
        a.street_committee.name: a
        for a in StreetAverage.objects.filter(snapshot=snapshot).select_related("street_committee")
    }
    # 沧浪: 李四 0 + three deputies at 2 = 6 / 4 = 1.50; 平江: 张三 alone, too small.
    assert averages["沧浪街道"].average == Decimal("1.50")
    assert averages["沧浪街道"].deputies == 4
    assert averages["平江街道"].too_small is True
    assert averages["沧浪街道"].rank == 1


def test_publish_freezes_a_version_and_later_changes_only_touch_live(world):
    _approved(world.deputy_a, "training")
    _recompute(world)
    v1 = ranking_publish(district=world.district, year=2026, quarter=2, by=world.district_user)
    _approved(world.deputy_b, "report_to_voters")
    live = _recompute(world)
    frozen = _rows(v1)
    assert frozen["李四"].total == 0
    assert _rows(live)["李四"].total == 5
    v2 = ranking_publish(district=world.district, year=2026, quarter=2, by=world.district_user)
    assert (v1.version, v2.version) == (1, 2)
    assert _rows(RankingSnapshot.objects.get(pk=v1.pk))["李四"].total == 0


def test_stars_use_the_year_to_date_total(world):
    for i in range(8):
        _approved(world.deputy_a, "report_to_voters", dt.date(2026, 2, 2) + dt.timedelta(days=i))
    for i in range(3):
        _approved(world.deputy_a, "report_to_voters", DAY + dt.timedelta(days=i))
    rows = _rows(_recompute(world))  # Q1 is ranked first for the year-to-date
    assert rows["张三"].total == 15
    assert rows["张三"].ytd_total == 55
    assert rows["张三"].stars == 2


def test_a_change_in_an_earlier_quarter_marks_later_quarters_dirty(world):
    from scoring.services import dirty_periods_recompute

    _approved(world.deputy_a, "report_to_voters", dt.date(2026, 2, 2))
    _recompute(world)  # ranks Q1 and Q2
    DirtyPeriod.objects.all().delete()
    _approved(world.deputy_a, "report_to_voters", dt.date(2026, 2, 3))
    assert set(DirtyPeriod.objects.values_list("quarter", flat=True)) == {1, 2}
    assert dirty_periods_recompute() == 2
    assert (
        _rows(RankingSnapshot.objects.get(status="live", year=2026, quarter=2))["张三"].ytd_total
        == 10
    )


def test_who_moved_since_the_published_version(world):
    from scoring.selectors import ranking_changes

    _approved(world.deputy_a, "training")  # 张三 2, 李四 0
    _recompute(world)
    v1 = ranking_publish(district=world.district, year=2026, quarter=2, by=world.district_user)
    assert ranking_changes(live=_recompute(world), published=v1) == []
    _approved(world.deputy_b, "report_to_voters")  # 李四 5: overtakes 张三
    changes = {c["name"]: c for c in ranking_changes(live=_recompute(world), published=v1)}
    assert set(changes) == {"李四", "张三"}
    assert (changes["李四"]["old_total"], changes["李四"]["total"]) == (Decimal(0), Decimal(5))
    assert changes["李四"]["delta"] == 5 and changes["李四"]["rank_delta"] == 1
    assert changes["张三"]["delta"] == 0 and changes["张三"]["rank_delta"] == -1
