"""The adoption placement reviews' timescales (Adoption Agencies Regulations 2005 reg 36(1)), as data.

The three rows are one chain: the first review is due 4 weeks after the child is placed for adoption, the second
3 months after the first, each later one 6 months after the one before, until the adoption order (children.rules
due_actions: `first_placement_review` is the date of the placement's first review, `later_placement_review` the
latest review from the second on).
"""

import datetime

from django.db import migrations

REG_36 = ("Adoption Agencies Regulations 2005 reg 36(1) and statutory guidance on adoption (2013): the "
          "placement is reviewed")
ROWS = [
    ("placement_review_first", "Hold the first adoption placement review", "placed_for_adoption", 4, "weeks",
     f"{REG_36} not more than 4 weeks after the child is placed for adoption (reg 36(1)(a))"),
    ("placement_review_second", "Hold the second adoption placement review", "first_placement_review", 3, "months",
     f"{REG_36} not more than 3 months after the first review (reg 36(1)(b))"),
    ("placement_review_later", "Hold the next adoption placement review", "later_placement_review", 6, "months",
     f"{REG_36} not more than 6 months after the previous review, until the adoption order (reg 36(1)(c))"),
]


def load(apps, schema_editor):
    Timescale = apps.get_model("timescales", "Timescale")
    for key, label, start, amount, unit, source in ROWS:
        Timescale.objects.get_or_create(
            key=key, valid_from=datetime.date(2000, 1, 1),
            defaults=dict(label=label, subject="child", start_event=start, end_events="placement_review",
                          amount=amount, unit=unit, source=source),
        )


def unload(apps, schema_editor):
    apps.get_model("timescales", "Timescale").objects.filter(key__in=[r[0] for r in ROWS]).delete()


class Migration(migrations.Migration):
    dependencies = [("timescales", "0003_link_subject")]
    operations = [migrations.RunPython(load, unload)]
