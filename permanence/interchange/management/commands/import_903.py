"""permanence import-903 PATH... --la CODE [--dry-run] [--user USERNAME]"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from permanence.interchange import services
from permanence.interchange.ssda903 import tables as T
from permanence.organisations.models import Organisation, Staff


class Command(BaseCommand):
    help = ("Import an LA's SSDA903 files (CSV tables recognised by their headers, or the 903 XML; one or more "
            "collection years). All or nothing: any error and nothing changes. Directories are read for *.csv "
            "and *.xml.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--la", required=True, help="The LA's three-digit DfE code.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; change nothing.")
        parser.add_argument("--user", help="Import as this member of staff (checked like the web upload).")
        parser.add_argument("--year", type=int, help="The collection year of every file, e.g. 2025 for 2024/25 "
                                                     "(default: read from each file).")
        parser.add_argument("--no-dfe", action="store_true", help="Skip the DfE validation rules.")
        parser.add_argument("--show", type=int, default=40, help="How many findings to list (default 40).")

    def handle(self, *args, **o):
        la = Organisation.objects.filter(kind="la", code=o["la"]).first()
        if la is None:
            raise CommandError(f"There is no LA with code {o['la']}.")
        actor = None
        if o["user"]:
            actor = Staff.objects.filter(username=o["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"There is no active member of staff {o['user']}.")
        paths: list[Path] = []
        for p in map(Path, o["paths"]):
            if p.is_dir():
                paths += sorted(x for x in p.iterdir() if x.suffix.lower() in (".csv", ".xml") and x.is_file())
            elif p.is_file():
                paths.append(p)
            else:
                raise CommandError(f"{p} is not a file or directory.")
        limit = services.max_upload_bytes()
        total = sum(p.stat().st_size for p in paths)
        if total > limit:
            raise CommandError(f"The files come to {services.size_label(total)}, over the "
                               f"{services.size_label(limit)} limit. Nothing was imported.")
        # Each file is opened, not read: the import reads one file at a time as it parses it.
        handles = [(p.name, p.open("rb")) for p in paths]
        try:
            result = services.import_903(files=handles, la=la, actor=actor, dry_run=o["dry_run"], year=o["year"],
                                         validate=not o["no_dfe"], via="command", progress=self._bar)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        finally:
            for _, h in handles:
                h.close()
        self._bar("write", 1, 1, end=True)
        self._report(result, o["show"])
        if not result.ok:
            raise CommandError(f"Refused: {result.summary['errors']} errors. Nothing was imported.")

    def _bar(self, what: str, done: int, total: int, end: bool = False) -> None:
        """A plain-text progress bar on stderr, redrawn in place: [#######.......] Checked 1,200 of 4,800 children  45%"""
        if not end and not self.stderr.isatty():
            return
        text, pct = services.progress_text(what, done, total)
        if end:
            text, pct = "Done", 100
        width = 30
        filled = width * pct // 100
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {text:<70} {pct:3d}%", ending="\n" if end else "")
        self.stderr.flush()

    def _report(self, result, show: int) -> None:
        b = result.batch
        s = result.summary
        self.stdout.write(f"SSDA903 import {b.pk} for {b.la}: {b.get_status_display()}")
        self.stdout.write("Years: " + (", ".join(T.year_label(y) for y in b.years) or "none"))
        for f in b.files:
            tables = ", ".join(f"{t['table']} {T.year_label(t['year']) if t['year'] else '?'} ({t['rows']} rows)"
                               for t in f.get("tables", []))
            self.stdout.write(f"  {f['name']}: {tables or 'not read'}")
        for note in b.notes:
            self.stdout.write(f"  {note}")
        self.stdout.write(
            "Children in the files: {children_in_files}; created {children_created}; updated {children_updated}; "
            "unchanged {unchanged_children}. Events added {events_added}, updated {events_updated}, withdrawn "
            "{events_withdrawn}. Conflicts to decide: {conflicts}. Errors {errors}, warnings {warnings}.".format(
                **{"events_withdrawn": 0, **s}))
        if s.get("years_replaced"):
            self.stdout.write("Replaced the returns held for " + ", ".join(T.year_label(y) for y in s["years_replaced"])
                              + ".")
        errors = result.errors
        listed = errors[:show] if errors else result.findings[:show]
        for f in listed:
            who = f"child {f.child}: " if f.child else ""
            self.stdout.write(f"  {f.severity.upper()}: {f.where}: {who}{f.message}")
        if len(result.findings) > len(listed):
            self.stdout.write(f"  … and {len(result.findings) - len(listed)} more findings.")
        if b.status == b.Status.DRY_RUN:
            self.stdout.write("Dry run: nothing was changed. It would make these changes:")
            for c in result.changes[:show]:
                self.stdout.write(f"  {c['child']}: {c['action']}: {c['detail']}")
            if len(result.changes) > show:
                self.stdout.write(f"  … and {len(result.changes) - show} more.")
