from datetime import date

import pytest

from permanence.adopters import services
from permanence.adopters.models import EnquirySource

TODAY = date(2025, 9, 1)


@pytest.fixture
def today(monkeypatch):
    """A fixed 'today' for the adopters' services and pages: no test depends on the wall clock."""
    monkeypatch.setattr(services, "today", lambda: TODAY)
    return TODAY


def make_household(raa, name, *, roi=date(2025, 1, 6), events=(), fast_track=False):
    household = services.register_interest(
        actor=None, raa=raa, name=name, applicants=[{"first_name": "Alex", "last_name": name}], roi_date=roi,
        previous_adopters=fast_track)
    for kind, day, *details in events:
        services.record_event(household=household, kind=kind, date=day, actor=None, check_role=False,
                              details=details[0] if details else None)
    household.refresh_from_db()
    return household


TO_STAGE_2 = [
    ("roi_decision", date(2025, 1, 10), {"outcome": "accepted"}),
    ("stage_1_started", date(2025, 1, 13)),
    ("stage_1_completed", date(2025, 3, 10)),
    ("stage_2_started", date(2025, 3, 17)),
]
TO_PANEL = [*TO_STAGE_2, ("par_completed", date(2025, 6, 2))]


def source(code="website"):
    return EnquirySource.objects.get(code=code)




@pytest.fixture
def match_world(region, monkeypatch):
    """Match items' world (match_world.py): an approved household, linked children, a panel, a movable clock."""
    from permanence.adopters.tests.match_world import MatchWorld

    return MatchWorld(region, monkeypatch)
