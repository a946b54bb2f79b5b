from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from permanence.performance import measures, rules, services


class Command(BaseCommand):
    help = ("Published England figures, the comparisons' national comparator. `permanence national-figures load "
            "FILE.csv` (columns measure, period, value, source, and n if published; all or nothing, problems by "
            "line; --replace to replace figures already loaded with another value) and `permanence "
            "national-figures list`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load a CSV of published England figures.")
        load.add_argument("file")
        load.add_argument("--replace", action="store_true",
                          help="Replace a figure already loaded for the same measure and period with another value.")
        sub.add_parser("list", help="The England figures loaded.")

    def handle(self, *args, **options):
        if options["action"] == "list":
            facts = sorted(measures.national_figures(), key=lambda f: (f.measure, f.start, f.end))
            if not facts:
                self.stdout.write("No published England figures are loaded. Load some with "
                                  "`permanence national-figures load FILE.csv`.")
            for f in facts:
                unit = rules.MEASURES[f.measure].unit.value if f.measure in rules.MEASURES else ""
                n = f" (n = {f.n})" if f.n is not None else ""
                self.stdout.write(f"{f.measure}\t{f.period}\t{f.value} {unit}{n}\t{f.source}")
            return
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise CommandError(f"Cannot read {path}: {err}") from None
        try:
            result = services.load_national_figures(actor=None, text=text, replace=options["replace"])
        except services.NationalFiguresRefused as err:
            raise CommandError(f"Nothing was loaded from {path}:\n  " + "\n  ".join(err.problems)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Loaded {path}: {len(result.added)} added, {len(result.replaced)} replaced, "
            f"{len(result.unchanged)} already loaded and unchanged."))
