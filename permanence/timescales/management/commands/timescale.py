from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from permanence.timescales.models import Timescale
from permanence.timescales.services import set_timescale


class Command(BaseCommand):
    help = "List the timescales in force, or set a new version: `permanence timescale set KEY ...`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="Every timescale with its versions and sources.")
        s = sub.add_parser("set", help="A new version of a timescale, valid from a date.")
        s.add_argument("key")
        s.add_argument("--amount", type=int, required=True)
        s.add_argument("--unit", required=True, choices=["working_days", "days", "weeks", "months"])
        s.add_argument("--from", dest="valid_from", required=True, help="YYYY-MM-DD")
        s.add_argument("--source", required=True, help="Where the timescale comes from.")

    def handle(self, *args, **options):
        if options["action"] == "list":
            for t in Timescale.objects.order_by("subject", "key", "valid_from"):
                until = f" to {t.valid_to}" if t.valid_to else ""
                self.stdout.write(f"{t.subject:<9} {t.key:<28} {t.amount:>4} {t.unit:<12} from {t.valid_from}{until}"
                                  f"  – {t.source}")
            return
        try:
            valid_from = date.fromisoformat(options["valid_from"])
        except ValueError:
            raise CommandError("--from must be a date as YYYY-MM-DD.") from None
        try:
            t = set_timescale(actor=None, key=options["key"], amount=options["amount"], unit=options["unit"],
                              valid_from=valid_from, source=options["source"])
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{t.key}: {t.amount} {t.unit} from {t.valid_from}."))
        self.stdout.write("Children's and households' due dates are recalculated when their records next change; "
                          "run `permanence refresh-snapshots` to recalculate them all now.")
