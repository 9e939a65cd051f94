"""Rankings: rule-set versions, the recompute, publishing, the purge of superseded
snapshots, adjustments and the dirty marks that trigger recomputes."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import District
from congress.periods import Quarter
from deputies.models import Deputy, DeputyQuerySet, StreetMembership

from ..ledger import per_indicator_sql
from ..models import (
    DirtyPeriod,
    RankingRow,
    RankingSnapshot,
    RuleSet,
    ScoreAdjustment,
    StreetAverage,
)

logger = logging.getLogger(__name__)
TWO_PLACES = Decimal("0.01")


def rule_set_for(*, district: District, quarter: Quarter) -> RuleSet:
    rule_set = RuleSet.objects.in_force(district=district, on=quarter.start)
    if rule_set is None:
        raise ValidationError(_("No scoring rule set is in force for %(q)s.") % {"q": quarter})
    return rule_set


def rule_set_is_frozen(rule_set: RuleSet) -> bool:
    """Whether a published report (通报) was scored with this set: then it must not change."""
    return RankingSnapshot.objects.filter(
        rule_set=rule_set, status=RankingSnapshot.Status.PUBLISHED
    ).exists()


@transaction.atomic
def rule_set_new_version(*, source: RuleSet, effective_from: dt.date) -> RuleSet:
    """A copy of ``source`` and its rules as the next version of the same scope (one
    district's or the default), in force from ``effective_from``."""
    latest = RuleSet.objects.filter(district=source.district).aggregate(v=Max("version"))["v"] or 0
    created = RuleSet(
        district=source.district,
        version=latest + 1,
        name=source.name,
        effective_from=effective_from,
        top_fraction=source.top_fraction,
        ranked_levels=list(source.ranked_levels),
        star_thresholds=list(source.star_thresholds),
        notes=_("Copied from version %(v)s.") % {"v": source.version},
    )
    created.full_clean()
    created.save()
    for rule in source.rules.all():
        rule.pk = None
        rule.rule_set = created
        rule.save()
    rule_sets_mark_dirty(rule_set=created)
    return created


def rule_sets_mark_dirty(*, rule_set: RuleSet) -> None:
    """Mark stale every live quarter scored with ``rule_set`` or starting on or after its
    ``effective_from`` in the districts it covers: either may now score differently."""
    live = RankingSnapshot.objects.filter(status=RankingSnapshot.Status.LIVE)
    used = live.filter(rule_set=rule_set)
    covered = live.filter(
        Q(year__gt=rule_set.effective_from.year)
        | Q(
            year=rule_set.effective_from.year,
            quarter__gte=Quarter.containing(rule_set.effective_from).number,
        )
    )
    if rule_set.district_id:
        covered = covered.filter(district_id=rule_set.district_id)
    now = timezone.now()
    for district_id, year, quarter in sorted(
        set(used.values_list("district_id", "year", "quarter"))
        | set(covered.values_list("district_id", "year", "quarter"))
    ):
        if _mark(district_id=district_id, year=year, quarter=quarter, now=now):
            transaction.on_commit(partial(_enqueue, district_id, Quarter(year, quarter)))


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


def ranked_population(*, district: District, quarter: Quarter, rule_set: RuleSet) -> DeputyQuerySet:
    """Deputies of the ranked levels in office on at least one day of the quarter."""
    return Deputy.objects.filter(
        district=district, level__in=rule_set.ranked_levels
    ).active_between(quarter.start, quarter.end)


def _json_breakdown_sql() -> tuple[str, str]:
    """The aggregate that builds the breakdown object, and the empty object, per vendor."""
    if connection.vendor == "postgresql":
        return "jsonb_object_agg(c.indicator, c.pts)", "'{}'::jsonb"
    # SQLite sums in floating point: round like the DecimalField columns are.
    return "json_group_object(c.indicator, ROUND(c.pts, 2))", "'{}'"


def _snapshot_rank(
    snapshot: RankingSnapshot, *, district: District, quarter: Quarter, rule_set: RuleSet
) -> None:
    """Fill a snapshot's rows and street averages straight from the sources.

    One statement ranks the whole population: the calculators' entries aggregated per
    deputy and indicator (caps applied), summed per deputy with the breakdown beside the
    total, competition-ranked, with the street, year to date, top flag and stars.
    """
    population = ranked_population(district=district, quarter=quarter, rule_set=rule_set)
    n = population.count()
    k = math.ceil(Decimal(rule_set.top_fraction) * n) if n else 0
    snapshot.population, snapshot.top_k = n, k
    snapshot.save(update_fields=["population", "top_k"])

    pop_sql, pop_params = (
        population.order_by().values("id", "name", "name_pinyin", "level").query.sql_with_params()
    )
    per_sql, per_params = per_indicator_sql(district=district, quarter=quarter, rule_set=rule_set)
    json_agg, empty_json = _json_breakdown_sql()
    stars = (
        " + ".join(
            "(CASE WHEN t.total + COALESCE(y.ytd, 0) >= %s THEN 1 ELSE 0 END)"
            for _t in rule_set.star_thresholds
        )
        or "0"
    )
    # Plain numbers: SQLite compares a Decimal parameter as text.
    star_params = [float(t) for t in rule_set.star_thresholds]
    rows = RankingRow._meta.db_table
    snap = RankingSnapshot._meta.db_table
    membership = StreetMembership._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {rows}
                (snapshot_id, deputy_id, street_committee_id, name, name_pinyin, level,
                 total, ytd_total, rank, is_top, stars, breakdown)
            SELECT %s, t.id, t.street_id, t.name, t.name_pinyin, t.level,
                   t.total, t.total + COALESCE(y.ytd, 0), t.rnk,
                   CASE WHEN t.rnk <= %s AND t.total > 0 THEN 1 ELSE 0 END = 1,
                   {stars}, COALESCE(t.breakdown, {empty_json})
            FROM (
                SELECT d.id, d.name, d.name_pinyin, d.level,
                       (SELECT m.street_committee_id FROM {membership} m
                         WHERE m.deputy_id = d.id AND m.start_date <= %s
                         ORDER BY m.start_date DESC LIMIT 1) AS street_id,
                       COALESCE(s.total, 0) AS total, s.breakdown,
                       RANK() OVER (ORDER BY COALESCE(s.total, 0) DESC) AS rnk
                FROM ({pop_sql}) d
                LEFT JOIN (SELECT c.deputy_id, SUM(c.pts) AS total, {json_agg} AS breakdown
                           FROM ({per_sql}) c GROUP BY c.deputy_id) s ON s.deputy_id = d.id
            ) t
            LEFT JOIN (
                SELECT r.deputy_id, SUM(r.total) AS ytd FROM {rows} r
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
                *pop_params,
                *per_params,
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
        .order_by()
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
    """Rank a quarter from its sources as a new live snapshot, in one transaction.

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
    # The previous live snapshot stays readable (superseded) for pages and exports that
    # looked it up before this commit; ranking_snapshots_purge removes it later.
    RankingSnapshot.objects.filter(
        district=district,
        year=period.year,
        quarter=period.number,
        status=RankingSnapshot.Status.LIVE,
    ).update(status=RankingSnapshot.Status.SUPERSEDED, superseded_at=now)
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
        "breakdown",
    ]
    _copy(RankingRow, live, published, fields)
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


SUPERSEDED_GRACE = dt.timedelta(minutes=15)


def ranking_snapshots_purge(*, now: dt.datetime | None = None) -> int:
    """Delete live snapshots superseded more than a grace period ago (long enough for any
    page or export that started on one to finish). Returns how many were deleted."""
    cutoff = (now or timezone.now()) - SUPERSEDED_GRACE
    stale = RankingSnapshot.objects.filter(
        status=RankingSnapshot.Status.SUPERSEDED, superseded_at__lt=cutoff
    )
    count = 0
    for pk in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            RankingRow.objects.filter(snapshot_id=pk).delete()
            StreetAverage.objects.filter(snapshot_id=pk).delete()
            RankingSnapshot.objects.filter(pk=pk).delete()
        count += 1
    return count


# --- Dirty marks and the recompute trigger -------------------------------------------


# A mark older than this whose recompute never ran (the broker was down, a worker died):
# the next write asks again instead of waiting for the periodic catch-up.
PENDING_TOO_LONG = dt.timedelta(minutes=1)


def _mark(*, district_id: int, year: int, quarter: int, now: dt.datetime) -> bool:
    """Mark one quarter stale, in the caller's transaction. Returns whether the caller
    should ask for a recompute: only when no recompute is pending for the quarter yet.

    The mark itself is the coalescing: while it exists, a recompute is pending, and that
    recompute deletes the mark as it starts. An existing mark is locked until the caller
    commits, so the recompute's delete waits for this write and its ranking reads it.
    """
    key = {"district_id": district_id, "year": year, "quarter": quarter}
    for _attempt in range(3):
        mark = DirtyPeriod.objects.select_for_update().filter(**key).first()
        if mark is not None:
            if now - mark.marked_at <= PENDING_TOO_LONG:
                return False
            mark.marked_at = now
            mark.save(update_fields=["marked_at"])
            return True
        try:
            with transaction.atomic():
                DirtyPeriod.objects.create(**key, marked_at=now)
            return True
        except IntegrityError:
            continue  # another writer marked it meanwhile: lock theirs
    return True


def period_mark_dirty(*, district_id: int, day: dt.date) -> None:
    """Mark the quarter of ``day`` stale, in the caller's transaction, and ask for a
    recompute once that transaction commits unless one is pending already."""
    period = Quarter.containing(day)
    now = timezone.now()
    # Later quarters of the year carry this one in their year-to-date totals and stars;
    # the recompute of this quarter catches up with them, in order.
    later = set(
        RankingSnapshot.objects.filter(
            district_id=district_id,
            year=period.year,
            quarter__gt=period.number,
            status=RankingSnapshot.Status.LIVE,
        ).values_list("quarter", flat=True)
    )
    ask = _mark(district_id=district_id, year=period.year, quarter=period.number, now=now)
    for number in sorted(later):
        _mark(district_id=district_id, year=period.year, quarter=number, now=now)
    if ask:
        transaction.on_commit(partial(_enqueue, district_id, period))


def _enqueue(district_id: int, period: Quarter) -> None:
    """Send the recompute task. A broker outage is logged and left to the periodic
    catch-up (or the next write after a minute): the dirty mark is already saved."""
    from ..tasks import ranking_recompute_task

    try:
        ranking_recompute_task.apply_async(args=(district_id, period.year, period.number))
    except Exception:
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
