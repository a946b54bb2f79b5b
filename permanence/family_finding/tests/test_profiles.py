"""The engine's profiles from the records (in a fixed number of queries), the weights and fees as data, and the
shortlist service that runs the engine and saves why each household was or was not put forward."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from permanence.adopters.models import CapacityProfile
from permanence.children import services as child_services
from permanence.children.models import SiblingGroup
from permanence.core.models import AuditEvent
from permanence.family_finding import fees, matching, profiles, services
from permanence.family_finding.models import (
    ChildMatchingProfile,
    InterAgencyFee,
    MatchingWeights,
    ShortlistEntry,
)
from permanence.organisations import services as org_services
from permanence.organisations.models import Role

from .conftest import AT_PO, TODAY, approved_household

# ---------------------------------------------------------------------------------------------
# Weights and fees as data


def test_the_default_weights_row_is_the_engines_defaults(db):
    row = MatchingWeights.objects.get(raa__isnull=True)
    d = matching.DEFAULT_WEIGHTS
    assert (row.version, row.source, row.valid_from) == (d.version, d.source, d.valid_from)
    assert row.weights == dict(d.points) and {**matching.DEFAULT_SCALES, **row.scales} == dict(d.scales)


def test_an_raas_own_weights_apply_from_their_date(region):
    MatchingWeights.objects.create(raa=region.raa, version="north-2", source="Board, March 2026",
                                   valid_from=date(2026, 4, 1), weights={"needs_margin": 30}, cap=3)
    assert profiles.weights_for(region.raa, date(2026, 3, 31)).weights.version == "permanence-default-1"
    later = profiles.weights_for(region.raa, date(2026, 4, 1))
    assert later.weights.version == "north-2" and later.cap == 3 and later.weights.point("heritage") == 0
    # Before the defaults' own date, the defaults still apply (there is nothing earlier).
    assert profiles.weights_for(region.other_raa, date(2025, 1, 1)).weights.version == "permanence-default-1"


def test_the_2025_26_fees_are_loaded_with_their_source(db):
    vaa = InterAgencyFee.objects.get(financial_year=2025, agencies="vaa")
    la = InterAgencyFee.objects.get(financial_year=2025, agencies="la_raa")
    assert (vaa.first_child, la.first_child) == (39245, 27000)
    assert vaa.london_uplift_percent == Decimal("10") and "CoramBAAF" in vaa.source
    assert str(vaa) == "With a VAA's adopters 2025/26"


def test_the_fee_function():
    rate = fees.FeeRate(2025, fees.VAA, 39245, london_uplift_percent=Decimal("10"))
    assert fees.fee(rate) == 39245
    assert fees.fee(rate, london=True) == 43170  # 43,169.50 rounded half up
    assert fees.fee(rate, 2) is None  # the sibling rate is not recorded: unknown, never guessed
    assert fees.fee(rate, months_without_order=12) == 39245
    assert fees.fee(rate, months_without_order=13) is None
    full = fees.FeeRate(2025, fees.VAA, 39245, each_additional_child=10000, london_uplift_percent=Decimal("10"),
                        monthly_after_12_months=1500)
    assert fees.fee(full, 3) == 59245
    assert fees.fee(full, 2, london=True, months_without_order=14) == 54170 + 3000
    with pytest.raises(ValueError):
        fees.fee(full, 0)


def test_the_rate_of_a_financial_year():
    old = fees.FeeRate(2024, fees.LA_RAA, 27000)
    new = fees.FeeRate(2025, fees.LA_RAA, 28000)
    assert fees.financial_year(date(2026, 3, 31)) == 2025 and fees.financial_year(date(2026, 4, 1)) == 2026
    assert fees.rate_for([old, new], fees.LA_RAA, date(2025, 3, 31)) is old
    assert fees.rate_for([old, new], fees.LA_RAA, date(2027, 1, 1)) is new  # no 2026 rate yet: the latest
    assert fees.rate_for([old, new], fees.VAA, date(2025, 6, 1)) is None
    assert fees.rate_for([new], fees.LA_RAA, date(2025, 1, 1)) is None


# ---------------------------------------------------------------------------------------------
# The child's profile


def test_a_childs_profile_from_its_record_needs_and_matching_profile(world):
    child = world.child_at_po
    child_services.set_needs(actor=None, child=child, levels={"learning": "moderate", "physical_health": "mild"})
    mp = ChildMatchingProfile.objects.create(
        child=child, avoid_birth_family_la=True, avoid_places=["ls6", "BD"], reference_district="bs1",
        max_distance_miles=80, letterbox_contact=True, direct_contact=False, early_permanence="possible",
        religion="Muslim", languages="English, Urdu")
    mp.avoid_las.add(world.la_keeps)
    p = profiles.child_profile(child, TODAY)
    assert p.key == f"P{child.pk:06d}" and p.children == 1 and p.dates_of_birth == (child.date_of_birth,)
    assert p.needs["learning"] == "moderate" and p.needs["physical_health"] == "mild"
    assert p.not_in_las == {"901", "902"} and p.not_in_places == {"LS6", "BD"}
    assert (p.reference_district, p.max_distance_miles, p.min_distance_miles) == ("BS1", 80, None)
    assert p.contact == {"letterbox"} and p.early_permanence == "possible"
    assert (p.religion, p.languages) == ("Muslim", ("English", "Urdu"))
    assert (p.la, p.raa, p.waiting_since) == ("901", "NR", date(2024, 9, 2))


def test_a_child_with_no_matching_profile_is_not_recorded_not_a_mismatch(world):
    p = profiles.child_profile(world.child_at_po, TODAY)
    assert p.contact is None and p.not_in_las == frozenset() and p.early_permanence == ""
    assert p.reference_district == "" and p.max_distance_miles is None


def test_a_sibling_group_placed_together_is_one_profile(world):
    group = child_services.create_sibling_group(actor=None, la=world.la, name="Pair", plan=SiblingGroup.Plan.TOGETHER)
    older = world.child(events=AT_PO[:4], sibling_group=group, dob=date(2020, 5, 1), sex="M")
    younger = world.child(events=AT_PO, sibling_group=group, dob=date(2023, 1, 9), sex="F")
    child_services.set_needs(actor=None, child=older, levels={"learning": "significant"})
    child_services.set_needs(actor=None, child=younger, levels={"learning": "mild", "attachment_trauma": "mild"})
    ChildMatchingProfile.objects.create(child=older, max_distance_miles=50, direct_contact=True)
    ChildMatchingProfile.objects.create(child=younger, max_distance_miles=30, early_permanence="needed",
                                        sibling_contact=True)
    p = profiles.child_profile(younger, TODAY)
    assert p.key == f"S{group.pk:06d}" and p.children == 2 and set(p.sexes) == {"M", "F"}
    assert p.needs == {"attachment_trauma": "mild", "learning": "significant"}
    assert p.max_distance_miles == 30 and p.contact == {"direct", "sibling"} and p.early_permanence == "needed"
    assert p.waiting_since == date(2024, 9, 2)  # the placement order the younger holds
    apart = child_services.create_sibling_group(actor=None, la=world.la, name="Apart", plan=SiblingGroup.Plan.APART)
    alone = world.child(events=AT_PO, sibling_group=apart)
    world.child(events=AT_PO, sibling_group=apart)
    assert profiles.child_profile(alone, TODAY).children == 1


# ---------------------------------------------------------------------------------------------
# Households


def test_a_households_profile_from_its_capacity_and_applicants(world):
    h = approved_household(world.raa, "Patel", postcode="LS6 2AB", children_max=2, sibling_groups=True,
                           age_max_years=6, heritage_open_to_any=False, heritages=["AIND", "MWAS"],
                           direct_contact=True, early_permanence=True, max_distance_miles=60,
                           needs={"learning": "moderate"}, needs_parented=["learning"])
    h.applicants.update(ethnicity="AIND", religion="Hindu", languages="Gujarati")
    (p,) = profiles.household_profiles(profiles.household_pool(world.raa).filter(pk=h.pk), TODAY,
                                       searching_raa=world.raa)
    assert p.key == f"H{h.pk:06d}" and p.agency_kind == "own_raa" and p.inter_agency_fee is None
    assert (p.status, p.approved_on, p.children_max, p.age_max_years, p.sibling_groups) == (
        "approved", date(2025, 6, 27), 2, 6, True)
    assert p.heritages == {"AIND", "MWAS"} and p.ethnicities == ("AIND",) and p.religions == ("Hindu",)
    assert p.contact == {"letterbox", "direct"} and p.early_permanence_willing is True
    assert p.needs_accepted == {"learning": "moderate"} and p.needs_parented == {"learning"}
    assert (p.district, p.max_travel_miles, p.capacity, p.languages) == ("LS6", 60, 2, ("Gujarati",))


def test_on_hold_other_agencies_and_their_fees(world):
    held = approved_household(world.raa, "Held", on_hold=True, on_hold_reason="Moving house")
    south = approved_household(world.other_raa, "Southgate", postcode="SE1 7PB")
    vaa = org_services.create_organisation(actor=None, kind="vaa", code="VAA1", name="Family Futures")
    from permanence.adopters.models import Household

    voluntary = approved_household(world.raa, "Volunteer")
    Household.objects.filter(pk=voluntary.pk).update(raa=vaa)
    assert set(profiles.household_pool(world.raa)) == {world.household, world.second, held}
    pool = profiles.household_pool(world.raa, include_inter_agency=True)
    by_key = {p.key: p for p in profiles.household_profiles(pool, TODAY, searching_raa=world.raa)}
    assert by_key[f"H{held.pk:06d}"].status == "on_hold"
    s, v = by_key[f"H{south.pk:06d}"], by_key[f"H{voluntary.pk:06d}"]
    assert (s.agency_kind, s.inter_agency_fee) == ("other_raa", 29700)  # £27,000 + 10%: a London postcode
    assert (v.agency_kind, v.agency_code, v.inter_agency_fee) == ("vaa", "VAA1", 39245)
    with pytest.raises(ValidationError, match="Say why the household is on hold"):
        from permanence.adopters import services as household_services

        household_services.set_capacity(actor=None, household=world.second, on_hold=True)


def test_links_and_declines_count_in_the_households_profile(world):
    ff = world.user(Role.RAA_FAMILY_FINDER)
    other_child = world.child(events=AT_PO)
    services.open_link(actor=ff, child=world.child_at_po, household=world.household, on=date(2025, 7, 1))
    agreed = services.open_link(actor=ff, child=other_child, household=world.household, on=date(2025, 7, 1))
    for kind, details in (("contact", {}), ("interest", {"by": "agency"}), ("link_agreed", {})):
        services.record_event(link=agreed, kind=kind, date=date(2025, 7, 3), actor=None, details=details,
                              check_role=False)
    declined = services.open_link(actor=ff, child=world.child_at_po, household=world.second, on=date(2025, 7, 1))
    services.end_link(link=declined, reason="adopters_declined", why="travel distance", date=date(2025, 7, 20),
                      actor=None, check_role=False)
    pool = profiles.household_pool(world.raa)
    by_key = {p.key: p for p in profiles.household_profiles(pool, TODAY, searching_raa=world.raa)}
    h, s = by_key[f"H{world.household.pk:06d}"], by_key[f"H{world.second.pk:06d}"]
    assert (h.open_links, h.linked_matched) == (1, 1)
    assert h.open_link_children == {f"P{world.child_at_po.pk:06d}", f"P{other_child.pk:06d}"}
    assert (s.open_links, s.linked_matched, s.open_link_children) == (0, 0, frozenset())
    (decline,) = s.declines
    assert (decline.on, decline.reason, decline.by, decline.child_key) == (
        date(2025, 7, 20), "travel distance", "adopters", f"P{world.child_at_po.pk:06d}")
    assert decline.age_months == matching.months_between(world.child_at_po.date_of_birth, date(2025, 7, 20))


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_profiles_load_in_the_same_few_queries_for_any_pool(world):
    def load():
        pool = profiles.household_pool(world.raa)
        return profiles.household_profiles(pool, TODAY, searching_raa=world.raa)

    services.end_link(link=services.open_link(actor=None, child=world.child_at_po, household=world.second,
                                              on=date(2025, 7, 1), check_role=False),
                      reason="adopters_declined", date=date(2025, 7, 2), actor=None, check_role=False)
    services.open_link(actor=None, child=world.child_at_po, household=world.household, on=date(2025, 7, 1),
                       check_role=False)
    small = _queries(load)
    for n in range(12):
        h = approved_household(world.raa, f"Extra{n}", needs={"learning": "mild"})
        h.applicants.update(languages="English")
        services.open_link(actor=None, child=world.child_at_po, household=h, on=date(2025, 7, 1), check_role=False)
    assert len(load()) == 14 and _queries(load) == small <= 9
    children = [world.child(events=AT_PO) for _ in range(6)]
    for c in children:
        ChildMatchingProfile.objects.create(child=c, reference_district="BS1")
    one = _queries(lambda: profiles.child_profiles(children[:1], TODAY))
    assert _queries(lambda: profiles.child_profiles(children, TODAY)) == one <= 8


# ---------------------------------------------------------------------------------------------
# The shortlist service


def test_a_shortlist_saves_the_ranking_and_why(world):
    CapacityProfile.objects.filter(household=world.second).update(age_max_years=1)  # the child is 3
    saved = services.shortlist(child=world.child_at_po, actor=world.user(Role.RAA_FAMILY_FINDER))
    assert saved.on == TODAY and saved.weights_version == "permanence-default-1" and saved.weights is not None
    assert list(saved.children.all()) == [world.child_at_po]
    assert saved.explanation["counts"] == {"ranked": 1, "excluded": 1, "skipped_inter_agency": 0}
    assert saved.explanation["subject"]["key"] == f"P{world.child_at_po.pk:06d}"
    assert saved.explanation["weights"]["points"]["needs_margin"] == 20
    ranked, excluded = ShortlistEntry.objects.filter(shortlist=saved).order_by("excluded")
    assert (ranked.household, ranked.rank, ranked.excluded) == (world.household, 1, False)
    assert ranked.score is not None and {c["factor"] for c in ranked.reasons} == set(matching.FACTORS)
    assert ranked.profile["key"] == f"H{world.household.pk:06d}" and ranked.profile["first_places"] == 1
    assert (excluded.household, excluded.rank, excluded.score, excluded.excluded) == (world.second, None, None, True)
    assert excluded.reasons[0]["rule"] == "age_range" and "approved for children aged 0 to 1" in \
        excluded.reasons[0]["reason"]
    assert AuditEvent.objects.filter(action="shortlist.created", object_id=str(saved.pk)).exists()


def test_only_the_childs_raas_family_finders_run_its_shortlist(world):
    for actor in (world.user(Role.LA_SOCIAL_WORKER), world.user(Role.RAA_FAMILY_FINDER, world.other_raa)):
        with pytest.raises(ValidationError, match="Only a family finder or team manager"):
            services.shortlist(child=world.child_at_po, actor=actor)


def test_a_decline_feeds_the_next_shortlist(world):
    ff = world.user(Role.RAA_FAMILY_FINDER)
    before = services.shortlist(child=world.child_at_po, actor=ff, spread=False)
    entry = before.entries.get(household=world.household)
    link = services.open_link(actor=ff, child=world.child_at_po, household=world.household, on=date(2025, 8, 1),
                              shortlist_entry=entry)
    assert link.shortlist_entry == entry
    services.end_link(link=link, reason="adopters_declined", why="travel distance", date=date(2025, 8, 4),
                      actor=world.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    after = services.shortlist(child=world.child_at_po, actor=ff, spread=False)
    again = after.entries.get(household=world.household)
    decline = next(c for c in again.reasons if c["factor"] == "decline")
    assert decline["points"] < 0 and decline["reason"] == "declined this child on 4 August 2025: travel distance"
    assert again.score < entry.score


def test_inter_agency_households_only_on_request(world):
    south = approved_household(world.other_raa, "Southgate")
    ff = world.user(Role.RAA_FAMILY_FINDER)
    own = services.shortlist(child=world.child_at_po, actor=ff, spread=False)
    assert not own.entries.filter(household=south).exists()
    wide = services.shortlist(child=world.child_at_po, actor=ff, include_inter_agency=True, spread=False)
    entry = wide.entries.get(household=south)
    assert entry.inter_agency and entry.fee == 27000 and wide.include_inter_agency
