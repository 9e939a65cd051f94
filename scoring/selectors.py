"""Reads of rankings for pages and exports; fixed query counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery

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
    """Who moved between the published version and the live ranking. One query."""
    before = RankingRow.objects.filter(snapshot=published, deputy_id=OuterRef("deputy_id"))
    rows = (
        RankingRow.objects.filter(snapshot=live)
        .annotate(
            old_total=Subquery(before.values("total")[:1]),
            old_rank=Subquery(before.values("rank")[:1]),
            old_top=Subquery(before.values("is_top")[:1]),
        )
        .exclude(total=F("old_total"), rank=F("old_rank"), is_top=F("old_top"))
        .order_by("rank", "name_pinyin")
        .values("deputy_id", "name", "total", "rank", "is_top", "old_total", "old_rank", "old_top")
    )
    changes = []
    for row in rows[:limit]:
        old_total = row["old_total"] if row["old_total"] is not None else Decimal(0)
        row["delta"] = row["total"] - old_total
        row["rank_delta"] = (row["old_rank"] - row["rank"]) if row["old_rank"] else None
        changes.append(row)
    return changes


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
