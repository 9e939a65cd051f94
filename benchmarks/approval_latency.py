#!/usr/bin/env python
"""How long after street staff approve a duty record the live ranking shows it.

Not a timed test. It builds a district-scale synthetic district (benchmarks/ranking.py's
builder), starts a real Celery worker on the configured Redis broker, and then, one at a
time, logs a duty record for a ranked deputy and approves it through the same services the
pages use (``duty_record_submit``, ``duty_records_approve``). The approval's transaction
marks the quarter stale and enqueues the recompute on commit; the script polls the live
ranking every 10 ms until that deputy's total has moved, and records the time from the
commit to then. It also times the recompute service on its own in the same run (the floor
of that latency: the worker cannot show a ranking faster than it computes one).

Needs PostgreSQL and Redis:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python benchmarks/approval_latency.py --approvals 20

Use a Redis database no other worker listens on: the worker here takes the default queue.
Prints one JSON object on stdout; deletes what it built.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import ranking as bench_ranking  # noqa: E402


def start_worker(broker: str) -> tuple[subprocess.Popen[bytes], Path]:
    env = dict(os.environ, CELERY_BROKER_URL=broker, DJANGO_DEBUG="false")
    log = Path(tempfile.mkstemp(prefix="latency-worker-", suffix=".log")[1])
    name = f"latency-{uuid.uuid4().hex[:8]}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "congress",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
            "-n",
            f"{name}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    from congress.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"worker exited early:\n{log.read_text()[-3000:]}")
        if app.control.ping(destination=[f"{name}@{os.uname().nodename}"], timeout=1.0):
            return proc, log
    proc.kill()
    raise SystemExit("worker did not answer a ping within 60 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--approvals", type=int, default=20)
    parser.add_argument("--deputies", type=int, default=300)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=30.0, help="per approval, seconds")
    args = parser.parse_args(argv)
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        raise SystemExit("Set CELERY_BROKER_URL=redis://... (a database no other worker uses).")
    bench_ranking.setup_django()

    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL=postgresql://...")
    from congress.models import District
    from congress.periods import Quarter
    from deputies.models import Deputy, DutyType
    from deputies.services import duty_record_submit, duty_records_approve
    from scoring.models import RankingRow, RankingSnapshot
    from scoring.services import ranking_recompute, rule_set_for

    build_args = bench_ranking.parse_args(
        ["--deputies", str(args.deputies), "--records", str(args.records)]
    )
    bench = bench_ranking.build(build_args)
    district = District.objects.get(pk=bench.district_id)
    period = Quarter(bench.year, bench.quarter)
    proc, log = start_worker(broker)
    latencies: list[float] = []
    service: list[float] = []
    try:
        ranking_recompute(district=district, year=bench.year, quarter=bench.quarter)
        for _ in range(5):
            seconds, _snap = bench_ranking.timed(
                lambda: ranking_recompute(district=district, year=bench.year, quarter=bench.quarter)
            )
            service.append(seconds)
        rule_set = rule_set_for(district=district, quarter=period)
        deputies = list(
            Deputy.objects.filter(district=district, level__in=rule_set.ranked_levels)
            .active_on(period.end)
            .order_by("pk")[: args.approvals]
        )
        report = DutyType.objects.get(code="report_to_voters")
        for n, deputy in enumerate(deputies):
            record, _created = duty_record_submit(
                deputy=deputy,
                duty_type=report,
                date=period.start + dt.timedelta(days=n % 80),
                description="向选民述职一次，听取意见建议",
                client_token=uuid.uuid4(),
            )
            live = RankingRow.objects.filter(
                snapshot__district=district,
                snapshot__year=bench.year,
                snapshot__quarter=bench.quarter,
                snapshot__status=RankingSnapshot.Status.LIVE,
                deputy=deputy,
            ).values_list("total", flat=True)
            before = live.first()
            duty_records_approve(records=[record], reviewer=None)  # commits, then enqueues
            committed = time.perf_counter()
            deadline = committed + args.timeout
            while live.first() == before:
                if time.perf_counter() > deadline:
                    raise SystemExit(f"approval {n + 1}: the ranking did not move in time")
                time.sleep(0.01)
            latencies.append(time.perf_counter() - committed)
            bench_ranking.log(f"approval {n + 1}: {latencies[-1] * 1000:.0f} ms")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        bench_ranking.cleanup(bench.code)
    ordered = sorted(latencies)
    median, floor = statistics.median(ordered), statistics.median(service)
    result = {
        "database": connection.vendor,
        "deputies": args.deputies,
        "records": args.records,
        "approvals": len(latencies),
        "latency_median_s": round(median, 3),
        "latency_p90_s": round(ordered[max(0, int(len(ordered) * 0.9) - 1)], 3),
        "latency_max_s": round(ordered[-1], 3),
        "recompute_service_median_s": round(floor, 3),
        "latency_ratio_to_service": round(median / floor, 2),
        "worker_log": str(log),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
