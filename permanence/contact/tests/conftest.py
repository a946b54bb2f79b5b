from datetime import date

import pytest

from permanence.children import services as child_services
from permanence.contact import services
from permanence.testing import PLACEMENT_ORDER_JOURNEY

TODAY = date(2026, 3, 16)
ADOPTED = [*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 2)), ("match_decision", date(2024, 11, 4)),
           ("placed_for_adoption", date(2024, 12, 2)), ("adoption_order", date(2025, 6, 30))]


@pytest.fixture
def today(monkeypatch):
    """A fixed 'today' for contact's services (and the child's): no test depends on the wall clock."""
    for module in (services, child_services):
        monkeypatch.setattr(module, "today", lambda: TODAY)
    return TODAY


def letterbox_plan(child, *, times_a_year=2, start_on=date(2025, 7, 1), until=TODAY):
    plan = services.create_plan(actor=None, child=child, check_role=False)
    arrangement = services.add_arrangement(
        actor=None, plan=plan, kind="letterbox", with_name="Morwenna Testcase", relationship="birth_mother",
        start_on=start_on, times_a_year=times_a_year, check_role=False, schedule_until=until)
    return plan, arrangement


@pytest.fixture
def world(region, today):
    """An adopted North child with a letterbox plan (twice a year both ways from 1 July 2025: due 1 January 2026
    so far), and an adopted South child with the same: another RAA's."""
    region.north = region.child(events=ADOPTED, first_name="Nia")
    region.plan, region.arrangement = letterbox_plan(region.north)
    region.exchange = region.arrangement.exchanges.get(direction="from_adopters")
    region.south = region.child(region.other_la, events=ADOPTED, first_name="Sol")
    region.south_plan, region.south_arrangement = letterbox_plan(region.south)
    region.south_exchange = region.south_arrangement.exchanges.get(direction="from_adopters")
    region.offer = services.record_offer(actor=None, child=region.north, relative_name="Morwenna Testcase",
                                         relationship="birth_mother", offered_on=date(2024, 5, 20),
                                         offered_by="Birth Ties (independent)", response="accepted",
                                         response_on=date(2024, 6, 1), check_role=False)
    region.south_offer = services.record_offer(actor=None, child=region.south, relative_name="Ada Testcase",
                                               relationship="birth_mother", offered_on=date(2024, 5, 20),
                                               offered_by="A worker", check_role=False)
    return region
