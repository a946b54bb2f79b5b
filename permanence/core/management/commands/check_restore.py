"""`permanence check-restore --against URL_OR_FILE`: compare the configured database with a restored copy."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from permanence.core import backup


class Command(BaseCommand):
    help = ("Compare the configured database with another (a restored copy) table by table: row counts, a "
            "checksum over the rows in primary-key order, and the audit trail unbroken. Exits 1 on any difference.")

    def add_arguments(self, parser):
        parser.add_argument("--against", required=True, metavar="URL_OR_FILE",
                            help="the other database: a database URL or a SQLite file")

    def handle(self, *args, against, **options):
        cfg = backup.settings_for(against)
        if cfg["ENGINE"].endswith("sqlite3") and "://" not in against:
            from pathlib import Path

            if not Path(cfg["NAME"]).is_file():
                raise CommandError(f"There is no SQLite database at {cfg['NAME']}.")
        other = backup.open_connection(cfg)
        try:
            checks = backup.compare(connections["default"], other)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        finally:
            other.close()
        width = max(len(c.table) for c in checks)
        self.stdout.write(f"{'Table':<{width}}  {'Rows':>9}  {'Rows (other)':>12}  {'Checksum':<12}  Result")
        for c in checks:
            rows = [("-" if n is None else str(n)) for n in c.rows]
            checksum = (c.checksums[0] or "-")[:12]
            result = "ok" if c.ok else "DIFFERENT: " + "; ".join(c.problems)
            self.stdout.write(f"{c.table:<{width}}  {rows[0]:>9}  {rows[1]:>12}  {checksum:<12}  {result}")
        bad = [c.table for c in checks if not c.ok]
        if bad:
            self.stderr.write(f"{len(bad)} of {len(checks)} checks differ: {', '.join(bad)}")
            raise SystemExit(1)
        self.stdout.write(f"All {len(checks)} checks match: {len(checks) - 1} tables and the audit trail.")
