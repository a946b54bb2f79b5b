import datetime

from django.db import migrations

D = datetime.date
DOMAIN = "domain.md section 6 (DfE Adoption Scorecard thresholds)"
# (key, value, unit, valid_from, valid_to, source): valid for scorecards whose three-year period ends in between.
DEFAULTS = [
    ("A1", 639, "days", D(2012, 3, 31), D(2013, 3, 30), f"{DOMAIN}: 2012 scorecard, 21 months"),
    ("A2", 213, "days", D(2012, 3, 31), D(2013, 3, 30), f"{DOMAIN}: 2012 scorecard, 7 months"),
    ("A1", 547, "days", D(2014, 3, 31), D(2015, 3, 30), f"{DOMAIN}: 2014 scorecard, 18 months"),
    ("A2", 182, "days", D(2014, 3, 31), D(2015, 3, 30), f"{DOMAIN}: 2014 scorecard, 6 months"),
    ("A1", 487, "days", D(2015, 3, 31), D(2016, 3, 30), f"{DOMAIN}: 2015 scorecard, 16 months"),
    ("A2", 152, "days", D(2015, 3, 31), D(2016, 3, 30),
     f"{DOMAIN}: 2015 scorecard, 5 months (seed 003 quotes 121 days against its 2012–15 figures)"),
    ("A1", 426, "days", D(2016, 3, 31), None,
     f"{DOMAIN}: the 2013–16 target, 14 months; applied to later scorecards until a newer threshold is added"),
    ("A2", 121, "days", D(2016, 3, 31), None,
     f"{DOMAIN}: the 2013–16 target, 4 months; applied to later scorecards until a newer threshold is added"),
    ("A3", 16, "months", D(2012, 3, 31), D(2016, 3, 30),
     f"{DOMAIN}: A3 counts moves within 16 months in the 2012–15 scorecards (seed 003, Table 1)"),
    ("A3", 14, "months", D(2016, 3, 31), None, f"{DOMAIN}: A3 counts moves within 14 months"),
]


def load(apps, schema_editor):
    Threshold = apps.get_model("performance", "Threshold")
    for key, value, unit, valid_from, valid_to, source in DEFAULTS:
        Threshold.objects.get_or_create(key=key, valid_from=valid_from,
                                        defaults=dict(value=value, unit=unit, valid_to=valid_to, source=source))


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
