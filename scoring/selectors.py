"""Reads of rankings for pages and exports; fixed query counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from congress.indicators import Indicator
from congress.models import District
from congress.periods import Quarter

from .models import RankingRow, RankingSnapshot, Rule

TWO_PLACES = Decimal("0.01")


def live_snapshot(*, district: District, quarter: Quarter) -> RankingSnapshot | None:
    return (
        RankingSnapshot.objects.filter(
            district=district,
            year=quarter.year,
            quarter=quarter.number,
            status=RankingSnapshot.Status.LIVE,
        )
        .select_related("rule_set")
        .first()
    )


def published_snapshots(*, district: District, quarter: Quarter) -> QuerySet[RankingSnapshot]:
    return (
        RankingSnapshot.objects.filter(
            district=district,
            year=quarter.year,
            quarter=quarter.number,
            status=RankingSnapshot.Status.PUBLISHED,
        )
        .select_related("published_by", "rule_set")
        .order_by("-version")
    )


def indicator_columns(snapshot: RankingSnapshot) -> list[tuple[str, str]]:
    """The indicators of the snapshot's rule set, in the registry's order, plus adjustments."""
    in_set = set(
        Rule.objects.filter(rule_set=snapshot.rule_set).values_list("indicator", flat=True)
    )
    return [
        (value, str(label))
        for value, label in Indicator.choices
        if value in in_set or value == Indicator.ADJUSTMENT
    ]


def breakdown_cells(row: RankingRow, columns: list[tuple[str, str]]) -> list[Decimal | None]:
    """A row's capped points in the order of ``columns`` (None where it has none)."""
    return [
        Decimal(row.breakdown[key]).quantize(TWO_PLACES) if key in row.breakdown else None
        for key, _label in columns
    ]


def ranking_changes(
    *, live: RankingSnapshot, published: RankingSnapshot, limit: int = 50
) -> list[dict[str, Any]]:
    """Who moved between the published version and the live ranking: one join of the two
    snapshots' rows (a hash join at province scale), best rank first."""
    table = RankingRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT l.deputy_id, l.name, l.total, l.rank, l.is_top, p.total, p.rank, p.is_top
            FROM {table} l
            LEFT JOIN {table} p ON p.snapshot_id = %s AND p.deputy_id = l.deputy_id
            WHERE l.snapshot_id = %s
              AND (p.id IS NULL OR l.total <> p.total OR l.rank <> p.rank
                   OR l.is_top <> p.is_top)
            ORDER BY l.rank, l.name_pinyin, l.id
            LIMIT %s
            """,
            [published.pk, live.pk, limit],
        )
        found = cursor.fetchall()
    changes = []
    for deputy_id, name, total, rank, is_top, old_total, old_rank, old_top in found:
        total = _decimal(total)
        old = _decimal(old_total) if old_total is not None else None
        changes.append(
            {
                "deputy_id": deputy_id,
                "name": name,
                "total": total,
                "rank": rank,
                "is_top": bool(is_top),
                "old_total": old,
                "old_rank": old_rank,
                "old_top": bool(old_top) if old_top is not None else None,
                "delta": total - (old or Decimal(0)),
                "rank_delta": (old_rank - rank) if old_rank else None,
            }
        )
    return changes


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(TWO_PLACES)


def distribution(snapshot: RankingSnapshot, buckets: int = 10) -> dict[str, list[Any]]:
    """A histogram of totals for the chart: equal-width buckets from min to max."""
    totals = [
        float(t)
        for t in RankingRow.objects.filter(snapshot=snapshot).values_list("total", flat=True)
    ]
    if not totals:
        return {"labels": [], "counts": []}
    low, high = min(totals), max(totals)
    width = max((high - low) / buckets, 1.0)
    counts = [0] * buckets
    for t in totals:
        counts[min(int((t - low) / width), buckets - 1)] += 1
    labels = [f"{low + i * width:.0f}–{low + (i + 1) * width:.0f}" for i in range(buckets)]
    return {"labels": labels, "counts": counts}


def quarter_room(row: RankingRow) -> list[tuple[str, Decimal]]:
    """What still counts this quarter: for each capped indicator that earns points, how many
    more points the cap allows, given the row's (capped) breakdown. Indicators at their cap
    are left out. One query (the rules)."""
    labels = dict(Indicator.choices)
    room = []
    rules = Rule.objects.filter(
        rule_set_id=row.snapshot.rule_set_id, cap_per_quarter__isnull=False, points__gt=0
    )
    order = {value: i for i, value in enumerate(Indicator.values)}
    for rule in sorted(rules, key=lambda r: order.get(r.indicator, len(order))):
        if rule.cap_per_quarter is None:
            continue
        earned = max(Decimal(row.breakdown.get(rule.indicator, 0)), Decimal(0))
        left = rule.cap_per_quarter - earned
        if left > 0:
            room.append((str(labels.get(rule.indicator, rule.indicator)), left))
    return room
