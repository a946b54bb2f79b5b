import datetime

from django.db import migrations

SOURCE = ("domain.md section 6 (ASGLB quarterly data: adopters approved within 6 months of registration, matched "
          "within 3 months of approval; Adoption Scorecard A12)")
DEFAULTS = [
    ("ADOPTER_APPROVAL_MONTHS", 6, f"{SOURCE}: approval within this many months of registration"),
    ("ADOPTER_WAIT_MONTHS", 3, f"{SOURCE}: waiting this many months or more from approval"),
]


def load(apps, schema_editor):
    Threshold = apps.get_model("performance", "Threshold")
    for key, value, source in DEFAULTS:
        Threshold.objects.get_or_create(key=key, valid_from=datetime.date(2000, 1, 1),
                                        defaults=dict(value=value, unit="months", source=source))


class Migration(migrations.Migration):
    dependencies = [("performance", "0005_daily_cost_per_organisation")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
