import io
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from permanence.core.db import reports_read
from permanence.core.progress_bar import Bar
from permanence.organisations.models import Organisation
from permanence.performance import measures, members, reports


class Command(BaseCommand):
    help = ("Performance reports. `permanence report scorecard --la 801 --year-ending 2026 --format json` and "
            "`permanence report quarterly --raa AW --quarter 2025Q3 --format csv` (quarters of the financial year "
            "starting in April of the year named); `permanence report members --raa AW --half-year 2025H1` (the "
            "six-monthly report for elected members). Counts of 1–4 show as <5 unless --no-suppress.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        for name, help_text in [
            ("scorecard", "Adoption Scorecard (A1, A10, A2, A3; A11–A13 once available), three-year averages."),
            ("quarterly", "ASGLB-style quarterly figures for children."),
            ("prospective", "A cohort by first placement order date; children still waiting counted."),
            ("members", "The six-monthly report for elected members: a half-year beside the previous one and the "
                        "same half-year a year earlier."),
        ]:
            p = sub.add_parser(name, help=help_text)
            who = p.add_mutually_exclusive_group(required=True)
            who.add_argument("--la", help="An LA code (or several, comma-separated).")
            who.add_argument("--raa", help="An RAA code: its member LAs on each date.")
            who.add_argument("--all", action="store_true", help="Every LA.")
            if name == "scorecard":
                p.add_argument("--year-ending", type=int, required=True, help="The year of the 31 March it ends on.")
                p.add_argument("--years", type=int, default=3)
            elif name == "quarterly":
                p.add_argument("--quarter", required=True, help="e.g. 2025Q1 = April to June 2025.")
            elif name == "members":
                p.add_argument("--half-year", required=True,
                               help="e.g. 2025H1 = April to September 2025, 2025H2 = October 2025 to March 2026.")
            else:
                p.add_argument("--po-from", type=date.fromisoformat, required=True)
                p.add_argument("--po-to", type=date.fromisoformat, required=True)
                p.add_argument("--as-of", type=date.fromisoformat, required=True)
            p.add_argument("--format", choices=reports.FORMATS, default="json")
            p.add_argument("--out", help="Write to this file (default: standard output).")
            p.add_argument("--suppress", action="store_true", default=True,
                           help="Show counts of 1–4 as <5 (the default: figures leaving the RAA).")
            p.add_argument("--no-suppress", dest="suppress", action="store_false",
                           help="Show every figure as it is (for use inside the RAA only).")

    def execute(self, *args, **options):
        with reports_read():  # from the read-only replica when DATABASE_REPLICA_URL names one (docs/deploy.md)
            return super().execute(*args, **options)

    def handle(self, *args, **options):
        bar = Bar(self.stderr)
        bar(f"Working out the {options['report']} figures", 0)
        try:
            scope = measures.scope_for_code(la=options["la"], raa=options["raa"]) if not options["all"] \
                else measures.scope_all()
        except Organisation.DoesNotExist as err:
            raise CommandError(str(err) or "No such organisation") from None
        try:
            if options["report"] == "scorecard":
                report = reports.scorecard_report(scope, options["year_ending"], years=options["years"],
                                                  suppress=options["suppress"])
            elif options["report"] == "quarterly":
                report = reports.quarterly_report(scope, options["quarter"], suppress=options["suppress"])
            elif options["report"] == "members":
                report = members.members_report(scope, options["half_year"], suppress=options["suppress"])
            else:
                report = reports.prospective_report(scope, options["po_from"], options["po_to"], options["as_of"],
                                                    suppress=options["suppress"])
        except ValueError as err:
            raise CommandError(str(err)) from None
        fmt, path = options["format"], options["out"]
        bar(f"Writing the {fmt.upper()} file", 80)
        write = members.write if options["report"] == "members" else reports.write  # xlsx laid out like the page
        if path:
            mode = "wb" if fmt == "xlsx" else "w"
            with open(path, mode, **({} if fmt == "xlsx" else {"encoding": "utf-8", "newline": ""})) as f:
                write(report, fmt, f)
            bar.done()
            self.stderr.write(f"Wrote {options['report']} for {scope.label} to {path}")
        elif fmt == "xlsx":
            out = getattr(self.stdout, "_out", sys.stdout)
            out = getattr(out, "buffer", out)
            write(report, fmt, out)
            bar.done()
        else:
            text = io.StringIO()
            write(report, fmt, text)
            bar.done()
            self.stdout.write(text.getvalue(), ending="")
