"""Hypothesis strategies: small pools of child and household profiles that exercise every rule and factor."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from permanence.family_finding import matching as m

ON = date(2026, 3, 10)
DISTRICTS = ("BS1", "BS16", "BA1", "LS6", "W1D", "TA1", "ZZ99", "")  # ZZ99 is not in the table
PLACES = ("BS", "BS16", "W1", "LS6", "TA")
LAS = ("800", "801", "802", "")
CATEGORIES = ("learning", "attachment_trauma", "own_category")
ETHNICITIES = ("WBRI", "WOTH", "MWBC", "MWAS", "BAFR", "APKN", "NOBT")
LEVEL = st.sampled_from(("none", "mild", "moderate", "significant", ""))
NEEDS = st.dictionaries(st.sampled_from(CATEGORIES), LEVEL, max_size=3)
CONTACT = st.none() | st.frozensets(st.sampled_from(m.CONTACT_KINDS))
DAY = st.integers(0, 1200).map(lambda n: ON - timedelta(days=n))
MILES = st.none() | st.sampled_from((5, 20, 50, 100, 150)).map(float)
CHILD_KEYS = tuple(f"C{i}" for i in range(6))


@st.composite
def child_profile(draw, key: str) -> m.ChildProfile:
    n = draw(st.integers(1, 3))
    ages = draw(st.lists(st.integers(0, 180), min_size=n, max_size=n)) if draw(st.booleans()) else []
    dobs = () if ages or not draw(st.booleans()) else tuple(
        ON - timedelta(days=draw(st.integers(-60, 4000))) for _ in range(n))
    return m.ChildProfile(
        key=key, children=n, ages_months=tuple(ages), dates_of_birth=dobs,
        sexes=tuple(draw(st.sampled_from("MFU")) for _ in range(n)),
        ethnicities=tuple(draw(st.lists(st.sampled_from(ETHNICITIES), max_size=2))),
        religion=draw(st.sampled_from(("", "Christian", "Muslim", "No religion"))),
        languages=tuple(draw(st.lists(st.sampled_from(("English", "Polish", "Urdu")), max_size=2))),
        needs=draw(NEEDS), contact=draw(CONTACT), early_permanence=draw(st.sampled_from(m.EARLY_PERMANENCE)),
        not_in_las=draw(st.frozensets(st.sampled_from(LAS[:3]), max_size=2)),
        not_in_places=draw(st.frozensets(st.sampled_from(PLACES), max_size=2)),
        max_distance_miles=draw(MILES), min_distance_miles=draw(st.none() | st.sampled_from((5.0, 20.0))),
        require_known_distance=draw(st.booleans()), reference_district=draw(st.sampled_from(DISTRICTS)),
        la=draw(st.sampled_from(LAS)), waiting_since=draw(st.none() | DAY),
    )


@st.composite
def household_profile(draw, key: str) -> m.HouseholdProfile:
    low = draw(st.integers(1, 2))
    age_min = draw(st.integers(0, 4))
    kind = draw(st.sampled_from(m.AGENCY_KINDS))
    declines = tuple(
        m.Decline(ON - timedelta(days=draw(st.integers(0, 500))), "travel distance",
                  child_key=draw(st.sampled_from(("",) + CHILD_KEYS)), children=draw(st.integers(1, 3)),
                  age_months=draw(st.none() | st.integers(0, 120)), by=draw(st.sampled_from(("adopters", "agency"))))
        for _ in range(draw(st.integers(0, 2))))
    return m.HouseholdProfile(
        key=key, agency_code=draw(st.sampled_from(("AW", "AS", "V01"))), agency_kind=kind,
        inter_agency_fee=None if kind == "own_raa" else 27000,
        status=draw(st.sampled_from(("approved", "approved", "approved", "on_hold", "paused", "stage_2"))),
        approved_on=draw(st.none() | DAY), children_min=low, children_max=low + draw(st.integers(0, 2)),
        age_min_years=age_min, age_max_years=age_min + draw(st.integers(0, 8)), sibling_groups=draw(st.booleans()),
        sexes=draw(st.sampled_from(("any", "any", "M", "F"))),
        heritages=draw(st.none() | st.frozensets(st.sampled_from(ETHNICITIES), max_size=3)),
        ethnicities=tuple(draw(st.lists(st.sampled_from(ETHNICITIES), max_size=2))),
        religions=tuple(draw(st.lists(st.sampled_from(("Christian", "Muslim", "Hindu")), max_size=2))),
        religion_openness=draw(st.sampled_from(("", "any", "Christian"))),
        languages=tuple(draw(st.lists(st.sampled_from(("English", "Polish")), max_size=2))),
        contact=draw(CONTACT), early_permanence_willing=draw(st.none() | st.booleans()),
        early_permanence_approved=draw(st.booleans()), needs_accepted=draw(NEEDS),
        district=draw(st.sampled_from(DISTRICTS)), la=draw(st.sampled_from(LAS)),
        max_travel_miles=draw(st.none() | st.sampled_from((10, 50, 200))),
        open_links=draw(st.integers(0, 4)), open_link_children=draw(st.frozensets(st.sampled_from(CHILD_KEYS),
                                                                                   max_size=2)),
        linked_matched=draw(st.integers(0, 2)), capacity=draw(st.integers(1, 2)),
        previous_adopters=draw(st.booleans()),
        needs_parented=draw(st.frozensets(st.sampled_from(CATEGORIES), max_size=2)), declines=declines,
    )


@st.composite
def pools(draw, max_children: int = 5, max_households: int = 7):
    children = [draw(child_profile(CHILD_KEYS[i])) for i in range(draw(st.integers(1, max_children)))]
    households = [draw(household_profile(f"H{i}")) for i in range(draw(st.integers(1, max_households)))]
    cap = draw(st.none() | st.integers(0, 3))
    return children, households, cap
