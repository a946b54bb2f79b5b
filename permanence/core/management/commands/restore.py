"""`permanence restore FILE`: restore a backup made by `permanence backup` into the configured database."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from permanence.core import backup


class Command(BaseCommand):
    help = ("Restore a backup made by `permanence backup` into the configured database (or the one --to names). "
            "Refuses a database that is not empty unless --force is given.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--force", action="store_true", help="replace a database that is not empty")
        parser.add_argument("--to", metavar="URL_OR_FILE",
                            help="restore into this database URL or SQLite file instead (for a restore drill)")

    def handle(self, *args, file, force, to, **options):
        cfg = backup.settings_for(to) if to else connections["default"].settings_dict
        if not to:
            connections["default"].close()
        try:
            backup.restore(file, cfg, force=force)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Restored {file} into {cfg['NAME']}. Check it: permanence check-restore --against …")
