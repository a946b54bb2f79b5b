"""Every hard rule: it excludes with plain words, and a blank never excludes."""

from __future__ import annotations

from datetime import date

import pytest

from permanence.family_finding import matching as m

from .helpers import ON, W, child, failed, home


def test_the_default_pair_is_eligible():
    assert failed(child(), home()) == {}


# -- number of children ---------------------------------------------------------------------------------

def test_more_children_than_approved_for():
    reasons = failed(child(children=3, ages_months=(14, 30, 50), sexes=("F", "M", "F")), home(children_max=2))
    assert reasons["number_of_children"] == "approved for up to 2 children; this is a sibling group of 3"


def test_fewer_children_than_approved_for():
    reasons = failed(child(), home(children_min=2))
    assert reasons["number_of_children"] == "approved for at least 2 children placed together; this is one child"


def test_a_sibling_group_needs_a_household_approved_for_sibling_groups():
    reasons = failed(child(children=2, ages_months=(14, 30)), home(children_max=2, sibling_groups=False))
    assert reasons["number_of_children"] == "not approved for sibling groups; this is a sibling group of 2"
    assert "number_of_children" not in failed(child(children=2, ages_months=(14, 30)), home(children_max=2))


def test_up_to_one_child_reads_in_the_singular():
    assert failed(child(children=2, ages_months=(14, 30)), home(children_max=1))["number_of_children"] == (
        "approved for up to 1 child; this is a sibling group of 2")


# -- age range -------------------------------------------------------------------------------------------

def test_a_child_older_than_the_age_range():
    assert failed(child(ages_months=(62,)), home(age_max_years=4))["age_range"] == (
        "approved for children aged 0 to 4; the child is 5 years 2 months")


def test_a_whole_year_inside_the_range_is_inside():
    assert "age_range" not in failed(child(ages_months=(59,)), home(age_max_years=4))


def test_the_youngest_of_a_group_below_the_range():
    c = child(children=2, ages_months=(10, 40))
    assert failed(c, home(age_min_years=1))["age_range"] == (
        "approved for children aged 1 to 4; the youngest child is 10 months")


def test_age_from_dates_of_birth_on_the_date():
    c = child(ages_months=(), dates_of_birth=(date(2021, 3, 11),))  # 4 years 11 months on ON
    assert "age_range" not in failed(c, home(age_max_years=4))
    assert failed(c, home(age_max_years=3))["age_range"].endswith("the child is 4 years 11 months")


def test_an_unborn_baby_is_age_zero_and_no_age_is_not_a_mismatch():
    assert "age_range" not in failed(child(ages_months=(), dates_of_birth=(date(2026, 5, 1),)), home(age_min_years=0))
    assert "age_range" not in failed(child(ages_months=()), home(age_min_years=3, age_max_years=5))


# -- needs -----------------------------------------------------------------------------------------------

def test_each_need_above_the_level_accepted_is_named():
    c = child(needs={"learning": "significant", "attachment_trauma": "moderate", "sexual_abuse": "mild"})
    h = home(needs_accepted={"learning": "mild", "attachment_trauma": "moderate", "sexual_abuse": "none"})
    assert failed(c, h)["needs"] == (
        "needs above the level they accept – learning difficulties or developmental delay: significant "
        "(they accept up to mild); known or suspected sexual abuse: mild (they accept up to none)")


def test_a_need_not_recorded_on_either_side_never_excludes():
    assert "needs" not in failed(child(needs={"learning": "significant"}), home(needs_accepted={}))
    assert "needs" not in failed(child(needs={"learning": ""}), home(needs_accepted={"learning": "none"}))


def test_a_category_of_the_raas_own_works_like_the_shipped_ones():
    c = child(needs={"own_category": "moderate"})
    assert failed(c, home(needs_accepted={"own_category": "mild"}))["needs"].startswith(
        "needs above the level they accept – own category: moderate")
    assert "needs" not in failed(c, home(needs_accepted={"own_category": "significant"}))


def test_unknown_levels_are_refused():
    with pytest.raises(ValueError):
        child(needs={"learning": "severe"})


# -- sex -------------------------------------------------------------------------------------------------

def test_sex_when_the_household_stated_one():
    assert failed(child(sexes=("F",)), home(sexes="M"))["sex"] == "approved for boys only; the child is a girl"
    group = child(children=2, ages_months=(14, 30), sexes=("M", "F"))
    assert failed(group, home(sexes="F"))["sex"] == "approved for girls only; the group includes a boy"
    assert "sex" not in failed(child(sexes=("F",)), home(sexes="F"))
    assert "sex" not in failed(child(sexes=("U",)), home(sexes="M"))  # not known: not a mismatch


# -- location --------------------------------------------------------------------------------------------

def test_not_in_the_birth_familys_la():
    assert failed(child(not_in_las=frozenset({"803"})), home(la="803"))["location"] == (
        "lives in LA 803, where the child must not be placed")


def test_not_in_a_named_district_or_area():
    assert failed(child(not_in_places=frozenset({"BS16"})), home(district="BS16 4AB"))["location"] == (
        "lives in BS16, and the child must not be placed in BS16")
    assert failed(child(not_in_places=frozenset({"bs"})), home())["location"] == (
        "lives in BS16, and the child must not be placed in BS")
    assert "location" not in failed(child(not_in_places=frozenset({"BS1"})), home(district="BS16"))


def test_a_parent_district_covers_its_sub_districts():
    assert "location" in failed(child(not_in_places=frozenset({"W1"})), home(district="W1D 3QU"))


def test_maximum_and_minimum_distance():
    far = home(district="LS6")  # about 169 miles from BS1
    assert failed(child(max_distance_miles=100), far)["location"] == (
        "169 miles from BS1; the child's plan allows at most 100")
    assert "location" not in failed(child(max_distance_miles=200), far)
    near = home(district="BS16")
    assert failed(child(min_distance_miles=20), near)["location"] == (
        "4 miles from BS1; the child's plan needs at least 20")


def test_an_unknown_distance_excludes_only_when_the_plan_needs_it_checked():
    unknown = home(district="")
    assert "location" not in failed(child(max_distance_miles=50), unknown)
    assert failed(child(max_distance_miles=50, require_known_distance=True), unknown)["location"] == (
        "the distance from BS1 is not known and the child's plan needs it checked")
    assert "location" not in failed(child(require_known_distance=True), unknown)  # no distance rule


# -- status, capacity, early permanence, spread ----------------------------------------------------------

@pytest.mark.parametrize("status, reason", [
    ("on_hold", "on hold: not taking links"), ("paused", "paused: not taking links"),
    ("stage_2", "not approved (stage 2)"), ("", "not approved (no status recorded)"),
])
def test_only_approved_households(status, reason):
    assert failed(child(), home(status=status))["approval_status"] == reason


def test_linked_or_matched_to_capacity():
    assert failed(child(), home(linked_matched=1, capacity=1))["link_capacity"] == (
        "already linked or matched with 1 child; can take 1 at a time")
    assert "link_capacity" not in failed(child(), home(linked_matched=1, capacity=2))
    # a household already linked with this very child is not kept out of the child's own list
    assert "link_capacity" not in failed(child(), home(linked_matched=1, open_link_children=frozenset({"C1"})))


def test_early_permanence_needs_foster_carer_approval():
    assert failed(child(early_permanence="needed"), home())["early_permanence"] == (
        "the child needs an early permanence placement; not approved as foster carers for it")
    assert "early_permanence" not in failed(child(early_permanence="needed"), home(early_permanence_approved=True))
    assert "early_permanence" not in failed(child(early_permanence="possible"), home())


def test_spread_cap():
    busy = home(open_links=3)
    assert "spread_cap" not in failed(child(), busy)  # no cap
    assert failed(child(), busy, cap=3)["spread_cap"] == "put forward for 3 children already (the cap is 3)"
    assert "spread_cap" not in failed(child(), busy, cap=4)
    assert "spread_cap" not in failed(child(), home(open_links=3, open_link_children=frozenset({"C1"})), cap=3)


def test_every_failing_rule_is_listed():
    reasons = failed(child(children=3, ages_months=(70, 90, 100), early_permanence="needed"),
                     home(status="paused", children_max=2))
    assert set(reasons) == {"number_of_children", "age_range", "approval_status", "early_permanence"}


def test_a_rule_is_a_named_function_of_a_pair():
    assert [r.__name__ for r in m.ALL_RULES] == [
        "number_of_children", "age_range", "needs", "sex", "location", "approval_status", "link_capacity",
        "early_permanence", "spread_cap"]
    pair = m.Pair(child(), home(children_min=2), ON)
    assert m.number_of_children(pair) == "approved for at least 2 children placed together; this is one child"
    assert m.age_range(pair) is None


def test_a_plain_function_can_stand_in_the_rules():
    def no_vaa(pair):
        return "a VAA household" if pair.household.agency_kind == "vaa" else None

    rules = (*m.ALL_RULES, no_vaa)
    ranking = m.rank_households(child(), [home(key="A"), home(key="B", agency_kind="vaa")], W, ON, rules=rules)
    assert [r.key for r in ranking.ranked] == ["A"]
    assert [(x.rule, x.reason) for x in ranking.excluded[0].reasons] == [("no_vaa", "a VAA household")]


def test_a_copied_or_unpickled_profile_works_out_its_engine_fields_again():
    import copy
    import pickle

    c = child(not_in_las=frozenset({"803"}))
    h = home(la="803")
    state = pickle.dumps((c, h))
    assert b"_row" not in state
    c2, h2 = pickle.loads(state)  # noqa: S301 (our own bytes, made just above)
    assert (c2, h2) == (c, h) and c2._row == c._row and h2._row == h._row
    assert failed(c2, h2) == failed(c, h) == {"location": "lives in LA 803, where the child must not be placed"}
    assert copy.deepcopy(h)._row == h._row
