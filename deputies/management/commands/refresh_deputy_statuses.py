from typing import Any

from django.core.management.base import BaseCommand

from deputies.services import deputy_statuses_refresh


class Command(BaseCommand):
    help = "Close street memberships still open after their deputy left office."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = deputy_statuses_refresh()
        self.stdout.write(f"Closed {changed} street membership(s).")
