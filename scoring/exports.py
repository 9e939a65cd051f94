"""The quarterly performance-points report (履职积分通报) as an Excel workbook.

Written with openpyxl in write-only mode: rows, each with its per-indicator breakdown,
stream from ``.iterator()`` querysets, so memory stays flat however many deputies a
district has. Every number is a numeric cell.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from congress.indicators import Indicator
from congress.periods import Quarter
from deputies.models import Deputy

from .models import (
    RankingRow,
    RankingSnapshot,
    Rule,
    RuleSet,
    StreetAverage,
)

HEADER_FILL = PatternFill("solid", fgColor="A51C1C")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(bold=True, size=14)
KEY_FONT = Font(bold=True)
SCORE_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
CHUNK_SIZE = 2000
TITLE_ROW, HEADER_ROW = 1, 2


class SnapshotGone(Exception):
    """The snapshot was replaced (a live one by a recompute) while it was being written, so
    the file may mix two rankings. Write the current snapshot again."""


Progress = Callable[[int], None]


def quarterly_report_rows(snapshot: RankingSnapshot) -> int:
    """How many data rows the report has (what ``progress`` counts up to)."""
    return (
        RankingRow.objects.filter(snapshot=snapshot, is_top=True).count()
        + snapshot.population
        + StreetAverage.objects.filter(snapshot=snapshot).count()
    )


def quarterly_report_write(
    snapshot: RankingSnapshot,
    out: IO[bytes] | str,
    *,
    language: str = "zh-hans",
    progress: Progress | None = None,
) -> None:
    """Write the quarterly report of ``snapshot`` to ``out`` (a path or a binary file).

    Sheets: the top deputies, street averages, every ranked deputy, the scoring rules.
    ``progress`` is called with the number of data rows written since its last call, every
    few thousand rows. Raises :class:`SnapshotGone` if the snapshot disappeared while it
    was being read.
    """
    wb = Workbook(write_only=True)
    try:
        with translation.override(language):
            _fill(wb, snapshot, progress or (lambda _n: None))
        # A superseded live snapshot is purged after a grace period; rows read before and
        # after that would not belong together.
        if not RankingSnapshot.objects.filter(pk=snapshot.pk).exists():
            raise SnapshotGone(f"ranking snapshot {snapshot.pk} no longer exists")
    except BaseException:
        _discard(wb)
        raise
    wb.save(out)


def quarterly_report_filename(snapshot: RankingSnapshot, *, language: str = "zh-hans") -> str:
    """E.g. ``履职积分通报-姑苏区-2026Q3-v2.xlsx``; a live snapshot ends in ``-实时.xlsx``."""
    with translation.override(language):
        if snapshot.status == RankingSnapshot.Status.PUBLISHED:
            version = f"v{snapshot.version}"
        else:
            version = str(RankingSnapshot.Status.LIVE.label)
        parts = [
            _("Performance points report"),
            snapshot.district.name,
            str(Quarter(snapshot.year, snapshot.quarter)),
            version,
        ]
    name = "-".join(re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", p).strip() for p in parts)
    return f"{name}.xlsx"


# --- Pieces ----------------------------------------------------------------------------


def _fill(wb: Workbook, snapshot: RankingSnapshot, progress: Progress) -> None:
    title = _title(snapshot)
    percent = _percent(snapshot.rule_set.top_fraction)
    indicators = _indicator_columns(snapshot)
    _ranking_sheet(
        wb,
        snapshot,
        name=_("Top %(percent)s%% deputies") % {"percent": percent},
        title=title,
        indicators=indicators,
        top_only=True,
        progress=progress,
    )
    _streets_sheet(wb, snapshot, title=title, percent=percent, progress=progress)
    _ranking_sheet(
        wb,
        snapshot,
        name=_("All deputies"),
        title=title,
        indicators=indicators,
        top_only=False,
        top_column=_("In top %(percent)s%%") % {"percent": percent},
        progress=progress,
    )
    _rules_sheet(wb, snapshot, title=title)


def _field(model: Any, name: str) -> str:
    """A model field's (translated) name as a heading."""
    return capfirst(str(model._meta.get_field(name).verbose_name))


def _discard(wb: Workbook) -> None:
    """Close a write-only workbook that will not be kept: its sheets stream into temporary
    files that only saving removes."""
    with contextlib.suppress(Exception), open(os.devnull, "wb") as sink:
        wb.save(sink)


def _title(snapshot: RankingSnapshot) -> str:
    period = _("%(year)s Q%(quarter)s") % {"year": snapshot.year, "quarter": snapshot.quarter}
    parts = [
        snapshot.district.committee_name,
        _("Deputies' performance points, %(period)s") % {"period": period},
    ]
    if snapshot.status == RankingSnapshot.Status.PUBLISHED:
        parts.append(_("Report version %(version)s") % {"version": snapshot.version})
        parts.append(_("Computed %(time)s") % {"time": _local(snapshot.computed_at)})
        if snapshot.published_at:
            parts.append(_("Published %(time)s") % {"time": _local(snapshot.published_at)})
    else:
        parts.append(_("Live ranking (not published)"))
        parts.append(_("Computed %(time)s") % {"time": _local(snapshot.computed_at)})
    return "    ".join(parts)


def _local(moment: Any) -> str:
    return str(timezone.localtime(moment).strftime("%Y-%m-%d %H:%M"))


def _percent(fraction: Decimal | float) -> str:
    """0.150 -> "15", 0.125 -> "12.5"."""
    return format((Decimal(fraction) * 100).normalize(), "f")


def _indicator_columns(snapshot: RankingSnapshot) -> list[tuple[str, str]]:
    """(key, label) of the breakdown columns: the rule set's indicators in the order of
    the vocabulary, then manual adjustments; any other indicator the breakdown holds is
    shown too, so the columns always add up to the total."""
    keys = set(
        Rule.objects.filter(rule_set_id=snapshot.rule_set_id).values_list("indicator", flat=True)
    )
    keys |= _breakdown_keys(snapshot)
    keys.discard(Indicator.ADJUSTMENT)
    known = [(str(i.value), str(i.label)) for i in Indicator if i.value in keys]
    unknown = sorted(keys - {i.value for i in Indicator})
    return [
        *known,
        *[(k, k) for k in unknown],
        (Indicator.ADJUSTMENT.value, str(Indicator.ADJUSTMENT.label)),
    ]


def _breakdown_keys(snapshot: RankingSnapshot) -> set[str]:
    """Every indicator any row of the snapshot holds points for."""
    from django.db import connection

    table = RankingRow._meta.db_table
    if connection.vendor == "postgresql":
        sql = f"SELECT DISTINCT jsonb_object_keys(breakdown) FROM {table} WHERE snapshot_id = %s"
    else:
        sql = (
            f"SELECT DISTINCT j.key FROM {table}, json_each({table}.breakdown) j "
            f"WHERE {table}.snapshot_id = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [snapshot.pk])
        return {key for (key,) in cursor.fetchall()}


def _width(label: str, *, minimum: int = 8, maximum: int = 24) -> float:
    """A column width that fits a header: CJK characters take two units."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in label)
    return max(minimum, min(maximum, units + 2))


def _safe_sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31]


def _new_sheet(
    wb: Workbook, name: str, *, title: str, widths: list[float], freeze: str
) -> WriteOnlyWorksheet:
    """A sheet with its column widths and frozen panes (both must precede the first row
    in write-only mode) and the title row."""
    ws = wb.create_sheet(_safe_sheet_name(name))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = freeze
    ws.row_dimensions[TITLE_ROW].height = 24
    cell = WriteOnlyCell(ws, value=title)
    cell.font = TITLE_FONT
    ws.append([cell])
    return ws


def _header(ws: WriteOnlyWorksheet, labels: list[str]) -> None:
    cells = []
    for label in labels:
        cell = WriteOnlyCell(ws, value=label)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = HEADER_ALIGNMENT
        cells.append(cell)
    ws.append(cells)


def _score(ws: WriteOnlyWorksheet, value: Decimal | None) -> WriteOnlyCell | None:
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = SCORE_FORMAT
    return cell


class _ScoreColumns:
    """One styled cell per score column, refilled for every row: a write-only sheet writes a
    row out as it is appended, so the cells can be reused, and the style is looked up once
    per column instead of once per cell (most of a large report's cells are scores)."""

    def __init__(self, ws: WriteOnlyWorksheet, count: int) -> None:
        self.cells = [WriteOnlyCell(ws) for _ in range(count)]
        for cell in self.cells:
            cell.number_format = SCORE_FORMAT

    def fill(self, values: list[Decimal | None]) -> list[WriteOnlyCell | None]:
        out: list[WriteOnlyCell | None] = []
        for cell, value in zip(self.cells, values, strict=True):
            if value is None:
                out.append(None)
            else:
                cell.value = value
                out.append(cell)
        return out


def _filter(ws: WriteOnlyWorksheet, *, columns: int, first_row: int, data_rows: int) -> None:
    ws.auto_filter.ref = f"A{first_row}:{get_column_letter(columns)}{first_row + data_rows}"


def _ranking_sheet(
    wb: Workbook,
    snapshot: RankingSnapshot,
    *,
    name: str,
    title: str,
    indicators: list[tuple[str, str]],
    top_only: bool,
    progress: Progress,
    top_column: str | None = None,
) -> None:
    labels = [
        _("Rank"),
        _("Name"),
        _("Level"),
        _("Street"),
        _("Total score"),
        *[label for _key, label in indicators],
        _("Year-to-date total"),
        _("Stars"),
    ]
    widths: list[float] = [6, 10, 14, 14, 9, *[_width(label) for _k, label in indicators], 10, 6]
    if top_column:
        labels.append(top_column)
        widths.append(_width(top_column))
    ws = _new_sheet(wb, name, title=title, widths=widths, freeze=f"A{HEADER_ROW + 1}")
    ws.row_dimensions[HEADER_ROW].height = 32
    _header(ws, labels)

    levels = {str(value): str(label) for value, label in Deputy.Level.choices}
    yes = _("Yes")
    rows = RankingRow.objects.filter(snapshot=snapshot)
    if top_only:
        rows = rows.filter(is_top=True)
    stream = (
        rows.order_by("rank", "name_pinyin", "name", "id")
        .values_list(
            "rank",
            "name",
            "level",
            "street_committee__name",
            "total",
            "ytd_total",
            "stars",
            "is_top",
            "breakdown",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    keys = [key for key, _label in indicators]
    scores = _ScoreColumns(ws, len(keys) + 2)
    written = 0
    for rank, person, level, street, total, ytd, stars, is_top, mine in stream:
        line: list[Any] = [
            rank,
            person,
            levels.get(level, level),
            street,
            *scores.fill([total, *[mine.get(key) for key in keys], ytd]),
            stars,
        ]
        if top_column:
            line.append(yes if is_top else None)
        ws.append(line)
        written += 1
        if written % CHUNK_SIZE == 0:
            progress(CHUNK_SIZE)
    progress(written % CHUNK_SIZE)
    _filter(ws, columns=len(labels), first_row=HEADER_ROW, data_rows=written)


def _streets_sheet(
    wb: Workbook, snapshot: RankingSnapshot, *, title: str, percent: str, progress: Progress
) -> None:
    labels = [
        _("Rank"),
        _("Street"),
        _("Number of deputies"),
        _("Number in top %(percent)s%%") % {"percent": percent},
        _("Average score"),
        _("Remarks"),
    ]
    widths: list[float] = [6, 16, 10, 12, 10, 30]
    ws = _new_sheet(wb, _("Street averages"), title=title, widths=widths, freeze="A3")
    ws.row_dimensions[HEADER_ROW].height = 32
    _header(ws, labels)
    too_small = _("Fewer than 3 ranked deputies; not compared")
    stream = (
        StreetAverage.objects.filter(snapshot=snapshot)
        .order_by("rank", "street_committee__name", "id")
        .values_list(
            "rank", "street_committee__name", "deputies", "top_count", "average", "too_small"
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    written = 0
    for rank, street, deputies, top_count, average, small in stream:
        ws.append(
            [rank, street, deputies, top_count, _score(ws, average), too_small if small else None]
        )
        written += 1
    progress(written)
    _filter(ws, columns=len(labels), first_row=HEADER_ROW, data_rows=written)


def _rules_sheet(wb: Workbook, snapshot: RankingSnapshot, *, title: str) -> None:
    rule_set = snapshot.rule_set
    order = {value: index for index, value in enumerate(Indicator.values)}
    labels = dict(Indicator.choices)
    rules = sorted(
        Rule.objects.filter(rule_set=rule_set).values_list(
            "indicator", "points", "cap_per_quarter"
        ),
        key=lambda r: (order.get(r[0], len(order)), r[0]),
    )
    levels = dict(Deputy.Level.choices)
    block: list[tuple[str, Any]] = [
        (_("Rule set name"), rule_set.name),
        (_field(RuleSet, "version"), rule_set.version),
        (_field(RuleSet, "effective_from"), rule_set.effective_from),
        (_field(RuleSet, "top_fraction"), Decimal(rule_set.top_fraction)),
        (
            _field(RuleSet, "ranked_levels"),
            " / ".join(str(levels.get(v, v)) for v in rule_set.ranked_levels),
        ),
        (
            _field(RuleSet, "star_thresholds"),
            "    ".join(
                f"{'★' * stars} {threshold}"
                for stars, threshold in enumerate(rule_set.star_thresholds, start=1)
            ),
        ),
    ]
    header_row = TITLE_ROW + len(block) + 2  # the block, then one empty row
    ws = _new_sheet(
        wb, _("Scoring rules"), title=title, widths=[28, 22, 14], freeze=f"A{header_row + 1}"
    )
    for key, value in block:
        key_cell = WriteOnlyCell(ws, value=key)
        key_cell.font = KEY_FONT
        value_cell = WriteOnlyCell(ws, value=value)
        value_cell.alignment = Alignment(horizontal="left")
        if isinstance(value, Decimal):
            value_cell.number_format = "0%" if (value * 100) % 1 == 0 else "0.0%"
        elif isinstance(value, dt.date):
            value_cell.number_format = DATE_FORMAT
        ws.append([key_cell, value_cell])
    ws.append([])
    _header(ws, [_field(Rule, f) for f in ("indicator", "points", "cap_per_quarter")])
    for indicator, points, cap in rules:
        ws.append([str(labels.get(indicator, indicator)), _score(ws, points), _score(ws, cap)])
    _filter(ws, columns=3, first_row=header_row, data_rows=len(rules))
