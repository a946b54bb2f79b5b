"""Correct the scorecard thresholds 0002 loaded, against their sources, and add the missing ones.

0002 gave the 2010–13 thresholds (A1 639, A2 213 days) to the scorecard ending March 2012, so the scorecard
ending March 2013 had none, and gave 2012–15 an A2 of 152 days where seed 003 (tables 1 and 2) says 121.
A threshold row applies to scorecards whose three-year period ends between valid_from and valid_to
(rules.threshold_on, called with the period's last day, 31 March of the year ending): each row below starts on
31 March of its scorecard's last year. The rows 0002 created are corrected in place (identified by the key,
date and value 0002 gave them; a row someone has changed since is left alone) and the missing ones added, each
with the source it comes from. Reversing restores 0002's rows.
"""

import datetime

from django.db import migrations

D = datetime.date
DOMAIN = "domain.md section 6, Thresholds"
SEED = 'seed 003 (003_2bf70249abd729af.txt) tables 1 and 2: "Distance from performance threshold (487 and 121 days)"'
A3_DOMAIN = "domain.md section 6, A3"

# What 0002 created, as (key, valid_from, value): these rows are corrected.
FROM_0002 = {
    ("A1", D(2012, 3, 31), 639): ("A1", D(2013, 3, 31)),
    ("A2", D(2012, 3, 31), 213): ("A2", D(2013, 3, 31)),
    ("A1", D(2014, 3, 31), 547): ("A1", D(2014, 3, 31)),
    ("A2", D(2014, 3, 31), 182): ("A2", D(2014, 3, 31)),
    ("A1", D(2015, 3, 31), 487): ("A1", D(2015, 3, 31)),
    ("A2", D(2015, 3, 31), 152): ("A2", D(2015, 3, 31)),
    ("A1", D(2016, 3, 31), 426): ("A1", D(2016, 3, 31)),
    ("A2", D(2016, 3, 31), 121): ("A2", D(2016, 3, 31)),
    ("A3", D(2012, 3, 31), 16): ("A3", D(2013, 3, 31)),
    ("A3", D(2016, 3, 31), 14): ("A3", D(2016, 3, 31)),
}

# The thresholds as the sources give them: (key, value, unit, valid_from, valid_to, source).
THRESHOLDS = [
    ("A1", 639, "days", D(2013, 3, 31), D(2014, 3, 30),
     f"{DOMAIN}: 2010–13 scorecard (three years ending 31 March 2013), A1 639 days"),
    ("A2", 213, "days", D(2013, 3, 31), D(2014, 3, 30),
     f"{DOMAIN}: 2010–13 scorecard (three years ending 31 March 2013), A2 213 days"),
    ("A1", 547, "days", D(2014, 3, 31), D(2015, 3, 30),
     f"{DOMAIN}: 2011–14 scorecard (three years ending 31 March 2014), A1 547 days"),
    ("A2", 182, "days", D(2014, 3, 31), D(2015, 3, 30),
     f"{DOMAIN}: 2011–14 scorecard (three years ending 31 March 2014), A2 182 days"),
    ("A1", 487, "days", D(2015, 3, 31), D(2016, 3, 30),
     f"2012–15 scorecard (three years ending 31 March 2015), A1 487 days: {SEED}; {DOMAIN}"),
    ("A2", 121, "days", D(2015, 3, 31), D(2016, 3, 30),
     f"2012–15 scorecard (three years ending 31 March 2015), A2 121 days: {SEED}; {DOMAIN}"),
    ("A1", 426, "days", D(2016, 3, 31), None,
     f"{DOMAIN}: the 2013–16 target, 14 months (≈426 days), for the scorecard ending 31 March 2016; carried "
     "forward to later scorecards until a newer threshold is added"),
    ("A2", 121, "days", D(2016, 3, 31), None,
     f"{DOMAIN}: the 2013–16 target, 4 months (≈121 days), for the scorecard ending 31 March 2016; carried "
     "forward to later scorecards until a newer threshold is added"),
    # A3 (the months it counts within). The sources give 16 months for 2012–15 and 14 months otherwise; none gives
    # the months for the scorecards ending 2013 and 2014, which keep 0002's 16 (the nearest sourced scorecard's).
    ("A3", 16, "months", D(2013, 3, 31), D(2014, 3, 30),
     f"{A3_DOMAIN}: no source gives A3's months for the 2010–13 scorecard; 16, as the 2012–15 scorecard "
     "(seed 003 tables 1 and 2), until a source is added"),
    ("A3", 16, "months", D(2014, 3, 31), D(2015, 3, 30),
     f"{A3_DOMAIN}: no source gives A3's months for the 2011–14 scorecard; 16, as the 2012–15 scorecard "
     "(seed 003 tables 1 and 2), until a source is added"),
    ("A3", 16, "months", D(2015, 3, 31), D(2016, 3, 30),
     f'2012–15 scorecard, A3 within 16 months: seed 003 tables 1 and 2 ("Children waiting less than 16 months '
     f'between care entry and move to adoptive family"); {A3_DOMAIN}'),
    ("A3", 14, "months", D(2016, 3, 31), None,
     f"{A3_DOMAIN}: children moving in within 14 months of entering care, from the scorecard ending 31 March "
     "2016 until a newer definition is added"),
]

# 0002's rows as it created them, for reversing: (key, value, unit, valid_from, valid_to, source).
_OLD_DOMAIN = "domain.md section 6 (DfE Adoption Scorecard thresholds)"
OLD = [
    ("A1", 639, "days", D(2012, 3, 31), D(2013, 3, 30), f"{_OLD_DOMAIN}: 2012 scorecard, 21 months"),
    ("A2", 213, "days", D(2012, 3, 31), D(2013, 3, 30), f"{_OLD_DOMAIN}: 2012 scorecard, 7 months"),
    ("A1", 547, "days", D(2014, 3, 31), D(2015, 3, 30), f"{_OLD_DOMAIN}: 2014 scorecard, 18 months"),
    ("A2", 182, "days", D(2014, 3, 31), D(2015, 3, 30), f"{_OLD_DOMAIN}: 2014 scorecard, 6 months"),
    ("A1", 487, "days", D(2015, 3, 31), D(2016, 3, 30), f"{_OLD_DOMAIN}: 2015 scorecard, 16 months"),
    ("A2", 152, "days", D(2015, 3, 31), D(2016, 3, 30),
     f"{_OLD_DOMAIN}: 2015 scorecard, 5 months (seed 003 quotes 121 days against its 2012–15 figures)"),
    ("A1", 426, "days", D(2016, 3, 31), None,
     f"{_OLD_DOMAIN}: the 2013–16 target, 14 months; applied to later scorecards until a newer threshold is added"),
    ("A2", 121, "days", D(2016, 3, 31), None,
     f"{_OLD_DOMAIN}: the 2013–16 target, 4 months; applied to later scorecards until a newer threshold is added"),
    ("A3", 16, "months", D(2012, 3, 31), D(2016, 3, 30),
     f"{_OLD_DOMAIN}: A3 counts moves within 16 months in the 2012–15 scorecards (seed 003, Table 1)"),
    ("A3", 14, "months", D(2016, 3, 31), None, f"{_OLD_DOMAIN}: A3 counts moves within 14 months"),
]


def correct(apps, schema_editor):
    Threshold = apps.get_model("performance", "Threshold")
    wanted = {(key, valid_from): (value, unit, valid_to, source)
              for key, value, unit, valid_from, valid_to, source in THRESHOLDS}
    # Move 0002's rows to their right dates and values first (every move is to a date no 0002 row of the key holds,
    # or to its own), then add what is still missing.
    for (key, old_from, old_value), new_key in FROM_0002.items():
        row = Threshold.objects.filter(key=key, valid_from=old_from, value=old_value).first()
        if row is None or Threshold.objects.filter(key=new_key[0], valid_from=new_key[1]).exclude(pk=row.pk).exists():
            continue
        value, unit, valid_to, source = wanted[new_key]
        row.valid_from, row.value, row.unit, row.valid_to, row.source = new_key[1], value, unit, valid_to, source
        row.save()
    for (key, valid_from), (value, unit, valid_to, source) in wanted.items():
        Threshold.objects.get_or_create(key=key, valid_from=valid_from,
                                        defaults=dict(value=value, unit=unit, valid_to=valid_to, source=source))


def restore(apps, schema_editor):
    Threshold = apps.get_model("performance", "Threshold")
    Threshold.objects.filter(key__in=["A1", "A2", "A3"],
                             valid_from__in=[valid_from for _k, _v, _u, valid_from, _t, _s in THRESHOLDS]).delete()
    for key, value, unit, valid_from, valid_to, source in OLD:
        Threshold.objects.update_or_create(key=key, valid_from=valid_from,
                                           defaults=dict(value=value, unit=unit, valid_to=valid_to, source=source))


class Migration(migrations.Migration):
    dependencies = [("performance", "0006_adopter_measure_months")]
    operations = [migrations.RunPython(correct, restore)]
