"""Hand-computed cohorts for every measure family, built with the services users call.

The region (permanence.testing): North RAA 'NR' with LAs 901 (region.la) and 902 (region.la_keeps); South RAA
'SR' with LA 903. Every day count below was worked out by hand (2020 is a leap year: 29 February counts).
"""

from datetime import date
from decimal import Decimal

import pytest

from permanence.children import rules as child_rules
from permanence.children import services as child_services
from permanence.children.models import JourneyEvent
from permanence.performance import measures, rules, services
from permanence.performance.rules import Period

D = date
DOB = D(2015, 6, 1)


def journey(entered, plan, sbp, *rest):
    return [("entered_care", entered), ("permanence_plan", plan), ("should_be_placed", sbp), *rest]


@pytest.fixture
def cohort(region):
    r = region
    kids = {}
    # A (901): PO, match, move-in, AO. A1 = 10/01/2020→01/10/2020 = 265 days; A2 = 01/06→01/09/2020 = 92.
    kids["A"] = r.child(r.la, dob=DOB, events=journey(
        D(2020, 1, 10), D(2020, 2, 1), D(2020, 3, 1), ("placement_order", D(2020, 6, 1)),
        ("match_decision", D(2020, 9, 1)), ("placed_for_adoption", D(2020, 10, 1)), ("adoption_order", D(2021, 6, 1))))
    # B (901): adopted by its foster carers, matched before the PO, moved in on 29/02/2020.
    # A1 = 01/05/2019→29/02/2020 = 304; A10 = 0 (moved in with the carers the day it entered care); A2 = 0.
    kids["B"] = r.child(r.la, dob=DOB, events=journey(
        D(2019, 5, 1), D(2019, 6, 1), D(2019, 7, 1), ("match_decision", D(2019, 7, 15)),
        ("placement_order", D(2019, 8, 1)),
        ("placed_for_adoption", D(2020, 2, 29), {"by_foster_carers": True, "moved_in_with_carers": "2019-05-01"}),
        ("adoption_order", D(2020, 12, 1))))
    # C (902): Fostering for Adoption on 10/04/2020, then adopted by other adopters (the placement does not say
    # they are the FfA carers). A1 = A10 = 01/03→01/09/2020 = 184 (not the FfA move, 40); A2 = 31.
    kids["C"] = r.child(r.la_keeps, dob=DOB, events=journey(
        D(2020, 3, 1), D(2020, 3, 15), D(2020, 4, 1), ("early_permanence_placement", D(2020, 4, 10),
                                                      {"placement_type": "ffa"}),
        ("placement_order", D(2020, 7, 1)), ("match_decision", D(2020, 8, 1)),
        ("placed_for_adoption", D(2020, 9, 1)), ("adoption_order", D(2021, 3, 31))))
    # D (902): adopted with no placement order (excluded from A2), AO on the first day of the period. A1 = 396.
    kids["D"] = r.child(r.la_keeps, dob=DOB, events=journey(
        D(2018, 1, 1), D(2018, 2, 1), D(2018, 3, 1), ("match_decision", D(2019, 1, 1)),
        ("placed_for_adoption", D(2019, 2, 1)), ("adoption_order", D(2019, 4, 1))))
    # E (901): first placed with foster carers as adopters, disrupted, matched and placed again.
    # A1 = A10 = 01/01/2019→01/03/2020 = 425 (the disruption clears the foster-carer date); A2 = 01/03/2019→
    # 01/01/2020 = 306; moved in exactly 14 months after entering care: not "less than 14 months" for A3.
    kids["E"] = r.child(r.la, dob=DOB, events=journey(
        D(2019, 1, 1), D(2019, 1, 15), D(2019, 2, 1), ("placement_order", D(2019, 3, 1)),
        ("match_decision", D(2019, 5, 1)),
        ("placed_for_adoption", D(2019, 6, 1), {"by_foster_carers": True, "moved_in_with_carers": "2019-01-05"}),
        ("disruption", D(2019, 9, 1), {"reason": "placement broke down"}), ("match_decision", D(2020, 1, 1)),
        ("placed_for_adoption", D(2020, 3, 1)), ("adoption_order", D(2020, 8, 1))))
    # F (901): adopted on 01/04/2022, the day after the 2022 scorecard's period. Waiting 365 days (not 12
    # months: 2020 is a leap year) on 30/09/2020.
    kids["F"] = r.child(r.la, dob=DOB, events=journey(
        D(2019, 6, 1), D(2019, 7, 1), D(2019, 8, 1), ("placement_order", D(2019, 10, 1)),
        ("match_decision", D(2021, 9, 1)), ("placed_for_adoption", D(2021, 10, 1)), ("adoption_order", D(2022, 4, 1))))
    # G (903, South RAA): A1 = 01/01→01/10/2019 = 273; A2 = 92.
    kids["G"] = r.child(r.other_la, dob=DOB, events=journey(
        D(2019, 1, 1), D(2019, 2, 1), D(2019, 3, 1), ("placement_order", D(2019, 6, 1)),
        ("match_decision", D(2019, 9, 1)), ("placed_for_adoption", D(2019, 10, 1)), ("adoption_order", D(2020, 6, 1))))
    # L (901): still waiting since a PO on 01/12/2018.
    kids["L"] = r.child(r.la, dob=DOB, events=journey(
        D(2018, 6, 1), D(2018, 7, 1), D(2018, 8, 1), ("placement_order", D(2018, 12, 1))))
    # W1 (901): PO 01/01/2021, still waiting. W2 (901): PO 01/12/2020, plan changed (RD3).
    kids["W1"] = r.child(r.la, dob=DOB, events=journey(
        D(2020, 5, 1), D(2020, 6, 1), D(2020, 8, 1), ("placement_order", D(2021, 1, 1))))
    kids["W2"] = r.child(r.la, dob=DOB, events=journey(
        D(2020, 6, 1), D(2020, 10, 1), D(2020, 11, 1), ("placement_order", D(2020, 12, 1)),
        ("plan_changed", D(2021, 2, 1), {"reason": "RD3"})))
    # W3 (902): PO 01/05/2020, matched 01/11/2020, the link ended 15/01/2021: waiting again.
    kids["W3"] = r.child(r.la_keeps, dob=DOB, events=journey(
        D(2020, 1, 1), D(2020, 2, 1), D(2020, 3, 1), ("placement_order", D(2020, 5, 1)),
        ("linked", D(2020, 10, 1)), ("match_decision", D(2020, 11, 1)),
        ("link_ended", D(2021, 1, 15), {"reason": "adopters withdrew"})))
    # K (901): adopted 01/01/2018, in the baseline period for cost. 01/01/2016→01/06/2017 = 517 days.
    kids["K"] = r.child(r.la, dob=DOB, events=journey(
        D(2016, 1, 1), D(2016, 2, 1), D(2016, 3, 1), ("placement_order", D(2016, 5, 1)),
        ("match_decision", D(2017, 4, 1)), ("placed_for_adoption", D(2017, 6, 1)), ("adoption_order", D(2018, 1, 1))))
    return region, kids


def figures(figs):
    return {f.key: f for f in figs}


def ids(kids, *names):
    return tuple(sorted(kids[n].pk for n in names))


# ---------------------------------------------------------------------------------------------
# Scorecard (retrospective)


@pytest.mark.parametrize(("scope_name", "expected"), [
    # key: (value, n, members)
    ("901", {"A1": (331, 3, "ABE"), "A10": (230, 3, "ABE"), "A2": (133, 3, "ABE"), "A3": (67, 3, "AB"),
             "children_adopted": (3, 3, "ABE")}),
    ("NR", {"A1": (315, 5, "ABCDE"), "A10": (254, 5, "ABCDE"), "A2": (107, 4, "ABCE"), "A3": (80, 5, "ABCD"),
            "children_adopted": (5, 5, "ABCDE")}),
    ("SR", {"A1": (273, 1, "G"), "A10": (273, 1, "G"), "A2": (92, 1, "G"), "A3": (100, 1, "G"),
            "children_adopted": (1, 1, "G")}),
    ("all", {"A1": (308, 6, "ABCDEG"), "A2": (104, 5, "ABCEG")}),
])
def test_scorecard_hand_computed(cohort, scope_name, expected):
    region, kids = cohort
    scope = {"901": measures.scope_for_la(region.la), "NR": measures.scope_for_raa(region.raa),
             "SR": measures.scope_for_raa(region.other_raa), "all": measures.scope_all()}[scope_name]
    got = figures(measures.scorecard(scope, 2022))
    for key, (value, n, members) in expected.items():
        assert (got[key].value, got[key].n) == (value, n), key
        assert got[key].child_ids == ids(kids, *members), key
        assert got[key].basis == "retrospective"


def test_a10_counts_from_early_permanence_only_for_the_carers_who_adopt(region):
    """Two FfA children in LA 903, each placed with FfA carers on 01/04/2021 and placed for adoption on
    01/09/2021: one adopted by those carers (the placement says so), one by other adopters.
    Both entered care 01/02/2021. A1 = 01/02→01/09/2021 = 212 for both. A10: the carers' child counts to the
    FfA move-in, 01/02→01/04/2021 = 59; the other child to its adoptive move-in, 212. A10 = (59 + 212) / 2
    = 135.5 → 136."""
    def ffa_child(placed_details):
        return region.child(region.other_la, dob=DOB, events=journey(
            D(2021, 2, 1), D(2021, 2, 20), D(2021, 3, 1),
            ("early_permanence_placement", D(2021, 4, 1), {"placement_type": "ffa"}),
            ("placement_order", D(2021, 6, 1)), ("match_decision", D(2021, 8, 2)),
            ("placed_for_adoption", D(2021, 9, 1), placed_details), ("adoption_order", D(2022, 2, 1))))

    by_carers = ffa_child({"by_foster_carers": True, "moved_in_with_carers": "2021-04-01"})
    by_others = ffa_child({})
    scope = measures.scope_for_la(region.other_la)
    got = figures(measures.scorecard(scope, 2022))
    assert (got["A1"].value, got["A1"].n) == (212, 2)
    assert (got["A10"].value, got["A10"].n) == (136, 2)
    rows = measures.scorecard_milestones(scope, 2022, [by_carers.pk, by_others.pk])
    assert rules.a10_date(rows[by_carers.pk]) == D(2021, 4, 1)
    assert rules.a10_date(rows[by_others.pk]) == D(2021, 9, 1)
    drill = rules.drill_row("A10", rows[by_others.pk])
    assert drill["days"] == 212  # the drill-down shows the same dates as the figure
    for child in (by_carers, by_others):  # and the journey rules agree with the SQL
        state = child_rules.replay(child_services.event_facts(child))
        assert state.moved_in_with_carers == rows[child.pk].moved_in_with_carers
    assert child_rules.replay(child_services.event_facts(by_others)).moved_in_with_carers is None
    cost = measures.cost(scope, rules.scorecard_period(2022), target_days=100, daily_cost=Decimal("10"))
    assert {c.child_id: c.days_in_care for c in cost.children} == {by_carers.pk: 59, by_others.pk: 212}


def test_scorecard_thresholds_rag_and_adopter_placeholders(cohort):
    region, _ = cohort
    got = figures(measures.scorecard(measures.scope_for_la(region.la), 2022))
    assert [f.key for f in measures.scorecard(measures.scope_for_la(region.la), 2022)] == list(rules.SCORECARD_KEYS)
    assert (got["A1"].threshold, got["A1"].unit, got["A1"].direction, got["A1"].rag) == (426, "days", "lower", "green")
    assert (got["A2"].threshold, got["A2"].rag) == (121, "amber")  # 133 ≤ 121 + 10%
    assert got["A3"].threshold is None and "14 months" in got["A3"].label
    for key in ("A11", "A12", "A13"):
        assert got[key].available is False and got[key].value is None


def test_a3_uses_16_months_in_2015_scorecards(region):
    # Entered 01/01/2012, moved in 01/04/2013 (15 months): within 16 months (2015 scorecard), not within 14.
    child = region.child(region.la, dob=D(2011, 1, 1), events=journey(
        D(2012, 1, 1), D(2012, 2, 1), D(2012, 3, 1), ("placement_order", D(2012, 6, 1)),
        ("match_decision", D(2013, 3, 1)), ("placed_for_adoption", D(2013, 4, 1)), ("adoption_order", D(2014, 1, 1))))
    scope = measures.scope_for_la(region.la)
    a3_2015 = figures(measures.scorecard(scope, 2015))["A3"]
    assert (a3_2015.value, a3_2015.child_ids) == (100, (child.pk,)) and "16 months" in a3_2015.label
    a1_2015 = figures(measures.scorecard(scope, 2015))["A1"]
    assert (a1_2015.value, a1_2015.threshold) == (456, 487)  # 01/01/2012 → 01/04/2013 (2012 is a leap year)
    assert figures(measures.scorecard(scope, 2016))["A3"].value == 0  # 2016: within 14 months


def test_scorecard_for_every_la_at_once_matches_one_by_one(cohort):
    region, _ = cohort
    by_la = measures.scorecard_by_la(2022)
    for la in (region.la, region.la_keeps, region.other_la):
        assert by_la[la.pk] == measures.scorecard(measures.scope_for_la(la), 2022)


def test_corrected_events_count_and_superseded_ones_do_not(cohort):
    region, kids = cohort
    match = JourneyEvent.objects.get(child=kids["A"], kind="match_decision")
    child_services.correct_event(event=match, actor=region.user("la_team_manager"), reason="typed the wrong month",
                                 date=D(2020, 8, 1))
    got = figures(measures.scorecard(measures.scope_for_la(region.la), 2022))
    assert got["A2"].value == 122  # 01/06→01/08/2020 = 61: (61 + 0 + 306) / 3 = 122.33
    assert got["A2"].n == 3


def test_las_that_changed_raa_count_for_the_raa_of_the_day(cohort):
    """902 leaves North for South on 01/10/2020: D (adopted 01/04/2019) stays North's, C (adopted 31/03/2021)
    is South's; quarterly events and children waiting follow the same dates."""
    region, kids = cohort
    services.record_raa_membership(actor=None, la=region.la_keeps, raa=region.raa, valid_from=None,
                                   valid_to=D(2020, 9, 30))
    services.record_raa_membership(actor=None, la=region.la_keeps, raa=region.other_raa, valid_from=D(2020, 10, 1))
    north, south = measures.scope_for_raa(region.raa), measures.scope_for_raa(region.other_raa)
    n = figures(measures.scorecard(north, 2022))
    s = figures(measures.scorecard(south, 2022))
    assert (n["A1"].value, n["A1"].child_ids) == (348, ids(kids, "A", "B", "D", "E"))  # 1390 / 4 = 347.5 → 348
    assert (s["A1"].value, s["A1"].child_ids) == (229, ids(kids, "C", "G"))  # (273 + 184) / 2 = 228.5 → 229
    q2_north = figures(measures.quarterly_children(north, "2020Q2"))
    assert q2_north["Q_MATCHED"].child_ids == ids(kids, "A", "C")  # C matched 01/08/2020, while 902 was North's
    assert kids["W3"].pk in q2_north["Q_WAITING"].child_ids
    q3_north = figures(measures.quarterly_children(north, "2020Q3"))
    q3_south = figures(measures.quarterly_children(south, "2020Q3"))
    assert kids["W3"].pk not in q3_north["Q_MATCHED"].child_ids
    assert q3_south["Q_MATCHED"].child_ids == ids(kids, "W3")
    assert kids["W3"].pk in q3_south["Q_WAITING"].child_ids and kids["W3"].pk not in q3_north["Q_WAITING"].child_ids


def test_overlapping_memberships_are_refused(region):
    from django.core.exceptions import ValidationError

    services.record_raa_membership(actor=None, la=region.la, raa=region.raa, valid_from=None, valid_to=D(2021, 3, 31))
    with pytest.raises(ValidationError):
        services.record_raa_membership(actor=None, la=region.la, raa=region.other_raa, valid_from=D(2021, 3, 31))


# ---------------------------------------------------------------------------------------------
# Prospective cohort


def test_prospective_cohort_counts_children_still_waiting(cohort):
    region, kids = cohort
    got = figures(measures.prospective_cohort(measures.scope_for_raa(region.raa), D(2020, 4, 1), D(2021, 3, 31),
                                              as_of=D(2021, 6, 30)))
    assert got["P_COHORT"].child_ids == ids(kids, "A", "C", "W1", "W2", "W3")
    assert got["P_MATCHED"].child_ids == ids(kids, "A", "C")
    assert got["P_WAITING"].child_ids == ids(kids, "W1", "W3")  # W3's match ended: waiting again
    assert got["P_LEFT"].child_ids == ids(kids, "W2")
    # (92 + 31 + 180 + 425) / 4: the waiting children's days so far count; matched alone would say 62.
    assert (got["P_PO_TO_MATCH"].value, got["P_PO_TO_MATCH"].n) == (182, 4)
    assert (got["P_CARE_TO_MOVE_IN"].value, got["P_CARE_TO_MOVE_IN"].n) == (355, 4)  # (265 + 184 + 425 + 546) / 4
    assert {f.basis for f in got.values()} == {"prospective"}


def test_prospective_cohort_as_of_an_earlier_date(cohort):
    region, kids = cohort
    got = figures(measures.prospective_cohort(measures.scope_for_la(region.la), D(2020, 4, 1), D(2021, 3, 31),
                                              as_of=D(2020, 12, 31)))
    # On 31/12/2020: A matched (92), W2 waiting since 01/12/2020 (30 days); W1's PO is not yet granted.
    assert got["P_COHORT"].child_ids == ids(kids, "A", "W2")
    assert (got["P_PO_TO_MATCH"].value, got["P_PO_TO_MATCH"].n) == (61, 2)


# ---------------------------------------------------------------------------------------------
# Quarterly


def test_quarterly_children_hand_computed(cohort):
    region, kids = cohort
    got = figures(measures.quarterly_children(measures.scope_for_raa(region.raa), "2020Q2"))
    assert got["Q_ADM"].period == Period(D(2020, 7, 1), D(2020, 9, 30), got["Q_ADM"].period.label)
    expected = {"Q_ADM": "W1", "Q_PO": "C", "Q_MATCHED": "A C", "Q_PLACED": "C", "Q_EARLY_PERMANENCE": "",
                "Q_AO": "E", "Q_PLAN_CHANGED": "", "Q_DISRUPTIONS": "", "Q_WAITING": "A F L W3",
                "Q_WAITING_90D": "A F L W3", "Q_WAITING_12M": "L", "Q_WAITING_18M": "L"}
    for key, names in expected.items():
        assert got[key].child_ids == ids(kids, *names.split()), key
        assert got[key].value == len(names.split())
    assert (got["Q_WAITING_AVG_DAYS"].value, got["Q_WAITING_AVG_DAYS"].n) == (327, 4)  # (121+365+669+152)/4


# ---------------------------------------------------------------------------------------------
# Suppression


@pytest.mark.parametrize(("value", "n", "kind", "shown", "shown_n"), [
    (0, 0, "count", 0, 0), (1, 1, "count", "<5", "<5"), (4, 4, "count", "<5", "<5"), (5, 5, "count", 5, 5),
    (331, 3, "average", "<5", "<5"), (331, 5, "average", 331, 5), (None, 0, "average", None, 0),
])
def test_suppression(value, n, kind, shown, shown_n):
    key = {"count": "Q_PO", "average": "A1"}[kind]
    fig = rules.Figure(key, "x", value, n, "days", "retrospective", Period(D(2020, 1, 1), D(2020, 3, 31)),
                       child_ids=(1, 2))
    out = rules.suppress(fig)
    assert (out.value, out.n, out.child_ids) == (shown, shown_n, ())


def test_cost_calculator_hand_computed(cohort):
    region, kids = cohort
    result = measures.cost(measures.scope_for_la(region.la), rules.scorecard_period(2022), target_days=300,
                           baseline=rules.scorecard_period(2019), daily_cost=Decimal("100"))
    per_child = {c.child_id: (c.days_in_care, c.excess_days, c.cost) for c in result.children}
    assert per_child == {kids["A"].pk: (265, 0, Decimal("0.00")), kids["B"].pk: (0, 0, Decimal("0.00")),
                         kids["E"].pk: (425, 125, Decimal("12500.00"))}
    assert [(c.child_id, c.excess_days) for c in result.baseline_children] == [(kids["K"].pk, 217)]
    got = figures(result.figures)
    assert (got["COST_EXCESS_DAYS"].value, got["COST"].value, got["COST"].n) == (125, 12500.0, 3)
    assert got["COST_AVOIDED"].value == 52600.0  # (217 − 125/3) × 3 × £100


def test_cost_needs_a_configured_daily_cost(cohort):
    region, _ = cohort
    with pytest.raises(ValueError, match="daily cost"):
        measures.cost(measures.scope_for_la(region.la), rules.scorecard_period(2022))
    services.set_daily_cost_of_care(actor=None, amount="150.00", valid_from=D(2000, 1, 1), source="test")
    result = measures.cost(measures.scope_for_la(region.la), rules.scorecard_period(2022))
    assert result.target_days == 426 and result.total_excess_days == 0 and result.daily_cost == Decimal("150.00")


# ---------------------------------------------------------------------------------------------
# The SQL milestones agree with the journey rules (children.rules.replay) for every child


def test_sql_milestones_mirror_the_journey_rules(cohort):
    region, kids = cohort
    rows = {row["child_id"]: measures._milestones(row)
            for row in measures.milestone_rows(measures.scope_all(), until=D(2100, 1, 1))}
    for name, child in kids.items():
        state = child_rules.replay(child_services.event_facts(child))
        m = rows[child.pk]
        assert (m.entered_care, m.first_po, m.po_date, m.match_date, m.placed_date, m.moved_in_with_carers,
                m.adoption_order) == (state.entered_care, state.first_po_date, state.po_date, state.match_date,
                                      state.placed_date, state.moved_in_with_carers, state.adoption_order), name


@pytest.mark.parametrize(("po", "revoked", "in_force"), [
    (D(2020, 1, 1), None, D(2020, 1, 1)), (D(2020, 1, 1), D(2020, 1, 1), None), (D(2020, 1, 2), D(2020, 1, 1),
                                                                                  D(2020, 1, 2)),
])
def test_same_day_placement_order_and_revocation(po, revoked, in_force):
    assert rules.Milestones(1, 1, last_po=po, last_po_revoked=revoked).po_date == in_force


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2025Q1", D(2025, 4, 1), D(2025, 6, 30)), ("2025Q4", D(2026, 1, 1), D(2026, 3, 31)),
    ("2023q4", D(2024, 1, 1), D(2024, 3, 31)),
])
def test_quarters_are_financial_year_quarters(text, start, end):
    p = rules.parse_quarter(text)
    assert (p.start, p.end) == (start, end)


def test_registered_adopter_family_fills_the_placeholders(cohort):
    region, _ = cohort

    def adopters(scope, period):
        return [rules.Figure("A11", rules.MEASURES["A11"].label, 7, 7, "adopters", "retrospective", period)]

    measures.register_family("scorecard", adopters)
    try:
        got = figures(measures.scorecard(measures.scope_for_la(region.la), 2022))
        assert (got["A11"].value, got["A11"].available) == (7, True) and got["A12"].available is False
    finally:
        measures._FAMILIES["scorecard"].remove(adopters)
