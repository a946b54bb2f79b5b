"""Every soft-fit factor: absolute points within ± its weight, words for each, "not recorded" for a blank."""

from __future__ import annotations

import json
from datetime import date

import pytest

from permanence.family_finding import matching as m

from .helpers import ON, W, child, contribution, home


def points(c, h, factor):
    x = contribution(c, h, factor)
    return x.points, x.reason


def test_the_default_pair_factor_by_factor():
    r = m.assess_pair(child(), home(), W, ON)
    assert [str(x) for x in r.contributions] == [
        "+5 needs margin: accepts more than the child needs in 1 of 2 areas, exactly what the child needs in 1",
        "+10 heritage: shares the child's heritage (WBRI)",
        "±0 religion: not recorded",
        "±0 language: not recorded",
        "+8 contact: willing to support letterbox contact",
        "±0 early permanence: not needed for this child",
        "±0 experience: no experience of similar children recorded",
        "−0.1 distance: 4 miles from BS1",
        "+5 household waiting: approved 1 year ago (10 March 2025)",
        "+2.5 child waiting: waiting 6 months (since 10 September 2025)",
        "±0 earlier decline: no recent decline of this child or a similar one",
    ]
    assert r.score == round(sum(x.points for x in r.contributions), 1) == 30.4


def test_needs_margin_counts_headroom_up_to_two_levels():
    h = home(needs_accepted={"learning": "significant", "attachment_trauma": "significant"})
    assert points(child(), h, "needs_margin")[0] == 20 * (2 + 1) / 4
    assert points(child(needs={"learning": "none"}), home(needs_accepted={"learning": "significant"}),
                  "needs_margin")[0] == 20  # capped at two levels
    assert points(child(needs={}), home(), "needs_margin") == (0, "not recorded")
    assert points(child(), home(needs_accepted={}), "needs_margin") == (0, "not recorded")


def test_heritage():
    assert points(child(ethnicities=("MWBC",)), home(ethnicities=("MWBC", "WBRI")), "heritage") == (
        10, "shares the child's heritage (MWBC)")
    assert points(child(ethnicities=("MWBC",)), home(ethnicities=("MWAS",)), "heritage") == (
        7.5, "shares the child's broad heritage (Mixed)")
    assert points(child(ethnicities=("BAFR",)), home(ethnicities=("WBRI",)), "heritage") == (
        5, "open to any heritage")
    assert points(child(ethnicities=("BAFR",)), home(ethnicities=("WBRI",), heritages=frozenset({"BAFR"})),
                  "heritage") == (5, "open to the child's heritage")
    assert points(child(ethnicities=("BAFR",)), home(ethnicities=("WBRI",), heritages=frozenset({"WBRI"})),
                  "heritage") == (-10, "has not said they are open to the child's heritage (BAFR)")
    assert points(child(ethnicities=("NOBT",)), home(), "heritage") == (0, "not recorded")


def test_religion():
    assert points(child(religion="Muslim"), home(religions=("Muslim",)), "religion") == (
        4, "shares the child's religion (Muslim)")
    assert points(child(religion="Muslim"), home(religion_openness="any"), "religion") == (
        2, "open to any faith or none")
    assert points(child(religion="Muslim"), home(religion_openness="Christian"), "religion") == (
        -2, "would bring a child up in the Christian faith; the child's religion is Muslim")
    assert points(child(religion="Christian"), home(religion_openness="christian"), "religion")[0] == 4
    assert points(child(religion=""), home(religion_openness="any"), "religion") == (0, "not recorded")
    assert points(child(religion="Sikh"), home(), "religion") == (0, "not recorded")


def test_language():
    assert points(child(languages=("Polish",)), home(languages=("English", "polish")), "language") == (
        4, "speaks Polish")
    assert points(child(languages=("Polish",)), home(languages=("English",)), "language") == (
        0, "does not speak Polish")
    assert points(child(languages=("Polish",)), home(languages=()), "language") == (0, "not recorded")


def test_contact():
    plan = child(contact=frozenset({"letterbox", "direct"}))
    assert points(plan, home(contact=frozenset({"letterbox", "direct"})), "contact") == (
        8, "willing to support letterbox contact and direct contact with the birth family")
    assert points(plan, home(contact=frozenset({"letterbox"})), "contact") == (
        -4, "not willing to support direct contact with the birth family")
    assert points(child(contact=frozenset()), home(), "contact") == (0, "no contact in the child's plan")
    assert points(child(contact=None), home(), "contact") == (0, "not recorded")
    assert points(plan, home(contact=None), "contact") == (0, "not recorded")


def test_early_permanence_willingness():
    possible = child(early_permanence="possible")
    assert points(possible, home(early_permanence_approved=True), "early_permanence") == (
        6, "approved as foster carers for early permanence")
    assert points(possible, home(early_permanence_willing=True), "early_permanence") == (
        3, "willing, not yet approved as foster carers for it")
    assert points(possible, home(early_permanence_willing=False), "early_permanence") == (
        0, "not willing to consider early permanence")
    assert points(possible, home(), "early_permanence") == (0, "not recorded")


def test_experience_with_similar_children():
    assert points(child(), home(previous_adopters=True, needs_parented=frozenset({"attachment_trauma"})),
                  "experience") == (8, "have adopted before; have parented a child with attachment difficulties "
                                       "and trauma")
    # the child's moderate or significant needs count first; mild ones only when there are none of those
    assert points(child(), home(needs_parented=frozenset({"learning"})), "experience")[0] == 0
    assert points(child(needs={"learning": "mild"}), home(needs_parented=frozenset({"learning"})),
                  "experience")[0] == 4


def test_distance():
    assert points(child(), home(district="LS6"), "distance") == (-5, "169 miles from BS1")  # half, at 150+
    assert points(child(), home(district="LS6", max_travel_miles=100), "distance") == (
        -10, "169 miles from BS1, beyond the 100 they said they would travel")
    assert points(child(), home(district="BS16", max_travel_miles=100), "distance")[0] == -0.1
    assert points(child(), home(district="ZZ99"), "distance") == (0, "not recorded")
    assert points(child(reference_district=""), home(), "distance") == (0, "not recorded")


def test_time_waiting_on_both_sides():
    assert points(child(), home(approved_on=date(2023, 1, 1)), "household_waiting")[0] == 10  # full at 24 months
    assert points(child(), home(approved_on=None), "household_waiting") == (0, "not recorded")
    assert points(child(waiting_since=date(2026, 3, 1)), home(), "child_waiting") == (
        0, "waiting 0 months (since 1 March 2026)")
    assert points(child(waiting_since=None), home(), "child_waiting") == (0, "not recorded")


def test_a_decline_feeds_back():
    declined = m.Decline(date(2026, 3, 3), "travel distance", child_key="C1")
    assert points(child(), home(declines=(declined,)), "decline") == (
        -12, "declined this child on 3 March 2026: travel distance")
    similar = m.Decline(date(2025, 12, 1), "the child's needs", child_key="C9", children=1, age_months=10,
                        by="agency")
    assert points(child(), home(declines=(similar,)), "decline") == (
        -6, "their agency declined a similar child on 1 December 2025: the child's needs")
    unlike = m.Decline(date(2025, 12, 1), "contact", child_key="C9", children=2, age_months=10)
    old = m.Decline(date(2024, 1, 1), "travel distance", child_key="C1")
    assert points(child(), home(declines=(unlike, old)), "decline")[0] == 0


def test_weights_are_versioned_and_a_missing_factor_is_switched_off():
    w = m.Weights("aw-2026-1", "Adoption West panel, 1 April 2026", date(2026, 4, 1), {"needs_margin": 30})
    r = m.assess_pair(child(), home(), w, ON)
    assert r.points[0] == 7.5 and not any(r.points[1:])
    with pytest.raises(ValueError):
        m.Weights("x", "y", ON, {"nonsense": 1})
    with pytest.raises(ValueError):
        m.Weights("x", "y", ON, {"distance": -5})
    assert m.DEFAULT_WEIGHTS.source and m.DEFAULT_WEIGHTS.version == "permanence-default-1"


def test_every_factor_stays_within_its_weight():
    c = child(religion="Muslim", languages=("Polish",), early_permanence="possible",
              contact=frozenset({"letterbox", "direct", "sibling"}))
    for h in (home(), home(district="LS6", max_travel_miles=10, heritages=frozenset(), religion_openness="Jewish",
                           contact=frozenset()), home(previous_adopters=True, approved_on=date(2010, 1, 1))):
        for x in m.assess_pair(c, h, W, ON).contributions:
            assert abs(x.points) <= W.point(x.factor)


def test_ties_go_to_the_longest_waiting_household_then_the_key():
    a, b, c = (home(key=k, approved_on=d) for k, d in (("A", date(2023, 1, 1)), ("B", date(2022, 1, 1)),
                                                         ("C", date(2022, 1, 1))))
    ranking = m.rank_households(child(), [a, c, b], W, ON)
    assert [r.score for r in ranking.ranked] == [ranking.ranked[0].score] * 3  # all waited past 24 months
    assert [r.key for r in ranking.ranked] == ["B", "C", "A"]
    assert [r.position for r in ranking.ranked] == [1, 2, 3]


def test_ranking_shows_spread_and_inter_agency_facts():
    own = home(key="OWN", open_links=2)
    vaa = home(key="VAA", agency_code="V01", agency_kind="vaa", inter_agency_fee=39245)
    first = m.first_place_counts([child()], [own, vaa], W, ON)
    ranking = m.rank_households(child(), [own, vaa], W, ON, first_places=first)
    by_key = {r.key: r for r in ranking.ranked}
    assert by_key["VAA"].inter_agency and by_key["VAA"].fee == 39245
    assert not by_key["OWN"].inter_agency and by_key["OWN"].open_links == 2
    assert sum(r.first_places for r in ranking.ranked) == 1
    only_own = m.rank_households(child(), [own, vaa], W, ON, include_inter_agency=False)
    assert [r.key for r in only_own.ranked] == ["OWN"] and only_own.skipped_inter_agency == 1


def test_first_place_counts_follow_the_ranking():
    homes = [home(key=f"H{i}", approved_on=date(2025, 1 + i, 1), district=d)
             for i, d in enumerate(("BS16", "LS6", "BS1", "TA1"))]
    kids = [child(key=f"C{i}", reference_district=d) for i, d in enumerate(("BS1", "LS6", "TA1", "BS16", "BS1"))]
    counts = m.first_place_counts(kids, homes, W, ON)
    expected = {h.key: 0 for h in homes}
    for c in kids:
        expected[m.rank_households(c, homes, W, ON).ranked[0].key] += 1
    assert counts == expected and sum(counts.values()) == 5


def test_the_explanation_is_json_and_complete():
    homes = [home(key="A"), home(key="B", children_max=0), home(key="C", district="LS6")]
    ranking = m.rank_households(child(max_distance_miles=100), homes, W, ON, cap=2)
    data = json.loads(json.dumps(m.explanation(ranking)))
    assert data["weights"]["version"] == "permanence-default-1" and data["on"] == "2026-03-10"
    assert data["subject"]["key"] == "C1" and data["subject"]["needs"] == {"attachment_trauma": "moderate",
                                                                          "learning": "mild"}
    assert data["rules"][0] == "number_of_children" and data["cap"] == 2
    assert [r["key"] for r in data["ranked"]] == ["A"]
    assert len(data["ranked"][0]["contributions"]) == len(m.FACTORS)
    assert {e["key"]: [x["rule"] for x in e["rules_failed"]] for e in data["excluded"]} == {
        "B": ["number_of_children"], "C": ["location"]}
    assert data["excluded"][1]["rules_failed"][0]["reason"] == "169 miles from BS1; the child's plan allows at most 100"
