"""permanence export-903 --la CODE [--year YYYY ...] --out DIR [--xml]"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from permanence.core.progress_bar import Bar
from permanence.interchange import services
from permanence.organisations.models import Organisation, Staff


class Command(BaseCommand):
    help = ("Write the journeys Permanence holds for an LA as SSDA903 tables (Header, Episodes, AD1, "
            "PlacedAdoption), one set per collection year, so the LA can check its return against ours.")

    def add_arguments(self, parser):
        parser.add_argument("--la", required=True, nargs="+", help="LA code(s); 'all' for every LA.")
        parser.add_argument("--year", type=int, action="append",
                            help="Collection year by its end (2025 for 2024/25); repeat for more. Default: every "
                                 "year from the earliest entry into care.")
        parser.add_argument("--out", required=True, help="Directory to write into (created if missing).")
        parser.add_argument("--xml", action="store_true", help="One XML file per year instead of CSV tables.")
        parser.add_argument("--user", help="Export as this member of staff (checked like the web).")

    def handle(self, *args, **o):
        las = Organisation.objects.filter(kind="la")
        if o["la"] != ["all"]:
            las = las.filter(code__in=o["la"])
            missing = set(o["la"]) - set(las.values_list("code", flat=True))
            if missing:
                raise CommandError(f"There is no LA with code {', '.join(sorted(missing))}.")
        actor = None
        if o["user"]:
            actor = Staff.objects.filter(username=o["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"There is no active member of staff {o['user']}.")
        out = Path(o["out"])
        out.mkdir(parents=True, exist_ok=True)
        written = 0
        bar = Bar(self.stderr)
        chosen = list(las.order_by("code"))
        for i, la in enumerate(chosen):
            bar(f"Exported {i:,} of {len(chosen):,} local authorities", 100 * i / max(len(chosen), 1))
            try:
                files = services.export_903(la=la, actor=actor, years=o["year"], fmt="xml" if o["xml"] else "csv")
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from None
            except ValidationError as exc:
                raise CommandError(exc.messages[0]) from None
            la_dir = out / la.code
            la_dir.mkdir(exist_ok=True)
            for name, content in files.items():
                (la_dir / name).write_bytes(content)
                written += 1
        bar.done()
        self.stdout.write(self.style.SUCCESS(f"Wrote {written} files to {out}."))
