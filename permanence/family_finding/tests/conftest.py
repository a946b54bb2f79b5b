from datetime import date

import pytest

from permanence.adopters import services as household_services
from permanence.children import services as child_services
from permanence.family_finding import services
from permanence.testing import PLACEMENT_ORDER_JOURNEY

TODAY = date(2025, 9, 1)
APPROVAL = [
    ("roi_decision", date(2025, 1, 10), {"outcome": "accepted"}),
    ("stage_1_started", date(2025, 1, 13)),
    ("stage_1_completed", date(2025, 3, 10)),
    ("stage_2_started", date(2025, 3, 17)),
    ("par_completed", date(2025, 6, 2)),
    ("panel_recommendation", date(2025, 6, 20), {"recommendation": "approve"}),
    ("adm_decision", date(2025, 6, 27), {"decision": "approved"}),
]
AT_PO = [*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 2))]


@pytest.fixture
def today(monkeypatch):
    """A fixed 'today' for every service family finding calls: no test depends on the wall clock."""
    for module in (services, child_services, household_services):
        monkeypatch.setattr(module, "today", lambda: TODAY)
    return TODAY


def approved_household(raa, name="Okafor-Reid", *, postcode="", assessing_social_worker=None, **capacity):
    household = household_services.register_interest(
        actor=None, raa=raa, name=name, applicants=[{"first_name": "Sam", "last_name": name,
                                                     "date_of_birth": date(1986, 4, 2)}],
        roi_date=date(2025, 1, 6), postcode=postcode, assessing_social_worker=assessing_social_worker)
    for kind, day, *details in APPROVAL:
        household_services.record_event(household=household, kind=kind, date=day, actor=None, check_role=False,
                                        details=details[0] if details else None)
    if capacity:
        household_services.set_capacity(actor=None, household=household, **capacity)
    household.refresh_from_db()
    return household


@pytest.fixture
def world(region, today):
    """The region, a child at placement order in LA 901 (North RAA) and two approved North households."""
    region.child_at_po = region.child(events=AT_PO, first_name="Robin", family_finder=region.user(
        "raa_family_finder"))
    region.household = approved_household(region.raa, assessing_social_worker=region.user(
        "raa_assessing_social_worker"))
    region.second = approved_household(region.raa, "Lindqvist")
    return region


IDENTIFIED = [("entered_care", date(2025, 3, 3)), ("identified", date(2025, 4, 1))]


@pytest.fixture
def fit(world):
    """The world, with a household taking one child aged 0 to 4, and the North RAA's waiting children: Robin (at
    placement order), Wren (identified, LA 902), Otto (10) and Ada and Bea (placed together); Quentin is South's."""
    w = world
    w.fitter = approved_household(w.raa, "Achterberg", children_max=1, age_min_years=0, age_max_years=4)
    w.baby = w.child(w.la_keeps, events=IDENTIFIED, first_name="Wren", dob=date(2024, 11, 5))
    w.older = w.child(events=AT_PO, first_name="Otto", dob=date(2015, 4, 20))
    group = child_services.create_sibling_group(actor=None, la=w.la, name="The Testcase siblings",
                                                plan="together")
    w.sib_a = w.child(events=AT_PO, first_name="Ada", sibling_group=group, dob=date(2021, 6, 1))
    w.sib_b = w.child(events=AT_PO, first_name="Bea", sibling_group=group, dob=date(2023, 2, 1))
    w.group = group
    w.south_child = w.child(w.other_la, events=AT_PO, first_name="Quentin")  # another RAA's: never shown
    return w


def with_links_both_sides(w):
    """A North link (the world's child with its household) and a South one (another RAA's child and household),
    each with a contact step, and each child's saved shortlist: for the access tests of pages and API alike."""
    w.north_link = services.open_link(actor=None, child=w.child_at_po, household=w.household, on=date(2025, 7, 1),
                                      check_role=False)
    services.record_event(link=w.north_link, kind="contact", date=date(2025, 7, 2), actor=None, check_role=False)
    w.north_shortlist = services.shortlist(child=w.child_at_po, actor=None, spread=False, check_role=False)
    w.south_child = w.child(w.other_la, events=AT_PO, first_name="Quentin")
    w.south_household = approved_household(w.other_raa, "Zanzibar")
    w.south_link = services.open_link(actor=None, child=w.south_child, household=w.south_household,
                                      on=date(2025, 7, 1), check_role=False)
    services.record_event(link=w.south_link, kind="contact", date=date(2025, 7, 2), actor=None, check_role=False)
    w.south_shortlist = services.shortlist(child=w.south_child, actor=None, spread=False, check_role=False)
    return w
