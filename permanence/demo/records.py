"""The demo's retention schedule: each RAA's own periods for the locally set categories (synthetic policies), so
the records due for disposal page has rows (the demo's closed households and enquiries run from their events)."""

from __future__ import annotations

from datetime import date

from permanence.organisations.models import Organisation
from permanence.records import rules
from permanence.records.models import RetentionPeriod

DEMO_PERIODS = {rules.HOUSEHOLD_NOT_PROCEEDED: 1, rules.ENQUIRY_NOT_PROCEEDED: 1, rules.HOUSEHOLD_NOT_APPROVED: 6}
SOURCE = "Demo: the RAA's records retention policy (synthetic)"


def load_demo(*, today: date) -> int:
    """Each RAA's periods, in force from 1 April of the year before `today` (idempotent). Returns rows written."""
    start = date(today.year - 1, 4, 1)
    written = 0
    for raa in Organisation.objects.filter(kind=Organisation.Kind.RAA):
        for category, years in DEMO_PERIODS.items():
            _row, created = RetentionPeriod.objects.update_or_create(
                category=category, raa=raa, effective_from=start, defaults={"years": years, "source": SOURCE})
            written += created
    return written
