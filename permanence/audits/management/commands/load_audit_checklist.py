"""`permanence load_audit_checklist FILE.yaml`: add a new version of the case-file audit checklist, without code.

The file (permanence/audits/checklists/v1.yaml is version 1, from seed 000's Appendix A):

    version: 2
    title: Case-file quality audit checklist (2027)
    valid_from: 2027-04-01
    source: Where the checklist comes from
    sections:
      - key: life_story_book
        number: "1a"
        title: Life story book
        presence: true                          # ask whether it is in the file
        presence_rule: life_story_book_recorded # optional: answered from the journey (audits.rules)
        criteria:
          - key: timeliness
            number: "1a.ii"
            title: Timeliness
            guidance: Was it provided within 10 days of the Adoption Order?
            scale: yes_no                       # likert (1-5, the default) or yes_no (No 1, Yes 5)
            rule: life_story_book_in_time       # optional: pre-filled from the recorded dates

Rounds started from valid_from on use it; earlier rounds and their audits keep the version they were made with.
"""

from __future__ import annotations

import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from permanence.audits import rules, services


class Command(BaseCommand):
    help = "Add a new version of the case-file audit checklist from a YAML file."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            spec = services.read_checklist(options["file"])
            row = services.add_version(actor=None, spec=spec)
        except (OSError, yaml.YAMLError, rules.ChecklistError) as err:
            raise CommandError(f"Could not read the checklist: {err}") from err
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from err
        criteria = sum(len(s.criteria) for s in spec.sections)
        self.stdout.write(self.style.SUCCESS(
            f"Added version {row.version} with {len(spec.sections)} sections and {criteria} criteria."))
