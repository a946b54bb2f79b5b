from datetime import date

import pytest

from permanence.adopters.tests.conftest import TO_STAGE_2, make_household
from permanence.children import services as child_services
from permanence.records import services

TODAY = date(2028, 1, 10)
BASE = [
    ("entered_care", date(2023, 1, 10)),
    ("identified", date(2023, 2, 1)),
    ("permanence_plan", date(2023, 5, 2)),
    ("should_be_placed", date(2023, 7, 3)),
    ("placement_order", date(2023, 9, 4)),
]
WITHDREW = [*TO_STAGE_2, ("closed", date(2025, 4, 1), {"reason": "withdrew"})]
NOT_APPROVED = [
    *TO_STAGE_2,
    ("par_completed", date(2025, 6, 2)),
    ("panel_recommendation", date(2025, 6, 20), {"recommendation": "not_approve"}),
    ("adm_decision", date(2025, 6, 25), {"decision": "not_approved"}),
]


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def world(region, today):
    """North RAA: a household that withdrew in April 2025 (due April 2027), one not approved in June 2025 (due
    June 2031), a child whose plan changed in October 2023; South RAA: a household that withdrew."""
    region.withdrew = make_household(region.raa, "Okonkwo-Testfamily", events=WITHDREW)
    applicant = region.withdrew.applicants.get()
    applicant.date_of_birth = date(1985, 6, 1)
    applicant.save()
    region.not_approved = make_household(region.raa, "Notyet-Testfamily", events=NOT_APPROVED)
    region.changed = region.child(region.la, first_name="Zebedee", last_name="Testchild", events=BASE)
    child_services.record_event(
        child=region.changed,
        kind="visit",
        date=date(2023, 9, 20),
        actor=None,
        check_role=False,
        note="Visited Zebedee at his grandmother's house",
    )
    child_services.record_event(
        child=region.changed,
        kind="plan_changed",
        date=date(2023, 10, 2),
        actor=None,
        check_role=False,
        details={"reason": "RD3"},
        note="Zebedee's aunt will care for him",
    )
    region.changed.refresh_from_db()
    region.theirs = make_household(region.other_raa, "Southern-Testfamily", events=WITHDREW)
    return region
