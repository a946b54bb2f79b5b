"""Adoption support's timescales, as data (Timescale rows with the subject "support"; support.rules holds the same
defaults for a database without them). Changed through the timescales page like any other."""

import datetime

from django.db import migrations

ROWS = [
    ("support_duty_outcome", "Record the duty outcome", "referral_received", "duty_outcome,closed", 5, "working_days",
     "Permanence default: a duty response within a working week (seed 002 table 2.4, rapid response)"),
    ("support_assessment_start", "Start the assessment of need", "assessment_requested", "assessment_started,closed",
     6, "weeks", "Permanence default: well inside the 16-week wait seed 001 calls unacceptable"),
    ("support_assessment_complete", "Complete the assessment of need", "assessment_started",
     "assessment_completed,closed", 40, "working_days",
     "Permanence default: 8 working weeks, inside the 2.5 months seed 001 calls unacceptable"),
]


def load(apps, schema_editor):
    Timescale = apps.get_model("timescales", "Timescale")
    for key, label, start, ends, amount, unit, source in ROWS:
        Timescale.objects.get_or_create(
            key=key, valid_from=datetime.date(2000, 1, 1),
            defaults=dict(label=label, subject="support", start_event=start, end_events=ends, amount=amount,
                          unit=unit, source=source))


def unload(apps, schema_editor):
    apps.get_model("timescales", "Timescale").objects.filter(key__in=[r[0] for r in ROWS]).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial"), ("timescales", "0004_placement_reviews")]
    operations = [migrations.RunPython(load, unload)]
