"""`permanence load_blueprint FILE.yaml`: add a new version of the blueprint review template, without code.

The file:

    version: 2
    title: Blueprint for adoption support services (2026)
    valid_from: 2026-04-01
    source: Where the template comes from
    domains:
      - title: An outcomes-based vision …
        guidance: Why it is needed …

Reviews recorded from valid_from on use it; earlier reviews keep the version they were scored against.
"""

from __future__ import annotations

import datetime as dt

import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from permanence.blueprint import services


class Command(BaseCommand):
    help = "Add a new version of the blueprint review template from a YAML file."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as fh:
                data = yaml.safe_load(fh) or {}
            valid_from = data["valid_from"]
            if isinstance(valid_from, str):
                valid_from = dt.date.fromisoformat(valid_from)
            domains = [(d["title"], d.get("guidance", "")) for d in data["domains"]]
            row = services.add_version(actor=None, version=int(data["version"]), title=str(data["title"]),
                                       valid_from=valid_from, source=str(data.get("source", "")), domains=domains)
        except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as err:
            raise CommandError(f"Could not read the template: {err!r}") from err
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from err
        self.stdout.write(self.style.SUCCESS(f"Added version {row.version} with {len(domains)} domains."))
