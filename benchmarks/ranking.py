#!/usr/bin/env python
"""Benchmark of the quarterly ranking: recompute and Excel export, each against its floor.

Not a timed test. It builds a synthetic district on the configured database (its own
District ``BENCH-<n>``; nothing of the developer's is read or changed), then times

- the recompute, ``scoring.services.ranking_recompute``, against one hand-written SQL
  statement computing the same capped totals and competition ranks straight from the duty
  records (the results are compared row for row; a difference aborts the run);
- the export, ``scoring.exports.quarterly_report_write``, against a bare openpyxl
  write-only loop writing as many rows and columns of plain values from one
  ``values_list`` iterator. Each export runs in a fresh subprocess so its peak RSS is its
  own; the Python peak comes from tracemalloc in a separate, untimed run.

It prints one JSON object on stdout (progress goes to stderr) and deletes what it built
unless ``--keep``. See benchmarks/README.md.

    .venv/bin/python benchmarks/ranking.py --deputies 300 --records 10000
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/ranking.py --deputies 200000 --records 10000000 --repeat 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
CODE_PREFIX = "BENCH-"
FLOOR_TABLE = "bench_ranking_floor"
MB = 1024 * 1024

# Share of the duty records per duty type code (the default types of migration 0003).
TYPE_WEIGHTS = {
    "weekly_visit": 30,
    "station_reception": 15,
    "contact_day": 10,
    "inspection": 10,
    "training": 10,
    "opinion": 10,
    "session": 5,
    "other": 5,
    "report_to_voters": 3,
    "research_report": 2,
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉斌"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings.local")
    # DEBUG keeps every SQL string of the process in connection.queries: megabytes of
    # bulk inserts that would distort the memory figures.
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()


def max_rss_mb() -> float:
    """The process's peak resident set so far (getrusage; KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _proc_status_mb(key: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def rss_baseline() -> float:
    """Start a peak-RSS measurement: reset the kernel's high-water mark where Linux allows
    it (getrusage's peak cannot be reset, and the imports may have peaked above the current
    RSS), and return the current RSS."""
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    current = _proc_status_mb("VmRSS")
    return current if current is not None else max_rss_mb()


def rss_peak() -> float:
    peak = _proc_status_mb("VmHWM")
    return peak if peak is not None else max_rss_mb()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


# --- The synthetic district ----------------------------------------------------------


@dataclass
class Bench:
    district_id: int
    code: str
    year: int
    quarter: int
    deputies: int
    records: int
    streets: int
    build_s: float = 0.0
    deputy_ids: list[int] = field(default_factory=list)


def record_counts(n: int, total: int, rng: random.Random, eligible: Sequence[bool]) -> list[int]:
    """How many records each deputy has: about one in ten none at all, the rest a skewed
    (log-normal) share, scaled so the counts add up to ``total`` exactly."""
    weights = [rng.lognormvariate(0, 0.9) if ok and rng.random() >= 0.1 else 0.0 for ok in eligible]
    mass = sum(weights) or 1.0
    counts = [int(w * total / mass) for w in weights]
    short = total - sum(counts)
    by_weight = sorted(range(n), key=lambda i: weights[i], reverse=True)
    for i in range(short):
        counts[by_weight[i % len(by_weight)]] += 1
    return counts


def type_slots() -> list[int]:
    """Duty type ids repeated by weight: a record's type is ``slots[hash % len(slots)]``."""
    from deputies.models import DutyType

    ids = dict(DutyType.objects.filter(code__in=TYPE_WEIGHTS).values_list("code", "id"))
    missing = set(TYPE_WEIGHTS) - set(ids)
    if missing:
        raise SystemExit(f"Duty types missing (migration 0003 not applied?): {sorted(missing)}")
    return [ids[code] for code, weight in TYPE_WEIGHTS.items() for _ in range(weight)]


def build(args: argparse.Namespace) -> Bench:
    from django.db import connection, transaction
    from django.utils import timezone

    from congress.models import District, StreetCommittee, Term
    from congress.periods import Quarter
    from deputies.models import Deputy, StreetMembership

    started = time.perf_counter()
    rng = random.Random(args.seed)
    period = Quarter(args.year, args.quarter)
    code = f"{CODE_PREFIX}{os.getpid()}{int(time.time()) % 100000}"
    term_start = dt.date(args.year - 1, 1, 1)
    left_before = period.start - dt.timedelta(days=10)
    left_during = period.start + dt.timedelta(days=40)
    now = timezone.now()

    with transaction.atomic():
        district = District.objects.create(
            code=code, name=f"基准区{code[-6:]}", committee_name=f"基准区{code[-6:]}人大常委会"
        )
        term = Term.objects.create(
            district=district, number=1, name="第一届", start_date=term_start
        )
        streets = StreetCommittee.objects.bulk_create(
            StreetCommittee(
                district=district, code=f"S{i:05d}", name=f"第{i + 1}街道", sort_order=i % 30000
            )
            for i in range(args.streets)
        )
    street_ids = [s.pk for s in streets]
    bench = Bench(
        district.pk, code, args.year, args.quarter, args.deputies, args.records, args.streets
    )
    log(f"district {code} (id {district.pk}); {args.deputies} deputies ...")

    # Deputies: ~3% city level (not ranked), ~2% left before the quarter (not ranked),
    # ~1% left during it (ranked).
    kinds: list[str] = []
    for _ in range(args.deputies):
        roll = rng.random()
        kinds.append(
            "city"
            if roll < 0.03
            else "gone"
            if roll < 0.05
            else "leaving"
            if roll < 0.06
            else "ranked"
        )
    chunk = 5000
    for lo in range(0, args.deputies, chunk):
        batch = []
        for i in range(lo, min(lo + chunk, args.deputies)):
            kind = kinds[i]
            left_on = left_before if kind == "gone" else left_during if kind == "leaving" else None
            batch.append(
                Deputy(
                    district=district,
                    term=term,
                    name=SURNAMES[rng.randrange(len(SURNAMES))]
                    + "".join(GIVEN[rng.randrange(len(GIVEN))] for _ in range(rng.choice((1, 2)))),
                    name_pinyin=f"bench {i:07d}",
                    gender=rng.choice(("male", "female")),
                    level="city" if kind == "city" else "district",
                    elected_on=term_start,
                    left_on=left_on,
                    status="left" if left_on else "active",
                )
            )
        created = Deputy.objects.bulk_create(batch)
        bench.deputy_ids.extend(d.pk for d in created)
    if len(bench.deputy_ids) != args.deputies or None in bench.deputy_ids:
        bench.deputy_ids = list(
            Deputy.objects.filter(district=district).order_by("id").values_list("id", flat=True)
        )

    # Memberships: one street each; one in twenty moved street a month before the quarter.
    moved_on = period.start - dt.timedelta(days=30)
    for lo in range(0, args.deputies, chunk):
        batch_m = []
        for i in range(lo, min(lo + chunk, args.deputies)):
            deputy_id, street = bench.deputy_ids[i], street_ids[i % len(street_ids)]
            end = (
                left_before
                if kinds[i] == "gone"
                else left_during
                if kinds[i] == "leaving"
                else None
            )
            if i % 20 == 7 and len(street_ids) > 1 and kinds[i] != "gone":
                previous = street_ids[(i + 1) % len(street_ids)]
                batch_m.append(
                    StreetMembership(
                        deputy_id=deputy_id,
                        street_committee_id=previous,
                        start_date=term_start,
                        end_date=moved_on,
                    )
                )
                batch_m.append(
                    StreetMembership(
                        deputy_id=deputy_id,
                        street_committee_id=street,
                        start_date=moved_on + dt.timedelta(days=1),
                        end_date=end,
                    )
                )
            else:
                batch_m.append(
                    StreetMembership(
                        deputy_id=deputy_id,
                        street_committee_id=street,
                        start_date=term_start,
                        end_date=end,
                    )
                )
        StreetMembership.objects.bulk_create(batch_m)

    counts = record_counts(args.deputies, args.records, rng, [k != "gone" for k in kinds])
    slots = type_slots()
    days = (period.end - period.start).days + 1
    log(f"{args.records} duty records over {days} days and {len(set(slots))} duty types ...")
    if connection.vendor == "postgresql":
        _records_postgresql(bench.deputy_ids, counts, slots, period.start, days, now)
        with connection.cursor() as cursor:
            for table in ("deputies_dutyrecord", "deputies_deputy", "deputies_streetmembership"):
                # What autovacuum would have done by the time anyone recomputes.
                cursor.execute(f"VACUUM ANALYZE {table}")
    else:
        _records_orm(bench.deputy_ids, counts, slots, period.start, days, now)
    bench.build_s = time.perf_counter() - started
    log(f"built in {bench.build_s:.1f} s")
    return bench


def reuse(args: argparse.Namespace) -> Bench:
    """A district kept by an earlier run (--keep): its figures are read back, nothing built."""
    from congress.models import District, StreetCommittee
    from deputies.models import Deputy, DutyRecord

    if not args.reuse.startswith(CODE_PREFIX):
        raise SystemExit(f"{args.reuse!r} is not a benchmark district.")
    district = District.objects.get(code=args.reuse)
    args.deputies = Deputy.objects.filter(district=district).count()
    args.records = DutyRecord.objects.filter(deputy__district=district).count()
    args.streets = StreetCommittee.objects.filter(district=district).count()
    log(f"reusing {district.code}: {args.deputies} deputies, {args.records} records")
    return Bench(
        district.pk,
        district.code,
        args.year,
        args.quarter,
        args.deputies,
        args.records,
        args.streets,
    )


def _records_postgresql(
    deputy_ids: list[int],
    counts: list[int],
    slots: list[int],
    start: dt.date,
    days: int,
    now: dt.datetime,
) -> None:
    """``INSERT ... SELECT generate_series``: the rows never pass through Python. Ordered by
    deputy, so the (deputy, ...) indexes fill from the right."""
    from django.db import connection, transaction

    sql = """
        INSERT INTO deputies_dutyrecord
            (deputy_id, duty_type_id, date, place, description, status, return_reason,
             submitted_at, reviewed_at, client_token, created_at, updated_at)
        SELECT u.did,
               (%(slots)s::bigint[])[1 + ((u.did * 2654435761 + g.j * 40503) %% %(nslots)s)],
               %(start)s::date + ((u.did * 31 + g.j * 17) %% %(days)s)::int,
               '', 'benchmark', 'approved', '', %(now)s, %(now)s,
               md5(u.did::text || ':' || g.j::text)::uuid, %(now)s, %(now)s
        FROM unnest(%(ids)s::bigint[], %(counts)s::int[]) AS u(did, n)
        CROSS JOIN LATERAL generate_series(1, u.n) AS g(j)
    """
    # A transaction per slice of about a million rows keeps the deferred foreign-key
    # checks queued at commit small.
    lo, done, total = 0, 0, sum(counts)
    while lo < len(deputy_ids):
        hi, rows = lo, 0
        while hi < len(deputy_ids) and (rows < 1_000_000 or hi == lo):
            rows += counts[hi]
            hi += 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                sql,
                {
                    "slots": slots,
                    "nslots": len(slots),
                    "start": start,
                    "days": days,
                    "now": now,
                    "ids": deputy_ids[lo:hi],
                    "counts": counts[lo:hi],
                },
            )
        done += rows
        lo = hi
        if total >= 2_000_000:
            log(f"  {done:,} / {total:,} duty records")


def _records_orm(
    deputy_ids: list[int],
    counts: list[int],
    slots: list[int],
    start: dt.date,
    days: int,
    now: dt.datetime,
) -> None:
    from deputies.models import DutyRecord

    def rows() -> Iterator[DutyRecord]:
        for did, n in zip(deputy_ids, counts, strict=True):
            for j in range(1, n + 1):
                yield DutyRecord(
                    deputy_id=did,
                    duty_type_id=slots[(did * 2654435761 + j * 40503) % len(slots)],
                    date=start + dt.timedelta(days=(did * 31 + j * 17) % days),
                    description="benchmark",
                    status="approved",
                    submitted_at=now,
                    reviewed_at=now,
                    client_token=uuid.UUID(hashlib.md5(f"{did}:{j}".encode()).hexdigest()),
                )

    batch: list[DutyRecord] = []
    for record in rows():
        batch.append(record)
        if len(batch) == 5000:
            DutyRecord.objects.bulk_create(batch)
            batch = []
    if batch:
        DutyRecord.objects.bulk_create(batch)


def cleanup(code_or_all: str) -> None:
    """Delete a benchmark district and everything under it, in dependency order, with plain
    SQL (the ORM's collector would load millions of ids)."""
    from django.db import connection, transaction

    from congress.models import District

    if code_or_all == "all":
        districts = District.objects.filter(code__startswith=CODE_PREFIX)
    else:
        if not code_or_all.startswith(CODE_PREFIX):
            raise SystemExit(f"Refusing to delete {code_or_all!r}: not a benchmark district.")
        districts = District.objects.filter(code=code_or_all)
    for district_id, code in districts.values_list("id", "code"):
        started = time.perf_counter()
        snaps = "SELECT id FROM scoring_rankingsnapshot WHERE district_id = %s"
        deputies = "SELECT id FROM deputies_deputy WHERE district_id = %s"
        statements = [
            f"DELETE FROM scoring_rankingrow WHERE snapshot_id IN ({snaps})",
            f"DELETE FROM scoring_streetaverage WHERE snapshot_id IN ({snaps})",
            "DELETE FROM scoring_rankingsnapshot WHERE district_id = %s",
            "DELETE FROM scoring_dirtyperiod WHERE district_id = %s",
            f"DELETE FROM deputies_dutyrecord WHERE deputy_id IN ({deputies})",
            f"DELETE FROM deputies_streetmembership WHERE deputy_id IN ({deputies})",
            "DELETE FROM deputies_deputy WHERE district_id = %s",
            "DELETE FROM congress_streetcommittee WHERE district_id = %s",
            "DELETE FROM congress_term WHERE district_id = %s",
            "DELETE FROM congress_district WHERE id = %s",
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, [district_id])
        if connection.vendor == "postgresql":
            # Leave no dead rows behind for the developer's next query to wade through
            # (this matters where autovacuum is slow or off).
            with connection.cursor() as cursor:
                cursor.execute(
                    "VACUUM ANALYZE deputies_dutyrecord, deputies_deputy, "
                    "deputies_streetmembership, scoring_rankingrow, scoring_rankingsnapshot"
                )
        log(f"deleted {code} in {time.perf_counter() - started:.1f} s")


# --- Recompute and its floor ---------------------------------------------------------


def floor_sql(bench: Bench) -> tuple[str, list[Any]]:
    """One statement: the same population, the same capped totals and competition ranks as
    the recompute, computed straight from the duty records (including the rule that a
    record repeating an attended activity does not count)."""
    from django.conf import settings
    from django.db import connection

    from congress.models import District
    from congress.periods import Quarter
    from liaison_stations.models import Activity
    from scoring.calculators import FINAL_STATUSES
    from scoring.services import rule_set_for

    period = Quarter(bench.year, bench.quarter)
    district = District.objects.get(pk=bench.district_id)
    rule_set = rule_set_for(district=district, quarter=period)
    levels = list(rule_set.ranked_levels) or [None]
    day_sql, day_params = connection.ops.datetime_cast_date_sql(
        "ac.starts_at", (), settings.TIME_ZONE
    )
    kinds = list(Activity.KIND_INDICATOR.items())
    kind_case = "CASE " + " ".join("WHEN ac.kind = %s THEN %s" for _ in kinds) + " ELSE '' END"
    sql = f"""
        WITH pop AS (
            SELECT d.id FROM deputies_deputy d
            WHERE d.district_id = %s AND d.level IN ({", ".join("%s" for _ in levels)})
              AND d.elected_on <= %s AND (d.left_on IS NULL OR d.left_on >= %s)
        ),
        per AS (
            SELECT r.deputy_id, ru.cap_per_quarter AS cap,
                   SUM(CASE WHEN ru.points > 0 THEN ru.points ELSE 0 END) AS pos,
                   SUM(CASE WHEN ru.points < 0 THEN ru.points ELSE 0 END) AS neg
            FROM deputies_dutyrecord r
            JOIN pop p ON p.id = r.deputy_id
            JOIN deputies_dutytype t ON t.id = r.duty_type_id
            JOIN scoring_rule ru ON ru.rule_set_id = %s AND ru.indicator = t.indicator
            WHERE r.status = 'approved' AND r.date BETWEEN %s AND %s
              AND NOT EXISTS (
                  SELECT 1 FROM liaison_stations_attendance a
                  JOIN liaison_stations_activity ac ON ac.id = a.activity_id
                  WHERE a.deputy_id = r.deputy_id
                    AND a.status IN ({", ".join("%s" for _ in FINAL_STATUSES)})
                    AND ac.status = %s AND {day_sql} = r.date AND {kind_case} = t.indicator
              )
            GROUP BY r.deputy_id, ru.indicator, ru.cap_per_quarter
        ),
        tot AS (
            SELECT deputy_id,
                   SUM(CASE WHEN cap IS NOT NULL AND pos > cap THEN cap ELSE pos END + neg)
                       AS total
            FROM per GROUP BY deputy_id
        )
        SELECT p.id AS deputy_id, COALESCE(tot.total, 0) AS total,
               RANK() OVER (ORDER BY COALESCE(tot.total, 0) DESC) AS rnk
        FROM pop p LEFT JOIN tot ON tot.deputy_id = p.id
    """
    params: list[Any] = [
        bench.district_id,
        *levels,
        period.end,
        period.start,
        rule_set.pk,
        period.start,
        period.end,
        *FINAL_STATUSES,
        Activity.Status.CLOSED.value,
        *day_params,
    ]
    for kind, indicator in kinds:
        params += [str(kind), str(indicator)]
    return sql, params


def floor_run(bench: Bench) -> None:
    """The floor, materialised server-side like the recompute's result (a temporary table
    instead of ranking rows); dropping the previous one is not timed."""
    from django.db import connection

    sql, params = floor_sql(bench)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {FLOOR_TABLE} AS {sql}", params)


def floor_drop() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")


def verify(bench: Bench, snapshot_id: int, sample: int) -> dict[str, Any]:
    """Fail loudly unless the floor's totals and ranks are the ranking rows'."""
    from django.db import connection

    from scoring.models import RankingRow

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT (SELECT COUNT(*) FROM {FLOOR_TABLE}),
                   (SELECT COUNT(*) FROM scoring_rankingrow WHERE snapshot_id = %s),
                   (SELECT COUNT(*) FROM {FLOOR_TABLE} f
                    JOIN scoring_rankingrow r ON r.snapshot_id = %s AND r.deputy_id = f.deputy_id
                    WHERE r.total = f.total AND r.rank = f.rnk)
            """,
            [snapshot_id, snapshot_id],
        )
        floor_n, rows_n, equal_n = cursor.fetchone()
        cursor.execute(f"SELECT deputy_id, total, rnk FROM {FLOOR_TABLE}")
        floor = {
            d: (Decimal(str(t)).quantize(Decimal("0.01")), int(r)) for d, t, r in cursor.fetchall()
        }
    if not (floor_n == rows_n == equal_n):
        raise SystemExit(
            f"MISMATCH: floor has {floor_n} rows, the ranking {rows_n}, equal in both {equal_n}"
        )
    ids = list(floor)
    if len(ids) > sample:
        ids = random.Random(7).sample(ids, sample)
    checked = 0
    for chunk in range(0, len(ids), 5000):
        part = ids[chunk : chunk + 5000]
        for deputy_id, total, rank in RankingRow.objects.filter(
            snapshot_id=snapshot_id, deputy_id__in=part
        ).values_list("deputy_id", "total", "rank"):
            if floor[deputy_id] != (total, rank):
                raise SystemExit(
                    f"MISMATCH for deputy {deputy_id}: floor {floor[deputy_id]}, "
                    f"ranking ({total}, {rank})"
                )
            checked += 1
    if checked != len(ids):
        raise SystemExit(f"MISMATCH: {len(ids) - checked} sampled deputies have no ranking row")
    tied = len(floor) - len({r for _t, r in floor.values()})
    return {
        "rows": rows_n,
        "checked_in_sql": equal_n,
        "checked_in_python": checked,
        "tied_rows": tied,
        "top_total": str(max((t for t, _r in floor.values()), default=0)),
    }


@contextmanager
def statement_timer(into: list[tuple[float, str]]) -> Iterator[None]:
    from django.db import connection

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            into.append((time.perf_counter() - start, " ".join(sql.split())))

    with connection.execute_wrapper(wrapper):
        yield


class _Rollback(Exception):
    pass


def explain_recompute(bench: Bench, top: int) -> list[dict[str, Any]]:
    """EXPLAIN (ANALYZE, BUFFERS) the ``top`` slowest writes of one recompute, in a
    transaction that is rolled back: the statements run exactly as the service issues them."""
    from django.db import connection, transaction

    from congress.models import District
    from scoring.services import ranking_recompute

    district = District.objects.get(pk=bench.district_id)
    timings: list[tuple[float, str]] = []
    with statement_timer(timings):
        ranking_recompute(district=district, year=bench.year, quarter=bench.quarter)
    slow = {
        sql
        for _s, sql in sorted(
            (t for t in timings if t[1].startswith(("INSERT", "DELETE"))), reverse=True
        )[:top]
    }
    plans: list[dict[str, Any]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        key = " ".join(sql.split())
        if key not in slow:
            return execute(sql, params, many, context)
        slow.discard(key)
        started = time.perf_counter()
        result = execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params, many, context)
        lines = [row[0] for row in context["cursor"].fetchall()]
        plans.append(
            {
                "statement": " ".join(sql.split())[:160],
                "seconds": round(time.perf_counter() - started, 3),
                "plan": lines,
            }
        )
        return result

    try:
        with transaction.atomic(), connection.execute_wrapper(wrapper):
            ranking_recompute(district=district, year=bench.year, quarter=bench.quarter)
            raise _Rollback
    except _Rollback:
        pass
    return plans


def maintain_scoring_tables() -> None:
    """What autovacuum does between two recomputes in production: VACUUM ANALYZE of the
    ranking tables (untimed). Without it, on a server with autovacuum off like the one the
    README figures come from, the planner would never see the rows a recompute wrote.

    PostgreSQL only: SQLite keeps ANALYZE results in the file (sqlite_stat1), which would
    outlive the benchmark data in the developer's database."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE scoring_rankingsnapshot, scoring_rankingrow, scoring_streetaverage"
        )


def ledger_size(bench: Bench) -> int:
    """How many ledger entries the quarter has (the calculators' rows; untimed)."""
    from django.db import connection

    from congress.models import District
    from congress.periods import Quarter
    from scoring.calculators import Context
    from scoring.ledger import _sources_sql
    from scoring.services import rule_set_for

    period = Quarter(bench.year, bench.quarter)
    district = District.objects.get(pk=bench.district_id)
    ctx = Context(
        district=district, quarter=period, rule_set=rule_set_for(district=district, quarter=period)
    )
    sql, params = _sources_sql(ctx)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) s", params)
        return int(cursor.fetchone()[0])


def live_snapshot_only(bench: Bench) -> dict[str, Any]:
    """For --skip-recompute: the live snapshot an earlier run left, and no recompute figures."""
    from scoring.models import RankingSnapshot

    snapshot = RankingSnapshot.objects.get(
        district_id=bench.district_id,
        year=bench.year,
        quarter=bench.quarter,
        status=RankingSnapshot.Status.LIVE,
    )
    keys = ["recompute_s", "recompute_best_s", "recompute_floor_s", "recompute_floor_best_s"]
    return {
        "snapshot_id": snapshot.pk,
        "ledger_entries": None,
        "ranked_population": snapshot.population,
        **dict.fromkeys(keys, None),
    }


def measure_recompute(bench: Bench, args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection, transaction

    from congress.models import District
    from scoring.models import RankingSnapshot
    from scoring.services import ranking_recompute, ranking_snapshots_purge

    district = District.objects.get(pk=bench.district_id)

    def recompute() -> Any:
        return ranking_recompute(district=district, year=bench.year, quarter=bench.quarter)

    log("recompute: warm-up run")
    warm_s, snapshot = timed(recompute)
    if args.analyze and connection.vendor == "postgresql":
        # Steady state: autovacuum has analysed the ranking tables after earlier
        # recomputes. Without it the planner sees a district it has no statistics for.
        log("statistics: VACUUM ANALYZE of the ranking tables")
        maintain_scoring_tables()
    times, commits, statements = [], [], []
    for n in range(args.repeat):
        if args.analyze:
            maintain_scoring_tables()
        timings: list[tuple[float, str]] = []
        # The service's own transaction becomes a savepoint of this one, so its commit
        # (where the deferred foreign-key checks run) can be timed apart.
        started = time.perf_counter()
        with statement_timer(timings), transaction.atomic():
            snapshot = recompute()
            committing = time.perf_counter()
        done = time.perf_counter()
        times.append(done - started)
        commits.append(done - committing)
        statements.append(timings)
        log(f"recompute {n + 1}/{args.repeat}: {times[-1]:.3f} s (commit {commits[-1]:.3f} s)")
    # The superseded snapshots the runs left: garbage collection, off the recompute's path
    # (the catch-up job runs it after the grace period). Timed here to show its cost.
    superseded = RankingSnapshot.objects.filter(
        district_id=bench.district_id, status=RankingSnapshot.Status.SUPERSEDED
    ).count()
    purge_s, purged = timed(
        lambda: ranking_snapshots_purge(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    )
    log(f"purge of {purged} superseded snapshots: {purge_s:.3f} s")
    ledger = ledger_size(bench)

    log("floor: warm-up run")
    floor_drop()
    floor_run(bench)
    floor_times = []
    for n in range(args.repeat):
        floor_drop()
        seconds, _none = timed(lambda: floor_run(bench))
        floor_times.append(seconds)
        log(f"floor {n + 1}/{args.repeat}: {seconds:.3f} s")
    checked = verify(bench, snapshot.pk, sample=5000 if bench.deputies <= 5000 else 2000)
    floor_drop()
    log(f"floor and ranking agree: {checked}")

    # Where the recompute's time goes: its statements in the median run, slowest first.
    median_index = times.index(sorted(times)[(len(times) - 1) // 2])
    median_run = statements[median_index]
    breakdown = [
        {"s": round(s, 4), "sql": sql[:110]}
        for s, sql in sorted(median_run, reverse=True)[: args.statements]
    ]
    in_statements = sum(s for s, _sql in median_run)
    commit_s = commits[median_index]
    result = {
        "snapshot_id": snapshot.pk,
        "recompute_in_statements_s": round(in_statements, 4),
        # The commit runs the deferred foreign-key checks of every row written.
        "recompute_commit_s": round(commit_s, 4),
        "recompute_python_s": round(times[median_index] - in_statements - commit_s, 4),
        "ledger_entries": ledger,
        "ranked_population": snapshot.population,
        "purge_s": round(purge_s, 4),
        "purged_snapshots": purged,
        "superseded_before_purge": superseded,
        "recompute_warmup_s": round(warm_s, 4),
        "recompute_s": round(statistics.median(times), 4),
        "recompute_best_s": round(min(times), 4),
        "recompute_floor_s": round(statistics.median(floor_times), 4),
        "recompute_floor_best_s": round(min(floor_times), 4),
        "recompute_statements": len(median_run),
        "recompute_slowest": breakdown,
        "verified": checked,
    }
    if args.explain:
        result["explain"] = explain_recompute(bench, args.explain)
        # Its first, committed recompute replaced the live snapshot.
        result["snapshot_id"] = (
            RankingSnapshot.objects.filter(
                district_id=bench.district_id,
                year=bench.year,
                quarter=bench.quarter,
                status=RankingSnapshot.Status.LIVE,
            )
            .values_list("id", flat=True)
            .get()
        )
    return result


# --- Export and its floor ------------------------------------------------------------


def sheet_shapes(path: Path) -> list[tuple[int, int]]:
    """(rows, columns) of each sheet of a workbook, streamed (write-only workbooks carry no
    dimension)."""
    import zipfile

    shapes = []
    with zipfile.ZipFile(path) as archive:
        names = sorted(
            (n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")),
            key=lambda n: int("".join(ch for ch in n if ch.isdigit()) or 0),
        )
        for name in names:
            rows = cols = 0
            with archive.open(name) as stream:
                for _event, element in ElementTree.iterparse(stream):
                    if element.tag.endswith("}row"):
                        rows += 1
                        cols = max(cols, sum(1 for c in element if c.tag.endswith("}c")))
                        element.clear()
            shapes.append((rows, cols))
    return shapes


def export_real(snapshot_id: int, path: Path) -> None:
    from scoring.models import RankingSnapshot

    # Imported by name: the module may not exist yet in a given checkout.
    write = importlib.import_module("scoring.exports").quarterly_report_write
    snapshot = RankingSnapshot.objects.get(pk=snapshot_id)
    with path.open("wb") as out:
        write(snapshot, out)


def export_floor(snapshot_id: int, path: Path, shapes: list[tuple[int, int]]) -> None:
    """Plain values from one ``values_list`` iterator into a bare write-only workbook, with
    as many rows and columns per sheet as the report has."""
    from openpyxl import Workbook

    from scoring.models import RankingRow

    fields = (
        "rank",
        "name",
        "name_pinyin",
        "level",
        "total",
        "ytd_total",
        "stars",
        "is_top",
        "street_committee_id",
        "deputy_id",
    )
    rows = (
        RankingRow.objects.filter(snapshot_id=snapshot_id)
        .order_by("rank", "name_pinyin")
        .values_list(*fields)
        .iterator(chunk_size=2000)
    )
    first: list[tuple[Any, ...]] = []
    workbook = Workbook(write_only=True)
    # The biggest sheet takes the iterator; the small ones reuse its first rows.
    order = sorted(range(len(shapes)), key=lambda i: shapes[i][0], reverse=True)
    sheets = {i: workbook.create_sheet(f"Sheet{i + 1}") for i in range(len(shapes))}
    for position, i in enumerate(order):
        n_rows, n_cols = shapes[i]
        sheet = sheets[i]
        repeat = math.ceil(n_cols / len(fields)) if n_cols else 0
        for r in range(n_rows):
            if position == 0:
                row = next(rows, None)
                if row is None:
                    row = first[r % len(first)] if first else ("",) * len(fields)
                elif len(first) < 1000:
                    first.append(row)
            else:
                row = first[r % len(first)] if first else ("",) * len(fields)
            sheet.append((row * repeat)[:n_cols])
    workbook.save(path)


def export_child(args: argparse.Namespace) -> None:
    """One export in a fresh process: its time, its RSS growth over the process as it was
    before the export (Django loaded, connection open) and, with --trace, the tracemalloc
    peak."""
    import openpyxl  # noqa: F401  (loaded before the baseline, like Django)
    from django.db import connection

    if args.export_child == "real":
        importlib.import_module("scoring.exports")
    connection.ensure_connection()
    shapes = json.loads(args.shapes) if args.shapes else []
    baseline = rss_baseline()
    if args.trace:
        tracemalloc.start()
    path = Path(args.out)
    if args.export_child == "real":
        seconds, _none = timed(lambda: export_real(args.snapshot, path))
    else:
        seconds, _none = timed(lambda: export_floor(args.snapshot, path, shapes))
    report: dict[str, Any] = {
        "s": seconds,
        "rss_delta_mb": rss_peak() - baseline,
        "rss_baseline_mb": baseline,
        "rss_peak_mb": rss_peak(),
        "bytes": path.stat().st_size,
    }
    if args.trace:
        report["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
    print(json.dumps(report))


def run_child(
    variant: str,
    snapshot_id: int,
    out: Path,
    *,
    trace: bool = False,
    shapes: list[tuple[int, int]] | None = None,
) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--export-child",
        variant,
        "--snapshot",
        str(snapshot_id),
        "--out",
        str(out),
    ]
    if trace:
        command.append("--trace")
    if shapes:
        command += ["--shapes", json.dumps(shapes)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"export child {variant} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure_export(snapshot_id: int, args: argparse.Namespace) -> dict[str, Any]:
    from scoring.models import RankingRow

    try:
        importlib.import_module("scoring.exports").quarterly_report_write  # noqa: B018
    except (ImportError, AttributeError) as error:
        log(f"export skipped: scoring.exports cannot be imported yet ({error})")
        return {"export_skipped": str(error)}

    rows = RankingRow.objects.filter(snapshot_id=snapshot_id).count()
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        real_path, floor_path = Path(tmp) / "report.xlsx", Path(tmp) / "floor.xlsx"
        # Each run is a fresh process; the recompute has just read the same rows, so
        # there is no separate warm-up. The report's first run gives the sheet shapes.
        real, floor = [], []
        shapes: list[tuple[int, int]] = []
        for n in range(args.repeat):
            real.append(run_child("real", snapshot_id, real_path))
            if not shapes:
                shapes = sheet_shapes(real_path)
                log(f"report sheets (rows, columns): {shapes}")
            floor.append(run_child("floor", snapshot_id, floor_path, shapes=shapes))
            log(
                f"export {n + 1}/{args.repeat}: report {real[-1]['s']:.3f} s, "
                f"floor {floor[-1]['s']:.3f} s"
            )
        if sheet_shapes(floor_path) != shapes:
            raise SystemExit(f"floor workbook shape {sheet_shapes(floor_path)} != {shapes}")
        # tracemalloc slows pure-Python code several times over: one untimed run, of the
        # report only.
        log("export: the report once more under tracemalloc")
        real_trace = run_child("real", snapshot_id, real_path, trace=True)

    def median(runs: list[dict[str, Any]], key: str) -> float:
        return float(statistics.median(r[key] for r in runs))

    export_s = median(real, "s")
    return {
        "export_rows": rows,
        "export_sheets": shapes,
        "export_cells": sum(r * c for r, c in shapes),
        "export_s": round(export_s, 4),
        "export_best_s": round(min(r["s"] for r in real), 4),
        "export_floor_s": round(median(floor, "s"), 4),
        "export_floor_best_s": round(min(r["s"] for r in floor), 4),
        "export_rows_per_s": round(rows / export_s) if export_s else None,
        "export_peak_mb": round(real_trace["tracemalloc_peak_mb"], 1),
        "export_rss_delta_mb": round(max(r["rss_delta_mb"] for r in real), 1),
        "export_rss_peak_mb": round(max(r["rss_peak_mb"] for r in real), 1),
        "export_floor_rss_delta_mb": round(max(r["rss_delta_mb"] for r in floor), 1),
        "export_file_mb": round(real[-1]["bytes"] / MB, 2),
        "export_traced_s": round(real_trace["s"], 3),
    }


# --- Entry point ---------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--deputies", type=int, default=300)
    parser.add_argument("--records", type=int, default=10_000, help="approved duty records")
    parser.add_argument("--streets", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after a warm-up")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument(
        "--quarter",
        type=int,
        default=2,
        choices=(1, 2, 3, 4),
        help="earlier quarters of the year are ranked (empty) in the warm-up",
    )
    parser.add_argument("--seed", type=int, default=20240401)
    parser.add_argument("--keep", action="store_true", help="leave the benchmark data in place")
    parser.add_argument(
        "--migrate",
        action="store_true",
        help="apply pending migrations to the configured database first",
    )
    parser.add_argument(
        "--cleanup",
        metavar="CODE",
        help="only delete a kept benchmark district (its code, or 'all')",
    )
    parser.add_argument(
        "--statements",
        type=int,
        default=6,
        help="how many of the recompute's slowest statements to report",
    )
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="N",
        help="EXPLAIN ANALYZE the N slowest writes of a recompute (rolled back)",
    )
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument(
        "--skip-recompute",
        action="store_true",
        help="with --reuse: measure only the export, of the district's live snapshot",
    )
    parser.add_argument(
        "--reuse", metavar="CODE", help="measure a district kept by an earlier --keep run"
    )
    parser.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="skip the ledger rebuild and the VACUUM ANALYZE of the scoring tables before "
        "the warm-up and between the timed runs",
    )
    # Internal: one export measured in a fresh process.
    parser.add_argument("--export-child", choices=("real", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--snapshot", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--shapes", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    setup_django()
    if args.export_child:
        export_child(args)
        return 0

    from django.db import connection

    if args.cleanup:
        cleanup(args.cleanup)
        return 0
    pending = pending_migrations()
    if pending:
        if not args.migrate:
            raise SystemExit(
                f"{len(pending)} migrations are not applied to this database; "
                "run migrate or pass --migrate."
            )
        from django.core.management import call_command

        call_command("migrate", verbosity=0)

    vendor = connection.vendor
    version = ""
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    else:
        import sqlite3

        version = sqlite3.sqlite_version
    rss_start = max_rss_mb()
    bench = reuse(args) if args.reuse else build(args)
    result: dict[str, Any] = {
        "database": vendor,
        "database_version": version,
        "deputies": args.deputies,
        "records": args.records,
        "streets": args.streets,
        "quarter": f"{args.year}Q{args.quarter}",
        "repeat": args.repeat,
    }
    try:
        recompute = (
            live_snapshot_only(bench) if args.skip_recompute else measure_recompute(bench, args)
        )
        exported: dict[str, Any] = {}
        if not args.skip_export:
            exported = measure_export(recompute["snapshot_id"], args)
    finally:
        bench.deputy_ids = []
        if args.keep:
            log(f"kept {bench.code}; delete it with --cleanup {bench.code}")
        else:
            cleanup(bench.code)
    result.update(
        {
            "ledger_entries": recompute["ledger_entries"],
            "ranked_population": recompute["ranked_population"],
            "recompute_s": recompute["recompute_s"],
            "recompute_best_s": recompute["recompute_best_s"],
            "recompute_floor_s": recompute["recompute_floor_s"],
            "recompute_floor_best_s": recompute["recompute_floor_best_s"],
            "recompute_ratio": (
                round(recompute["recompute_s"] / recompute["recompute_floor_s"], 2)
                if recompute["recompute_s"]
                else None
            ),
        }
    )
    if "export_s" in exported:
        result.update(
            {
                "export_s": exported["export_s"],
                "export_floor_s": exported["export_floor_s"],
                "export_ratio": round(exported["export_s"] / exported["export_floor_s"], 2),
                "export_rows_per_s": exported["export_rows_per_s"],
                "export_peak_mb": exported["export_peak_mb"],
                "export_rss_delta_mb": exported["export_rss_delta_mb"],
            }
        )
    result["build_s"] = round(bench.build_s, 1) if not args.reuse else None
    result["build_rss_mb"] = round(max_rss_mb() - rss_start, 1)
    result["detail"] = {
        **{k: v for k, v in recompute.items() if k not in result},
        **{k: v for k, v in exported.items() if k not in result},
    }
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
