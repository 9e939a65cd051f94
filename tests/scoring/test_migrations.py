"""Migration 0003 keeps what published reports froze: their per-indicator breakdown moves
from RankingBreakdown rows onto the ranking rows, and live rankings are marked stale."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("scoring", "0002_default_rule_set")]
AFTER = [("scoring", "0003_ledger_derived_breakdown_on_rows_superseded_snapshots")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_published_breakdown_survives_and_live_quarters_are_marked(world):
    old = _migrate(BEFORE)
    try:
        Snapshot = old.get_model("scoring", "RankingSnapshot")
        Row = old.get_model("scoring", "RankingRow")
        Breakdown = old.get_model("scoring", "RankingBreakdown")
        RuleSet = old.get_model("scoring", "RuleSet")
        rule_set = RuleSet.objects.order_by("version").first()
        common = {
            "district_id": world.district.pk,
            "year": 2026,
            "quarter": 2,
            "rule_set_id": rule_set.pk,
            "computed_at": timezone.now(),
        }
        published = Snapshot.objects.create(status="published", version=1, **common)
        Snapshot.objects.create(status="live", version=0, **common)
        Row.objects.create(
            snapshot_id=published.pk,
            deputy_id=world.deputy_a.pk,
            name="张三",
            name_pinyin="zhangsan",
            level="district",
            total=Decimal("42.00"),
            ytd_total=Decimal("42.00"),
            rank=1,
        )
        for indicator, points in (("weekly_visit", "39.00"), ("training", "3.00")):
            Breakdown.objects.create(
                snapshot_id=published.pk,
                deputy_id=world.deputy_a.pk,
                indicator=indicator,
                points=Decimal(points),
            )
    finally:
        _migrate(AFTER)

    from scoring.models import DirtyPeriod, RankingRow

    row = RankingRow.objects.get(snapshot__status="published", deputy=world.deputy_a)
    assert row.breakdown == {"weekly_visit": Decimal("39"), "training": Decimal("3")}
    assert sum(row.breakdown.values()) == row.total
    assert DirtyPeriod.objects.filter(district=world.district, year=2026, quarter=2).exists()
