"""The fund's fair access limits and its timescales, as data.

The limits (domain.md section 5, from the Department for Education's ASF guidance): from 2016/17 (October 2016)
£5,000 a child a year for therapy and a further £2,500 for a specialist assessment, with match funding above the
limit; from 2025/26 £3,000 a child a year in all, specialist assessments included, with no match funding. A
system administrator records a later year's change on the fair access limit page.

The timescales: the sources held here (domain.md, seeds 001 and 002) give the fund no decision or payment
timescale, so these are configurable defaults (change them on the timescales page): a decision within 20
working days of the application being submitted, and payment within 20 working days of its approval.
"""

import datetime
from decimal import Decimal

from django.db import migrations

ASF = "Adoption and Special Guardianship Support Fund guidance (Department for Education)"
LIMITS = [
    (2016, None, Decimal("5000"), Decimal("2500"), True,
     f"{ASF}, from October 2016: £5,000 therapy and £2,500 specialist assessment per child per financial year"),
    (2025, Decimal("3000"), None, None, False,
     f"{ASF}, 2025/26: £3,000 per child per financial year including specialist assessments; no match funding"),
]
DEFAULT = "Configurable default: no published timescale in the sources held (domain.md section 5)"
TIMESCALES = [
    ("asf_decision", "Support fund decision", "asf_submitted", "asf_decided", 20, "working_days",
     f"{DEFAULT}; a decision within 20 working days of the application being submitted"),
    ("asf_payment", "Support fund payment", "asf_decided", "asf_paid", 20, "working_days",
     f"{DEFAULT}; payment within 20 working days of the approval"),
]


def load(apps, schema_editor):
    Limit = apps.get_model("support_fund", "FairAccessLimit")
    for year, combined, therapy, assessment, match, source in LIMITS:
        Limit.objects.get_or_create(financial_year=year, defaults=dict(
            combined_limit=combined, therapy_limit=therapy, assessment_limit=assessment, match_funding=match,
            source=source))
    Timescale = apps.get_model("timescales", "Timescale")
    for key, label, start, end, amount, unit, source in TIMESCALES:
        Timescale.objects.get_or_create(key=key, valid_from=datetime.date(2000, 1, 1), defaults=dict(
            label=label, subject="support", start_event=start, end_events=end, amount=amount, unit=unit,
            source=source))


def unload(apps, schema_editor):
    apps.get_model("support_fund", "FairAccessLimit").objects.filter(
        financial_year__in=[row[0] for row in LIMITS]).delete()
    apps.get_model("timescales", "Timescale").objects.filter(key__in=[row[0] for row in TIMESCALES]).delete()


class Migration(migrations.Migration):
    dependencies = [("support_fund", "0001_initial"), ("timescales", "0004_placement_reviews")]
    operations = [migrations.RunPython(load, unload)]
