"""The adopted adults' timescales, as data (Timescale rows with the subject "adult"): an agency's records not
received within 20 working days of the request are chased, and the target wait from the request to the first
interview is 3 months. Both are Permanence defaults an RAA changes with a new row (seed 001, 3.14: delays when
records come from another agency; waits of 3 to 6 months for an initial interview seen)."""

import datetime

from django.db import migrations

ROWS = [
    ("adult_records_chase", "Chase the records requested from another agency", "records_requested",
     "records_received", 20, "working_days",
     "Permanence default: chase another agency's records not received within 20 working days (seed 001, 3.14: "
     "the national issue of delay when records have to be sourced from another agency)"),
    ("adult_first_interview", "First interview (target wait from the request)", "received", "first_interview", 3,
     "months", "Permanence default: a first interview within 3 months of the request (seed 001, 3.14: adopted "
     "adults were typically waiting 3 to 6 months for an initial interview)"),
]


def load(apps, schema_editor):
    Timescale = apps.get_model("timescales", "Timescale")
    for key, label, start, end, amount, unit, source in ROWS:
        Timescale.objects.get_or_create(
            key=key, valid_from=datetime.date(2000, 1, 1),
            defaults=dict(label=label, subject="adult", start_event=start, end_events=end, amount=amount, unit=unit,
                          source=source),
        )


def unload(apps, schema_editor):
    apps.get_model("timescales", "Timescale").objects.filter(key__in=[r[0] for r in ROWS]).delete()


class Migration(migrations.Migration):
    dependencies = [("adopted_adults", "0001_initial"), ("timescales", "0004_placement_reviews")]
    operations = [migrations.RunPython(load, unload)]
