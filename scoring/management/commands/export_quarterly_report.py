"""``python manage.py export_quarterly_report``: write a quarter's report (通报) to Excel."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from congress.models import District
from scoring.exports import SnapshotGone, quarterly_report_write
from scoring.models import RankingRow, RankingSnapshot, Rule, StreetAverage
from scoring.services import ranking_recompute

ATTEMPTS = 3


class Command(BaseCommand):
    help = (
        "Write a quarter's performance-points report (履职积分通报) to an .xlsx file: by "
        "default the latest published version, else the live ranking (recomputed first if "
        "there is none)."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Here --version picks a published version of the report, not Django's version.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument(
            "--district", help="district code (may be left out when there is only one district)"
        )
        parser.add_argument("--version", type=int, help="a published version number")
        parser.add_argument(
            "--live", action="store_true", help="the live ranking instead of a published one"
        )
        parser.add_argument("--output", required=True, help="the .xlsx file to write")
        parser.add_argument(
            "--language", default="zh-hans", help="language of the report (default: zh-hans)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["version"] is not None and options["live"]:
            raise CommandError("Give either --version or --live, not both.")
        district = self._district(options["district"])
        year, quarter = options["year"], options["quarter"]
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"The folder {str(output.parent)!r} does not exist.")
        for _attempt in range(ATTEMPTS):
            snapshot = self._snapshot(
                district, year, quarter, version=options["version"], live=options["live"]
            )
            try:
                self._write(snapshot, output, options["language"])
                break
            except SnapshotGone:
                # A recompute replaced the live ranking while it was being written.
                continue
        else:
            raise CommandError("The live ranking kept changing while it was being written.")

        if snapshot.status == RankingSnapshot.Status.PUBLISHED:
            which = f"published version {snapshot.version}"
        else:
            which = "live ranking (not published)"
        rows = RankingRow.objects.filter(snapshot=snapshot)
        counts = [
            ("top deputies", rows.filter(is_top=True).count()),
            ("streets", StreetAverage.objects.filter(snapshot=snapshot).count()),
            ("all deputies", rows.count()),
            ("rules", Rule.objects.filter(rule_set_id=snapshot.rule_set_id).count()),
        ]
        self.stdout.write(
            f"Wrote {output}: {district.code} {district.name} {year}Q{quarter}, {which}"
        )
        for label, count in counts:
            self.stdout.write(f"  {label}: {count} row(s)")

    def _district(self, code: str | None) -> District:
        if code:
            district = District.objects.filter(code=code).first()
            if district is None:
                known = ", ".join(District.objects.values_list("code", flat=True)) or "none"
                raise CommandError(f"No district with code {code!r} (known codes: {known}).")
            return district
        districts = list(District.objects.order_by("code")[:2])
        if not districts:
            raise CommandError("There is no district yet.")
        if len(districts) > 1:
            known = ", ".join(District.objects.values_list("code", flat=True))
            raise CommandError(f"Several districts exist ({known}); choose one with --district.")
        return districts[0]

    def _snapshot(
        self, district: District, year: int, quarter: int, *, version: int | None, live: bool
    ) -> RankingSnapshot:
        snapshots = RankingSnapshot.objects.filter(
            district=district, year=year, quarter=quarter
        ).select_related("district", "rule_set")
        published = snapshots.filter(status=RankingSnapshot.Status.PUBLISHED)
        if version is not None:
            found = published.filter(version=version).first()
            if found is None:
                versions = ", ".join(
                    str(v) for v in published.order_by("version").values_list("version", flat=True)
                )
                raise CommandError(
                    f"{district.code} {year}Q{quarter} has no published version {version} "
                    f"(published versions: {versions or 'none'})."
                )
            return found
        if not live:
            latest = published.order_by("-version").first()
            if latest is not None:
                return latest
        current = snapshots.filter(status=RankingSnapshot.Status.LIVE).first()
        if current is not None:
            return current
        self.stdout.write(f"No live ranking of {year}Q{quarter} yet; recomputing it first.")
        try:
            ranking_recompute(district=district, year=year, quarter=quarter)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return snapshots.get(status=RankingSnapshot.Status.LIVE)

    def _write(self, snapshot: RankingSnapshot, output: Path, language: str) -> None:
        """Write next to the target and move it into place: never a half-written file."""
        fd, temporary = tempfile.mkstemp(
            dir=output.parent, prefix=f".{output.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(fd, "wb") as out:
                quarterly_report_write(snapshot, out, language=language)
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
