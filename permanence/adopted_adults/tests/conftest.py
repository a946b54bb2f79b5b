from datetime import date

import pytest

from permanence.adopted_adults import services
from permanence.organisations.models import Role

TODAY = date(2025, 9, 1)


@pytest.fixture
def today(monkeypatch):
    """A fixed 'today' for the services and pages: no test depends on the wall clock."""
    monkeypatch.setattr(services, "today", lambda: TODAY)
    return TODAY


def make_request(raa, *, kind="access_records", received=date(2025, 3, 3), steps=(), first_name="Ada",
                 last_name="Testperson", worker=None, agency=None):
    """A request of `raa` with its steps (kind, date, details) recorded by the system (synthetic names only)."""
    request = services.create_request(
        actor=None, raa=raa, request_type=kind, first_name=first_name, last_name=last_name,
        date_of_birth=date(1961, 5, 4), received_on=received, contact_method="email", adoption_year=1962,
        adoption_agency=agency, adoption_agency_name="A former county council", worker=worker, check_role=False,
        on=TODAY)
    for kind_, day, *details in steps:
        services.record_event(adult=request, kind=kind_, date=day, actor=None, check_role=False,
                              details=details[0] if details else None, on=TODAY)
    request.refresh_from_db()
    return request


@pytest.fixture
def world(region, today):
    """The region, with a request at North RAA (waiting, records awaited) and one at South RAA."""
    region.worker = region.user(Role.RAA_SUPPORT_WORKER)
    region.north = make_request(region.raa, worker=region.worker, steps=[
        ("triaged", date(2025, 3, 5), {"priority": "standard"}),
        ("records_requested", date(2025, 3, 6), {"agency": "Northshire County Council"}),
    ])
    region.south = make_request(region.other_raa, first_name="Bea", steps=[
        ("triaged", date(2025, 3, 5), {"priority": "standard"})])
    return region
