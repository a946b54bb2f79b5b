from django.core.management.base import BaseCommand, CommandError

from permanence.organisations.loader import StructureError, load_structure, read_file


class Command(BaseCommand):
    help = "Organisation structure. `permanence org load FILE` creates or updates RAAs, LAs, teams, policies and staff."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load an RAA structure from a YAML file (all or nothing; repeatable).")
        load.add_argument("file")

    def handle(self, *args, **options):
        if options["action"] == "load":
            try:
                counts = load_structure(read_file(options["file"]))
            except StructureError as err:
                raise CommandError("Nothing was loaded:\n  " + "\n  ".join(err.problems)) from None
            self.stdout.write(self.style.SUCCESS(
                "Loaded {file}: {organisations} organisations, {teams} teams, {policies} policies, "
                "{staff} staff created or updated.".format(file=options["file"], **counts)))
