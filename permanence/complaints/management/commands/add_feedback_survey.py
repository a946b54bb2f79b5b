"""Add a new version of a feedback survey from a YAML file (no code change; earlier responses keep theirs).

    point: preparation            # preparation | approval | placement | support_close
    title: Preparation training feedback
    valid_from: 2026-09-01
    questions:
      - {key: useful, text: 'How useful was the training?', kind: scale}
      - {key: ready, text: 'Do you feel better prepared?', kind: yes_no}
      - {key: comments, text: 'What could we do better?', kind: text}
"""

from __future__ import annotations

import datetime as dt

import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from permanence.complaints import services


class Command(BaseCommand):
    help = "Add the next version of a feedback survey from a YAML file."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        with open(options["path"], encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        valid_from = data.get("valid_from")
        if isinstance(valid_from, str):
            valid_from = dt.date.fromisoformat(valid_from)
        if not isinstance(valid_from, dt.date):
            raise CommandError("Give valid_from as a date, like 2026-09-01.")
        try:
            survey = services.add_survey_version(actor=None, point=data.get("point", ""),
                                                 title=data.get("title", ""), questions=data.get("questions"),
                                                 valid_from=valid_from)
        except ValidationError as err:
            raise CommandError(" ".join(err.messages)) from err
        self.stdout.write(self.style.SUCCESS(f"Added {survey} for {survey.point_label.lower()}."))
