from typing import Any

from django.core.management.base import BaseCommand

from liaison_stations.services import opinions_remind_overdue


class Command(BaseCommand):
    help = "E-mail whoever holds an overdue opinion (the daily beat job does the same)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Reminded about {opinions_remind_overdue()} overdue opinion(s).")
