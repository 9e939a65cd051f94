"""``python manage.py seed_demo``: fill the database with a demo district (see congress.demo)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congress import demo
from congress.models import District


class Command(BaseCommand):
    help = (
        "Seed a realistic demo district (苏州市姑苏区): streets, communities, committee posts, "
        "deputies, handling units, demo logins, a year of duty records, liaison stations with "
        "a year of activities, attendance and reception shifts, and residents' opinions. "
        "Deterministic for a seed and idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="random seed")
        parser.add_argument(
            "--deputies", type=int, default=demo.DEFAULT_DEPUTIES, help="number of deputies"
        )
        parser.add_argument(
            "--streets",
            type=int,
            default=demo.DEFAULT_STREETS,
            help=f"number of street committees (1-{demo.MAX_STREETS})",
        )
        parser.add_argument(
            "--records-per-deputy",
            type=int,
            default=demo.DEFAULT_RECORDS_PER_DEPUTY,
            help="duty records (履职登记) per deputy over the last twelve months, on average",
        )
        parser.add_argument("--logins-only", action="store_true", help="only print the demo logins")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="seed only when the database has no district yet",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins_only"]:
            self._print_logins(demo.demo_logins())
            return
        if options["if_empty"] and District.objects.exists():
            self.stdout.write("database already has data, not seeding")
            self._print_logins(demo.demo_logins())
            return
        if not 1 <= options["streets"] <= demo.MAX_STREETS:
            raise CommandError(f"--streets must be between 1 and {demo.MAX_STREETS}")
        if options["deputies"] < 0:
            raise CommandError("--deputies must not be negative")
        if options["records_per_deputy"] < 0:
            raise CommandError("--records-per-deputy must not be negative")

        self.stdout.write(
            f"Seeding demo data (seed={options['seed']}, deputies={options['deputies']}, "
            f"streets={options['streets']}, records per deputy={options['records_per_deputy']})..."
        )
        started = time.monotonic()
        result = demo.seed(
            seed=options["seed"],
            deputies=options["deputies"],
            streets=options["streets"],
            records_per_deputy=options["records_per_deputy"],
        )
        elapsed = time.monotonic() - started

        self.stdout.write(demo.format_summary(result))
        for warning in result.skipped:
            self.stdout.write(self.style.WARNING(f"skipped {warning}"))
        if result.total_created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {result.total_created} rows, kept {result.total_existing} "
                    f"existing rows in {elapsed:.1f} s."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Existing data was kept: nothing new created "
                    f"({result.total_existing} rows already there)."
                )
            )
        self._print_logins(result.logins)

    def _print_logins(self, logins: list[demo.DemoLogin]) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password {demo.DEMO_PASSWORD}):")
        self.stdout.write(demo.format_logins(logins))
