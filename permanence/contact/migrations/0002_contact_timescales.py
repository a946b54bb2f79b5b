"""Contact's timescales, as data (Timescale rows of subject 'contact'; contact.selectors.contact_timescales reads
them, and a new row with a later valid_from changes them from that day)."""

import datetime

from django.db import migrations

ROWS = [
    ("letterbox_arrival_grace", "A letterbox exchange arrives by its due date, with this grace", "letterbox_due",
     "letterbox_received", 14, "days", "Local practice: the RAA's letterbox service (seed 001 3.12)"),
    ("letterbox_forward", "Forward a letterbox exchange after it arrives", "letterbox_received",
     "letterbox_forwarded", 10, "working_days", "Local practice: the RAA's letterbox service (seed 001 3.12)"),
    ("contact_review_first", "Review the contact arrangements after the adoption order", "adoption_order",
     "contact_review", 12, "months", "Seed 001 3.12 (good practice): one year after the adoption order"),
    ("contact_review_later", "Review the contact arrangements again", "contact_review", "contact_review", 24,
     "months", "Seed 001 3.12 (good practice): every two years after"),
    ("birth_relative_offer", "Offer birth parents independent support after adoption becomes the plan",
     "adoption_plan", "birth_relative_offer", 28, "days",
     "Adoption Support Services Regulations 2005; seed 001 3.13 (offered from the point adoption is the plan)"),
]


def load(apps, schema_editor):
    Timescale = apps.get_model("timescales", "Timescale")
    for key, label, start, end, amount, unit, source in ROWS:
        Timescale.objects.get_or_create(
            key=key, valid_from=datetime.date(2000, 1, 1),
            defaults=dict(label=label, subject="contact", start_event=start, end_events=end, amount=amount,
                          unit=unit, source=source))


def unload(apps, schema_editor):
    apps.get_model("timescales", "Timescale").objects.filter(key__in=[r[0] for r in ROWS]).delete()


class Migration(migrations.Migration):
    dependencies = [("contact", "0001_initial"), ("timescales", "0004_placement_reviews")]
    operations = [migrations.RunPython(load, unload)]
