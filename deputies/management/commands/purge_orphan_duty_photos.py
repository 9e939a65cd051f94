import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from deputies.services import duty_photos_purge_orphans


class Command(BaseCommand):
    help = "Delete photos uploaded with a duty form that was never completed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than-hours", type=int, default=48)

    def handle(self, *args: Any, **options: Any) -> None:
        removed = duty_photos_purge_orphans(
            older_than=dt.timedelta(hours=options["older_than_hours"])
        )
        self.stdout.write(f"Removed {removed} orphan photo(s).")
