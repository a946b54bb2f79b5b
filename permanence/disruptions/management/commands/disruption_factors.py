"""Add a version of the learning reviews' contributing factors list from a YAML file (no code change):

    version: 2
    valid_from: 2027-04-01
    source: Quality board, March 2027
    factors:
      - {code: needs_underestimated, label: "The child's needs were underestimated"}
"""

import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from permanence.disruptions import rules, services


class Command(BaseCommand):
    help = "Add a new version of the learning reviews' contributing factors list from a YAML file."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            with open(options["path"], encoding="utf-8") as f:
                version, valid_from, source, factors = rules.parse_factor_list(yaml.safe_load(f))
            services.add_factor_list(actor=None, version=version, valid_from=valid_from, factors=factors,
                                     source=source)
        except (OSError, ValueError, yaml.YAMLError) as err:
            raise CommandError(str(err)) from None
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Added version {version} ({len(factors)} factors)."))
