"""The quarterly report workbook: every number equals the snapshot's rows in the database."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from congress.indicators import Indicator
from deputies.models import Deputy, DutyType
from deputies.services import duty_record_submit, duty_records_approve
from scoring import exports
from scoring.exports import SnapshotGone, quarterly_report_filename, quarterly_report_write
from scoring.models import RankingRow, RankingSnapshot, Rule, StreetAverage
from scoring.services import (
    ranking_publish,
    ranking_recompute,
    ranking_snapshots_purge,
    score_adjustment_create,
)
from tests.factories import StreetCommitteeFactory, make_deputy

pytestmark = pytest.mark.django_db

YEAR, QUARTER = 2026, 3
DAY = dt.date(2026, 8, 10)
SHEETS = ["Top 15% deputies", "Street averages", "All deputies", "Scoring rules"]
FIXED = ["Rank", "Name", "Level", "Street", "Total score"]
TAIL = ["Year-to-date total", "Stars"]


def _approved(deputy: Deputy, code: str, day: dt.date = DAY) -> None:
    record, _ = duty_record_submit(
        deputy=deputy,
        duty_type=DutyType.objects.get(code=code),
        date=day,
        description="参加活动并接待居民十人",
        client_token=uuid.uuid4(),
    )
    duty_records_approve(records=[record], reviewer=None)


@pytest.fixture
def data(world: Any) -> dict[str, Deputy]:
    """Eight ranked deputies in three streets, ties at rank 2 and at the top-15% boundary,
    a negative and a fractional adjustment, earlier-quarter points for the stars, and a
    city deputy who is not ranked."""
    street_c = StreetCommitteeFactory.create(district=world.district, name="金阊街道")
    d = {f"d{i}": make_deputy(street=world.street_b) for i in range(1, 5)}
    d["d5"] = make_deputy(street=world.street_a)
    d["d6"] = make_deputy(street=street_c)
    d["city"] = make_deputy(street=world.street_a, level=Deputy.Level.CITY)
    for i in range(8):  # Q2: 40 points, for the year to date
        _approved(world.deputy_a, "report_to_voters", dt.date(2026, 5, 4) + dt.timedelta(days=i))
    _approved(world.deputy_a, "training")  # 2
    _approved(world.deputy_a, "inspection")  # 3
    for i in range(2):
        _approved(world.deputy_a, "weekly_visit", DAY + dt.timedelta(days=7 * i))  # 6
    score_adjustment_create(
        deputy=world.deputy_a,
        date=DAY,
        points=Decimal("2.5"),
        reason="表现突出",
        by=world.district_user,
    )
    _approved(world.deputy_b, "report_to_voters")  # 5
    score_adjustment_create(
        deputy=world.deputy_b,
        date=DAY,
        points=Decimal("-1"),
        reason="迟交材料",
        by=world.district_user,
    )
    _approved(d["d1"], "report_to_voters")
    _approved(d["d2"], "report_to_voters")
    _approved(d["d3"], "training")
    _approved(d["d4"], "training")
    _approved(d["city"], "report_to_voters")
    return d


def _recompute(world: Any) -> RankingSnapshot:
    return ranking_recompute(district=world.district, year=YEAR, quarter=QUARTER)


def _publish(world: Any) -> RankingSnapshot:
    return ranking_publish(
        district=world.district, year=YEAR, quarter=QUARTER, by=world.district_user
    )


def _values(path: Path | io.BytesIO, sheet: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in load_workbook(path)[sheet].iter_rows(values_only=True)]


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _expected_rows(snapshot: RankingSnapshot, *, top_only: bool) -> list[tuple[Any, ...]]:
    """What sheets 1 and 3 must hold, straight from the database."""
    indicators = _indicator_keys(snapshot)
    rows = RankingRow.objects.filter(snapshot=snapshot).select_related("street_committee")
    if top_only:
        rows = rows.filter(is_top=True)
    expected = []
    for r in rows.order_by("rank", "name_pinyin", "name", "id"):
        mine = r.breakdown
        line = (
            r.rank,
            r.name,
            _level(r.level),
            r.street_committee.name if r.street_committee else None,
            float(r.total),
            *[_num(mine.get(key)) for key in indicators],
            float(r.ytd_total),
            r.stars,
        )
        if not top_only:
            line = (*line, "Yes" if r.is_top else None)
        expected.append(line)
    return expected


def _level(level: str) -> str:
    with translation.override("en"):
        return str(Deputy.Level(level).label)


def _indicator_keys(snapshot: RankingSnapshot) -> list[str]:
    in_set = set(
        Rule.objects.filter(rule_set=snapshot.rule_set).values_list("indicator", flat=True)
    )
    return [
        *[i.value for i in Indicator if i.value in in_set and i != Indicator.ADJUSTMENT],
        Indicator.ADJUSTMENT.value,
    ]


def _indicator_labels(snapshot: RankingSnapshot) -> list[str]:
    with translation.override("en"):
        return [str(Indicator(key).label) for key in _indicator_keys(snapshot)]


def _assert_workbook_equals_snapshot(path: Path | io.BytesIO, snapshot: RankingSnapshot) -> None:
    wb = load_workbook(path)
    assert wb.sheetnames == SHEETS
    labels = _indicator_labels(snapshot)
    when = timezone.localtime(snapshot.published_at or snapshot.computed_at)
    for ws in wb.worksheets:
        title = ws["A1"].value
        assert snapshot.district.committee_name in title
        assert f"{YEAR} Q{QUARTER}" in title
        assert when.strftime("%Y-%m-%d %H:%M") in title
        if snapshot.status == RankingSnapshot.Status.PUBLISHED:
            assert f"Report version {snapshot.version}" in title
        else:
            assert "Live ranking (not published)" in title
        assert ws["A1"].font.b and ws["A1"].font.sz > 11

    # Sheet 3: every deputy of the snapshot, every number.
    ws = wb["All deputies"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1] == (*FIXED, *labels, *TAIL, "In top 15%")
    assert rows[2:] == _expected_rows(snapshot, top_only=False)
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:{get_column_letter(len(rows[1]))}{len(rows)}"
    header = ws["A2"]
    assert header.font.b and header.font.color.rgb.endswith("FFFFFF")
    assert header.fill.fgColor.rgb.endswith("A51C1C")
    assert ws["E3"].number_format == "0.00"

    # Sheet 1: exactly the top rows, same columns without the yes/no column.
    ws = wb["Top 15% deputies"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1] == (*FIXED, *labels, *TAIL)
    assert rows[2:] == _expected_rows(snapshot, top_only=True)
    assert len(rows) - 2 == RankingRow.objects.filter(snapshot=snapshot, is_top=True).count()
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:{get_column_letter(len(rows[1]))}{len(rows)}"

    # Sheet 2: the street averages.
    ws = wb["Street averages"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1] == (
        "Rank",
        "Street",
        "Number of deputies",
        "Number in top 15%",
        "Average score",
        "Remarks",
    )
    expected = [
        (
            a.rank,
            a.street_committee.name,
            a.deputies,
            a.top_count,
            float(a.average),
            "Fewer than 3 ranked deputies; not compared" if a.too_small else None,
        )
        for a in StreetAverage.objects.filter(snapshot=snapshot)
        .select_related("street_committee")
        .order_by("rank", "street_committee__name", "id")
    ]
    assert rows[2:] == expected
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:F{len(rows)}"

    # Sheet 4: the rule set, then its rules.
    ws = wb["Scoring rules"]
    rows = list(ws.iter_rows(values_only=True))
    rule_set = snapshot.rule_set
    block = {row[0]: row[1] for row in rows[1:7]}
    assert block["Rule set name"] == rule_set.name
    assert block["Version"] == rule_set.version
    assert block["Effective from"].date() == rule_set.effective_from
    assert block["Top fraction"] == pytest.approx(float(rule_set.top_fraction))
    assert block["Ranked deputy levels"] == "District deputy"
    assert block["Star thresholds"].split() == [
        part for n, t in enumerate(rule_set.star_thresholds, 1) for part in ("★" * n, str(t))
    ]
    assert rows[8] == ("Indicator", "Points", "Cap per quarter")
    order = list(Indicator.values)
    rules = sorted(Rule.objects.filter(rule_set=rule_set), key=lambda r: order.index(r.indicator))
    with translation.override("en"):
        expected_rules = [
            (str(Indicator(r.indicator).label), float(r.points), _num(r.cap_per_quarter))
            for r in rules
        ]
    assert rows[9:] == expected_rules
    assert ws.freeze_panes == "A10"
    assert ws.auto_filter.ref == f"A9:C{len(rows)}"


def _export(tmp_path: Path, name: str, **options: Any) -> tuple[Path, str]:
    path = tmp_path / name
    out = io.StringIO()
    call_command(
        "export_quarterly_report",
        year=YEAR,
        quarter=QUARTER,
        output=str(path),
        language="en",
        stdout=out,
        **options,
    )
    return path, out.getvalue()


def test_the_workbook_equals_the_published_snapshot(world, data, tmp_path):
    _recompute(world)
    v1 = _publish(world)
    # The data is what the fixture meant it to be: ties at rank 2 and at the boundary.
    totals = dict(RankingRow.objects.filter(snapshot=v1).values_list("deputy_id", "total"))
    assert totals[world.deputy_a.pk] == Decimal("13.5")
    assert totals[world.deputy_b.pk] == Decimal("4")
    assert data["city"].pk not in totals
    assert v1.top_k == 2
    assert RankingRow.objects.filter(snapshot=v1, is_top=True).count() == 3
    assert RankingRow.objects.get(snapshot=v1, deputy=world.deputy_a).stars == 2
    assert StreetAverage.objects.filter(snapshot=v1, too_small=True).count() == 2

    buffer = io.BytesIO()
    quarterly_report_write(v1, buffer, language="en")
    buffer.seek(0)
    _assert_workbook_equals_snapshot(buffer, v1)

    path, output = _export(tmp_path, "v1.xlsx", district=world.district.code)
    _assert_workbook_equals_snapshot(path, v1)
    assert str(path) in output and "published version 1" in output
    assert "all deputies: 8 row(s)" in output and "top deputies: 3 row(s)" in output
    assert "streets: 3 row(s)" in output
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was moved into place


def test_the_live_workbook_and_small_chunks(world, data, tmp_path, monkeypatch):
    live = _recompute(world)
    path, output = _export(tmp_path, "live.xlsx", district=world.district.code)
    assert "live ranking" in output
    _assert_workbook_equals_snapshot(path, live)
    # Chunks smaller than the data, with ties across chunk edges, give the same file.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    small, _out = _export(tmp_path, "small.xlsx", district=world.district.code, live=True)
    for sheet in SHEETS:
        assert _values(small, sheet) == _values(path, sheet)


def test_a_published_file_does_not_change_but_the_live_one_does(world, data, tmp_path):
    code = world.district.code
    _recompute(world)
    v1 = _publish(world)
    before, _out = _export(tmp_path, "v1-before.xlsx", district=code, version=1)
    live_before, _out = _export(tmp_path, "live-before.xlsx", district=code, live=True)

    # Later data for the quarter: d5 reports to voters, deputy_b loses an adjustment.
    _approved(data["d5"], "report_to_voters")
    score_adjustment_create(
        deputy=world.deputy_b, date=DAY, points=Decimal("-2"), reason="补扣", by=world.district_user
    )
    live = _recompute(world)

    after, _out = _export(tmp_path, "v1-after.xlsx", district=code, version=1)
    default, output = _export(tmp_path, "default.xlsx", district=code)  # latest published
    live_after, _out = _export(tmp_path, "live-after.xlsx", district=code, live=True)
    for sheet in SHEETS:
        assert _values(after, sheet) == _values(before, sheet)
        assert _values(default, sheet) == _values(before, sheet)
    assert "published version 1" in output
    _assert_workbook_equals_snapshot(after, v1)
    _assert_workbook_equals_snapshot(live_after, live)
    assert _values(live_after, "All deputies")[2:] != _values(live_before, "All deputies")[2:]
    names = {row[1]: row for row in _values(live_after, "All deputies")[2:]}
    assert names[data["d5"].name][4] == 5
    assert names["李四"][4] == 2


def test_the_command_recomputes_when_there_is_no_ranking_yet(world, data, tmp_path):
    assert not RankingSnapshot.objects.exists()
    path, output = _export(tmp_path, "first.xlsx", district=world.district.code)
    assert "recomputing" in output and "live ranking" in output
    live = RankingSnapshot.objects.get(
        district=world.district, year=YEAR, quarter=QUARTER, status="live"
    )
    _assert_workbook_equals_snapshot(path, live)


def test_the_command_errors_clearly(world, tmp_path):
    with pytest.raises(CommandError, match=r"No district with code '999999'.*320508"):
        _export(tmp_path, "x.xlsx", district="999999")
    with pytest.raises(CommandError, match="--district"):
        _export(tmp_path, "x.xlsx")  # two districts in the world
    _recompute(world)
    with pytest.raises(CommandError, match="no published version 3"):
        _export(tmp_path, "x.xlsx", district=world.district.code, version=3)
    with pytest.raises(CommandError, match="either --version or --live"):
        _export(tmp_path, "x.xlsx", district=world.district.code, version=1, live=True)
    with pytest.raises(CommandError, match="does not exist"):
        _export(tmp_path / "missing", "x.xlsx", district=world.district.code)
    assert not list(tmp_path.iterdir())


def test_a_superseded_snapshot_exports_whole_until_it_is_purged(world, data):
    first = _recompute(world)
    before = io.BytesIO()
    quarterly_report_write(first, before, language="en")
    _recompute(world)  # a new live snapshot; the first one is superseded, not deleted
    first.refresh_from_db()
    assert first.status == RankingSnapshot.Status.SUPERSEDED
    after = io.BytesIO()
    quarterly_report_write(first, after, language="en")
    before.seek(0)
    after.seek(0)
    assert _values(after, SHEETS[2])[2:] == _values(before, SHEETS[2])[2:]

    assert ranking_snapshots_purge() == 0  # within the grace period
    later = first.superseded_at + dt.timedelta(minutes=16)
    assert ranking_snapshots_purge(now=later) == 1
    assert not RankingRow.objects.filter(snapshot_id=first.pk).exists()
    temporary = set(ALL_TEMP_FILES)
    with pytest.raises(SnapshotGone):
        quarterly_report_write(first, io.BytesIO(), language="en")
    assert set(ALL_TEMP_FILES) == temporary  # the sheets' temporary files are gone


def test_filename(world, data):
    live = _recompute(world)
    v1 = _publish(world)
    assert quarterly_report_filename(v1, language="en") == (
        "Performance points report-姑苏区-2026Q3-v1.xlsx"
    )
    assert quarterly_report_filename(live, language="en") == (
        "Performance points report-姑苏区-2026Q3-Live.xlsx"
    )
    # The Chinese name once the catalogue has the report's strings.
    assert quarterly_report_filename(v1).endswith("-姑苏区-2026Q3-v1.xlsx")
    assert quarterly_report_filename(live).endswith("-姑苏区-2026Q3-实时.xlsx")


def test_the_chinese_workbook_has_the_same_numbers(world, data):
    v1 = (_recompute(world), _publish(world))[1]
    english, chinese = io.BytesIO(), io.BytesIO()
    quarterly_report_write(v1, english, language="en")
    quarterly_report_write(v1, chinese)
    english.seek(0)
    chinese.seek(0)
    en_rows = _values(english, SHEETS[2])[2:]
    zh_rows = [tuple(r) for r in load_workbook(chinese).worksheets[2].iter_rows(values_only=True)]
    numbers = [[c for c in row if isinstance(c, int | float)] for row in en_rows]
    assert numbers == [[c for c in row if isinstance(c, int | float)] for row in zh_rows[2:]]
    assert "姑苏区" in zh_rows[0][0]
