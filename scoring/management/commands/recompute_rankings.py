import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congress.models import District
from scoring.models import RankingRow, StreetAverage
from scoring.services import (
    dirty_periods_recompute,
    ranking_recompute,
    ranking_snapshots_purge,
    report_jobs_purge,
)


class Command(BaseCommand):
    help = "Rank a quarter from its sources as the new live ranking (the task's service)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int)
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--district", help="district code (default: every district)")
        parser.add_argument(
            "--dirty", action="store_true", help="recompute every quarter marked dirty instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dirty"]:
            self.stdout.write(f"Recomputed {dirty_periods_recompute()} dirty quarter(s).")
            self._purge()
            return
        if not options["year"] or not options["quarter"]:
            raise CommandError("Give --year and --quarter (or --dirty).")
        districts = District.objects.all()
        if options["district"]:
            districts = districts.filter(code=options["district"])
            if not districts.exists():
                raise CommandError(f"No district with code {options['district']!r}.")
        for district in districts:
            started = time.perf_counter()
            snapshot = ranking_recompute(
                district=district, year=options["year"], quarter=options["quarter"]
            )
            elapsed = time.perf_counter() - started
            top = RankingRow.objects.filter(snapshot=snapshot, is_top=True).count()
            streets = StreetAverage.objects.filter(snapshot=snapshot).count()
            self.stdout.write(
                f"{district.code} {district.name} {options['year']}Q{options['quarter']}: "
                f"{snapshot.population} ranked deputies, "
                f"top 15% k={snapshot.top_k} ({top} deputies), {streets} streets, "
                f"rule set {snapshot.rule_set}, {elapsed:.3f} s"
            )
        self._purge()

    def _purge(self) -> None:
        purged = ranking_snapshots_purge()
        if purged:
            self.stdout.write(f"Purged {purged} superseded live snapshot(s).")
        reports = report_jobs_purge()
        if reports:
            self.stdout.write(f"Deleted {reports} report file(s) older than a day.")
