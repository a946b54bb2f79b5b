"""Reference data: Permanence's default matching weights, the 2025/26 inter-agency fees (domain.md section 4) and
the link's 'no activity' timescale. All configurable: a new version, year or validity is a new row."""

import datetime
from decimal import Decimal

from django.db import migrations

# The engine's DEFAULT_WEIGHTS (family_finding.matching) as of this migration; a test checks they agree.
DEFAULT_WEIGHTS = {
    "version": "permanence-default-1",
    "source": "Permanence defaults (docs/family-finding.md): needs first, then heritage, contact and experience; "
              "time waiting on both sides (seed 002: the hardest-to-place children wait longest); distance and "
              "earlier declines from the adopters' most common complaints (domain.md section 4). Not statutory: "
              "each RAA should agree its own.",
    "valid_from": datetime.date(2026, 1, 1),
    "weights": {"needs_margin": 20, "heritage": 10, "religion": 4, "language": 4, "contact": 8,
                "early_permanence": 6, "experience": 8, "distance": 10, "household_waiting": 10,
                "child_waiting": 10, "decline": 12},
    "scales": {"waiting_full_months": 24, "distance_full_miles": 150, "decline_window_days": 365,
               "similar_age_months": 24},
}

FEE_SOURCE = ("CoramBAAF, inter-agency fees 2025/26 (England), as in domain.md section 4: {}; agencies in London "
              "+10%; a monthly fee past 12 months placed without an adoption order. Sibling and monthly rates not "
              "recorded here: enter the agreed rates.")
FEES = [
    ("vaa", 39245, "a VAA's placement of one child £39,245"),
    ("la_raa", 27000, "LA/RAA to LA/RAA £27,000 (the 2011 rate, continued)"),
]

STALE = dict(
    key="link_no_activity", label="Record activity on the link", subject="link", start_event="any_event",
    end_events="placed,ended", amount=28, unit="days",
    source="Permanence default (domain.md section 4: adopters complain of links left open after a \u201cno\u201d): an "
           "open link with no activity for 28 days shows as stale. Configurable.")


def load(apps, schema_editor):
    MatchingWeights = apps.get_model("family_finding", "MatchingWeights")
    InterAgencyFee = apps.get_model("family_finding", "InterAgencyFee")
    Timescale = apps.get_model("timescales", "Timescale")
    MatchingWeights.objects.get_or_create(raa=None, version=DEFAULT_WEIGHTS["version"], defaults={
        k: v for k, v in DEFAULT_WEIGHTS.items() if k != "version"})
    for agencies, first, said in FEES:
        InterAgencyFee.objects.get_or_create(financial_year=2025, agencies=agencies, defaults=dict(
            first_child=first, london_uplift_percent=Decimal("10"), source=FEE_SOURCE.format(said)))
    Timescale.objects.get_or_create(key=STALE["key"], valid_from=datetime.date(2000, 1, 1),
                                    defaults={k: v for k, v in STALE.items() if k != "key"})


class Migration(migrations.Migration):
    dependencies = [("family_finding", "0001_initial"), ("timescales", "0003_link_subject")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
