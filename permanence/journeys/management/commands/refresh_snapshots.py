from django.core.management.base import BaseCommand

from permanence.journeys.registry import snapshots


class Command(BaseCommand):
    help = ("Recalculate every journey's derived snapshot (each child's stage, case holder and next due action, each "
            "household's stage), e.g. after changing a timescale. Safe to run at any time.")

    def handle(self, *args, **options):
        parts = []
        for journey in snapshots():
            changed, seen = journey.refresh_all()
            parts.append(f"{changed} {journey.name} changed of {seen}")
        self.stdout.write(self.style.SUCCESS("; ".join(parts) + "."))
