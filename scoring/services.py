"""Writes of the scoring app: the ledger rebuild, the ranking recompute, publishing,
adjustments and the dirty marks that trigger recomputes."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import District
from congress.periods import Quarter
from deputies.models import Deputy, DeputyQuerySet

from .calculators import COLUMNS, REGISTRY, Context
from .models import (
    DirtyPeriod,
    RankingBreakdown,
    RankingRow,
    RankingSnapshot,
    RuleSet,
    ScoreAdjustment,
    ScoreEntry,
    StreetAverage,
)

logger = logging.getLogger(__name__)
TWO_PLACES = Decimal("0.01")


def rule_set_for(*, district: District, quarter: Quarter) -> RuleSet:
    rule_set = RuleSet.objects.in_force(district=district, on=quarter.start)
    if rule_set is None:
        raise ValidationError(_("No scoring rule set is in force for %(q)s.") % {"q": quarter})
    return rule_set


@contextmanager
def _single_flight(district_id: int, quarter: Quarter) -> Iterator[None]:
    """Hold a lock for one district's quarter for the rest of the transaction.

    PostgreSQL: a transaction-level advisory lock, so a second recompute of the same
    quarter waits for the first and then runs on its committed result. SQLite allows one
    writer at a time, which serialises recomputes by itself.
    """
    if connection.vendor == "postgresql":
        digest = hashlib.blake2b(
            f"ranking:{district_id}:{quarter}".encode(), digest_size=8
        ).digest()
        key = int.from_bytes(digest, "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    yield


def ledger_rebuild(*, district: District, quarter: Quarter, rule_set: RuleSet) -> int:
    """Replace the quarter's ledger with what the sources say now. Set-based: one
    ``INSERT ... SELECT`` per registered calculator. Returns the number of entries."""
    ScoreEntry.objects.filter(district=district, year=quarter.year, quarter=quarter.number).delete()
    ctx = Context(district=district, quarter=quarter, rule_set=rule_set)
    table = ScoreEntry._meta.db_table
    with connection.cursor() as cursor:
        for calculator in REGISTRY.values():
            select_sql, params = calculator(ctx).query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {table} (district_id, year, quarter, rule_set_id, deputy_id, date, "
                "indicator, points, source_type, source_id) "
                f"SELECT %s, %s, %s, %s, {', '.join(f'src.{c}' for c in COLUMNS)} "
                f"FROM ({select_sql}) src",
                [district.pk, quarter.year, quarter.number, rule_set.pk, *params],
            )
    return ScoreEntry.objects.filter(
        district=district, year=quarter.year, quarter=quarter.number
    ).count()


def ranked_population(*, district: District, quarter: Quarter, rule_set: RuleSet) -> DeputyQuerySet:
    """Deputies of the ranked levels in office on at least one day of the quarter."""
    return Deputy.objects.filter(
        district=district, level__in=rule_set.ranked_levels
    ).active_between(quarter.start, quarter.end)


_CAPPED_SQL = """
    SELECT p.deputy_id AS deputy_id, p.indicator AS indicator,
           (CASE WHEN r.cap_per_quarter IS NOT NULL AND p.pos > r.cap_per_quarter
                 THEN r.cap_per_quarter ELSE p.pos END) + p.neg AS pts
    FROM (
        SELECT e.deputy_id, e.indicator,
               SUM(CASE WHEN e.points > 0 THEN e.points ELSE 0 END) AS pos,
               SUM(CASE WHEN e.points < 0 THEN e.points ELSE 0 END) AS neg
        FROM {entry} e
        WHERE e.district_id = %s AND e.year = %s AND e.quarter = %s
        GROUP BY e.deputy_id, e.indicator
    ) p
    LEFT JOIN {rule} r ON r.rule_set_id = %s AND r.indicator = p.indicator
"""


def _capped(district: District, quarter: Quarter, rule_set: RuleSet) -> tuple[str, list[Any]]:
    from .models import Rule

    sql = _CAPPED_SQL.format(entry=ScoreEntry._meta.db_table, rule=Rule._meta.db_table)
    return sql, [district.pk, quarter.year, quarter.number, rule_set.pk]


def _snapshot_rank(
    snapshot: RankingSnapshot, *, district: District, quarter: Quarter, rule_set: RuleSet
) -> None:
    """Fill a snapshot's rows, breakdown and street averages from the quarter's ledger."""
    population = ranked_population(district=district, quarter=quarter, rule_set=rule_set)
    pop_sql, pop_params = population.values("id").query.sql_with_params()
    capped_sql, capped_params = _capped(district, quarter, rule_set)
    n = population.count()
    k = math.ceil(Decimal(rule_set.top_fraction) * n) if n else 0
    snapshot.population, snapshot.top_k = n, k
    snapshot.save(update_fields=["population", "top_k"])

    # Breakdown: one row per deputy and indicator, capped.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RankingBreakdown._meta.db_table} (snapshot_id, deputy_id, indicator, "
            f"points) SELECT %s, c.deputy_id, c.indicator, c.pts FROM ({capped_sql}) c "
            f"WHERE c.deputy_id IN ({pop_sql})",
            [snapshot.pk, *capped_params, *pop_params],
        )

    # Year to date: the live totals of the earlier quarters of the year, plus this one.
    earlier = RankingRow._meta.db_table
    snap = RankingSnapshot._meta.db_table
    stars = (
        " + ".join(
            "(CASE WHEN t.total + COALESCE(y.ytd, 0) >= %s THEN 1 ELSE 0 END)"
            for _t in rule_set.star_thresholds
        )
        or "0"
    )
    # Plain numbers: SQLite compares a Decimal parameter as text.
    star_params = [float(t) for t in rule_set.star_thresholds]
    deputy = Deputy._meta.db_table
    membership = "deputies_streetmembership"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {RankingRow._meta.db_table}
                (snapshot_id, deputy_id, street_committee_id, name, name_pinyin, level,
                 total, ytd_total, rank, is_top, stars)
            SELECT %s, t.id, t.street_id, t.name, t.name_pinyin, t.level,
                   t.total, t.total + COALESCE(y.ytd, 0), t.rnk,
                   CASE WHEN t.rnk <= %s AND t.total > 0 THEN 1 ELSE 0 END = 1,
                   {stars}
            FROM (
                SELECT d.id, d.name, d.name_pinyin, d.level,
                       (SELECT m.street_committee_id FROM {membership} m
                         WHERE m.deputy_id = d.id AND m.start_date <= %s
                         ORDER BY m.start_date DESC LIMIT 1) AS street_id,
                       COALESCE(s.total, 0) AS total,
                       RANK() OVER (ORDER BY COALESCE(s.total, 0) DESC) AS rnk
                FROM {deputy} d
                LEFT JOIN (SELECT c.deputy_id, SUM(c.pts) AS total FROM ({capped_sql}) c
                           GROUP BY c.deputy_id) s ON s.deputy_id = d.id
                WHERE d.id IN ({pop_sql})
            ) t
            LEFT JOIN (
                SELECT r.deputy_id, SUM(r.total) AS ytd FROM {earlier} r
                JOIN {snap} sn ON sn.id = r.snapshot_id
                WHERE sn.district_id = %s AND sn.status = 'live' AND sn.year = %s
                  AND sn.quarter < %s
                GROUP BY r.deputy_id
            ) y ON y.deputy_id = t.id
            """,
            [
                snapshot.pk,
                k,
                *star_params,
                quarter.end,
                *capped_params,
                *pop_params,
                district.pk,
                quarter.year,
                quarter.number,
            ],
        )

    # Street averages: a handful of rows, rounded half-up in Decimal like the report.
    groups = (
        RankingRow.objects.filter(snapshot=snapshot, street_committee__isnull=False)
        .values("street_committee_id")
        .annotate(n=Count("id"), total=Sum("total"), top=Count("id", filter=Q(is_top=True)))
    )
    averages = [
        StreetAverage(
            snapshot=snapshot,
            street_committee_id=g["street_committee_id"],
            deputies=g["n"],
            top_count=g["top"],
            average=(Decimal(g["total"]) / g["n"]).quantize(TWO_PLACES, ROUND_HALF_UP),
            rank=0,
            too_small=g["n"] < 3,
        )
        for g in groups
    ]
    averages.sort(key=lambda a: a.average, reverse=True)
    for position, avg in enumerate(averages, start=1):
        earlier_equal = position > 1 and averages[position - 2].average == avg.average
        avg.rank = averages[position - 2].rank if earlier_equal else position
    StreetAverage.objects.bulk_create(averages)


@transaction.atomic
def ranking_recompute(
    *, district: District, year: int, quarter: int, now: dt.datetime | None = None
) -> RankingSnapshot:
    """Rebuild a quarter's ledger and its live ranking in one transaction.

    Idempotent (the same data gives the same rows) and single-flight per quarter. Readers
    see the previous live snapshot until this transaction commits, then the new one.
    """
    period = Quarter(year, quarter)
    now = now or timezone.now()
    with _single_flight(district.pk, period):
        DirtyPeriod.objects.filter(district=district, year=year, quarter=quarter).delete()
        # Year to date needs the earlier quarters of the year ranked too.
        for earlier in range(1, quarter):
            if not RankingSnapshot.objects.filter(
                district=district, year=year, quarter=earlier, status=RankingSnapshot.Status.LIVE
            ).exists():
                _recompute_one(district, Quarter(year, earlier), now)
        return _recompute_one(district, period, now)


def _recompute_one(district: District, period: Quarter, now: dt.datetime) -> RankingSnapshot:
    rule_set = rule_set_for(district=district, quarter=period)
    ledger_rebuild(district=district, quarter=period, rule_set=rule_set)
    RankingSnapshot.objects.filter(
        district=district,
        year=period.year,
        quarter=period.number,
        status=RankingSnapshot.Status.LIVE,
    ).delete()
    snapshot = RankingSnapshot.objects.create(
        district=district,
        year=period.year,
        quarter=period.number,
        status=RankingSnapshot.Status.LIVE,
        version=0,
        rule_set=rule_set,
        computed_at=now,
    )
    _snapshot_rank(snapshot, district=district, quarter=period, rule_set=rule_set)
    return snapshot


@transaction.atomic
def ranking_publish(*, district: District, year: int, quarter: int, by: Any) -> RankingSnapshot:
    """Freeze the live ranking as the next published version (通报)."""
    live = (
        RankingSnapshot.objects.select_for_update()
        .filter(district=district, year=year, quarter=quarter, status=RankingSnapshot.Status.LIVE)
        .first()
    )
    if live is None:
        raise ValidationError(_("There is no ranking for this quarter yet; recompute it first."))
    version = (
        RankingSnapshot.objects.filter(
            district=district,
            year=year,
            quarter=quarter,
            status=RankingSnapshot.Status.PUBLISHED,
        ).aggregate(v=Max("version"))["v"]
        or 0
    ) + 1
    published = RankingSnapshot.objects.create(
        district=district,
        year=year,
        quarter=quarter,
        status=RankingSnapshot.Status.PUBLISHED,
        version=version,
        rule_set=live.rule_set,
        computed_at=live.computed_at,
        published_at=timezone.now(),
        published_by=by,
        population=live.population,
        top_k=live.top_k,
    )
    # Copy the frozen rows database-side.
    fields = [
        "deputy_id",
        "street_committee_id",
        "name",
        "name_pinyin",
        "level",
        "total",
        "ytd_total",
        "rank",
        "is_top",
        "stars",
    ]
    _copy(RankingRow, live, published, fields)
    _copy(RankingBreakdown, live, published, ["deputy_id", "indicator", "points"])
    _copy(
        StreetAverage,
        live,
        published,
        ["street_committee_id", "deputies", "top_count", "average", "rank", "too_small"],
    )
    return published


def _copy(model: Any, source: RankingSnapshot, target: RankingSnapshot, fields: list[str]) -> None:
    table = model._meta.db_table
    columns = ", ".join(fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (snapshot_id, {columns}) SELECT %s, {columns} FROM {table} "
            "WHERE snapshot_id = %s",
            [target.pk, source.pk],
        )


# --- Dirty marks and the recompute trigger -------------------------------------------


def period_mark_dirty(*, district_id: int, day: dt.date) -> None:
    """Mark the quarter of ``day`` stale, in the caller's transaction, and ask for a
    recompute once that transaction commits."""
    period = Quarter.containing(day)
    now = timezone.now()
    # Later quarters of the year carry this one in their year-to-date totals and stars.
    later = set(
        RankingSnapshot.objects.filter(
            district_id=district_id,
            year=period.year,
            quarter__gt=period.number,
            status=RankingSnapshot.Status.LIVE,
        ).values_list("quarter", flat=True)
    )
    for number in sorted({period.number, *later}):
        DirtyPeriod.objects.update_or_create(
            district_id=district_id, year=period.year, quarter=number, defaults={"marked_at": now}
        )
    transaction.on_commit(lambda: _enqueue(district_id, period))


def _enqueue(district_id: int, period: Quarter) -> None:
    """Send the recompute task; bursts within a few seconds coalesce into one run. A broker
    outage is logged and left to the periodic catch-up: the dirty mark is already saved."""
    from django.core.cache import cache

    from .tasks import ranking_recompute_task

    key = f"ranking-queued:{district_id}:{period}"
    try:
        if not cache.add(key, 1, timeout=5):
            return
        ranking_recompute_task.apply_async(
            args=(district_id, period.year, period.number), countdown=2
        )
    except Exception:
        cache.delete(key)
        logger.warning(
            "Could not enqueue the recompute of %s %s; catch-up will do it.",
            district_id,
            period,
            exc_info=True,
        )


def dirty_periods_recompute(*, limit: int = 50) -> int:
    """Recompute every quarter marked dirty (the catch-up after a broker outage)."""
    done = 0
    # Earlier quarters first: later ones read their totals for the year to date.
    marks = DirtyPeriod.objects.select_related("district").order_by("year", "quarter", "pk")
    for mark in list(marks[:limit]):
        ranking_recompute(district=mark.district, year=mark.year, quarter=mark.quarter)
        done += 1
    return done


@transaction.atomic
def score_adjustment_create(
    *, deputy: Deputy, date: dt.date, points: Decimal, reason: str, by: Any
) -> ScoreAdjustment:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    if not points:
        raise ValidationError({"points": _("An adjustment cannot be zero.")})
    adjustment = ScoreAdjustment(
        deputy=deputy, date=date, points=points, reason=reason, created_by=by
    )
    adjustment.full_clean()
    adjustment.save()
    period_mark_dirty(district_id=deputy.district_id, day=date)
    return adjustment
