"""`permanence backup FILE`: back up the configured database (safe while the site runs)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from permanence.core import backup


class Command(BaseCommand):
    help = ("Back up the configured database into FILE: SQLite through the online backup API, "
            "PostgreSQL through pg_dump --format=custom. Safe while the site runs.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            dest = backup.backup(connections["default"], file)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Backed up {connections['default'].settings_dict['NAME']} to {dest} "
                          f"({dest.stat().st_size:,} bytes).")
