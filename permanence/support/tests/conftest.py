from datetime import date

import pytest

from permanence.support import services

TODAY = date(2025, 9, 1)


@pytest.fixture
def today(monkeypatch):
    """A fixed 'today' for every support service: no test depends on the wall clock."""
    monkeypatch.setattr(services, "today", lambda: TODAY)
    return TODAY


def make_case(region, raa=None, *, steps=(), **over):
    """A referral for `raa` (the North RAA), then `steps`: (kind, date, details)."""
    raa = raa or region.raa
    values = dict(referrer_type="adoptive_family", referred_on=date(2025, 6, 2), family_name="Hartley family",
                  referrer_name="Jo Hartley", referrer_relationship="Adoptive mother", reason="Violence at home",
                  urgency="standard", child_name="Sam Hartley", child_date_of_birth=date(2016, 4, 1))
    values.update(over)
    case = services.create_referral(actor=None, raa=raa, check_role=False, on=TODAY, **values)
    for kind, day, *details in steps:
        services.record_event(case=case, kind=kind, date=day, actor=None, check_role=False, on=TODAY,
                              details=details[0] if details else None)
    case.refresh_from_db()
    return case


TO_WAITING = [("duty_outcome", date(2025, 6, 3), {"outcome": "for_assessment"}),
              ("assessment_requested", date(2025, 6, 4))]
