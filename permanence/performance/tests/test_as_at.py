"""'As at' means as at: every figure for a date or a period uses only what had happened by its end.

A set of journeys (children and adopters, recorded through the services) stands on 31/03/2024. Every family of
figures is computed for periods that ended by then – the three-year scorecard, four quarters, the prospective
cohort on two report dates, adopters at the quarter ends, the members' half-year, the dashboard, the cost
calculator, the quarterly report – and again after later events (dated after 31/03/2024) are recorded: a
disruption, an adoption order, a match, a plan change, a revocation, a link ended, a household matched or
withdrawn… The earlier figures must not move. Each later event is also checked to show up in a later period,
so the comparison is not of two empty pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permanence.adopters import services as adopter_services
from permanence.adopters.models import Enquiry, EnquirySource, Household
from permanence.children import services as child_services
from permanence.performance import adopter_measures, measures, members, reports, rules
from permanence.performance.views import dashboard_data
from permanence.testing import examples

D = date
DOB = D(2020, 6, 1)
CUT = D(2024, 3, 31)  # everything below is recorded on or before it; the later events come after it
QUARTERS = ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]  # April 2023 – March 2024
COHORT = (D(2022, 4, 1), D(2023, 3, 31))


def journey(entered, *rest):
    return [("entered_care", entered), ("permanence_plan", entered + timedelta(days=60)),
            ("should_be_placed", entered + timedelta(days=120)), *rest]


def household(raa, name, events, *, roi):
    h = adopter_services.register_interest(actor=None, raa=raa, name=name, roi_date=roi,
                                           applicants=[{"first_name": "Sam", "last_name": name}])
    for kind, day, *details in events:
        adopter_services.record_event(household=h, kind=kind, date=day, actor=None, check_role=False,
                                      details=details[0] if details else None)
    return h


def to_approval(roi: date) -> list:
    d = roi
    steps = [("roi_decision", 4, {"outcome": "accepted"}), ("stage_1_started", 7), ("stage_1_completed", 60),
             ("stage_2_started", 7), ("par_completed", 90), ("panel_recommendation", 14, {"recommendation": "approve"}),
             ("adm_decision", 7, {"decision": "approved"})]
    out = []
    for kind, days, *details in steps:
        d = d + timedelta(days=days)
        out.append((kind, d, *details))
    return out


@dataclass
class World:
    region: object
    kids: dict
    households: dict


@pytest.fixture
def world(region):
    r = region
    k = {}
    # Adopted in the scorecard period and in 2023Q3.
    k["adopted"] = r.child(r.la, dob=DOB, events=journey(
        D(2021, 9, 1), ("placement_order", D(2022, 3, 1)), ("match_decision", D(2023, 4, 3)),
        ("placed_for_adoption", D(2023, 6, 1)), ("adoption_order", D(2023, 12, 1))))
    # Placed on 01/02/2024, not yet adopted: later it disrupts.
    k["placed"] = r.child(r.la, dob=DOB, events=journey(
        D(2022, 1, 10), ("placement_order", D(2022, 9, 1)), ("match_decision", D(2023, 11, 1)),
        ("placed_for_adoption", D(2024, 2, 1))))
    # Placed on 02/10/2023 with the carers of an FfA placement: later adopted by them.
    k["placed_ffa"] = r.child(r.la_keeps, dob=DOB, events=journey(
        D(2022, 5, 2), ("early_permanence_placement", D(2022, 10, 3), {"placement_type": "ffa"}),
        ("placement_order", D(2023, 1, 9)), ("match_decision", D(2023, 9, 1)),
        ("placed_for_adoption", D(2023, 10, 2), {"by_foster_carers": True, "moved_in_with_carers": "2022-10-03"})))
    # Waiting with a placement order in the prospective cohort: later matched; another's plan later changes;
    # a third's placement order is later revoked.
    k["waiting"] = r.child(r.la, dob=DOB, events=journey(D(2022, 6, 1), ("placement_order", D(2023, 1, 16))))
    k["waiting_plan"] = r.child(r.la, dob=DOB, events=journey(D(2021, 11, 1), ("placement_order", D(2022, 6, 1))))
    k["waiting_po"] = r.child(r.la_keeps, dob=DOB, events=journey(D(2022, 7, 4), ("placement_order", D(2023, 2, 1))))
    # Matched on 01/03/2024, not placed: later the link ends.
    k["matched"] = r.child(r.la, dob=DOB, events=journey(
        D(2022, 3, 1), ("placement_order", D(2022, 12, 1)), ("linked", D(2024, 2, 1)),
        ("match_decision", D(2024, 3, 1))))
    # Should be placed, no placement order yet: later granted one.
    k["no_po"] = r.child(r.la, dob=DOB, events=journey(D(2023, 6, 1)))
    # In an early permanence placement since 01/11/2023, with a placement order: later matched and placed
    # with those carers.
    k["ffa"] = r.child(r.la_keeps, dob=DOB, events=journey(
        D(2023, 1, 2), ("placement_order", D(2023, 6, 1)),
        ("early_permanence_placement", D(2023, 11, 1), {"placement_type": "concurrent"})))
    h = {}
    source = EnquirySource.objects.get(code="website")
    enquiry = adopter_services.record_enquiry(actor=None, raa=r.raa, received_on=D(2023, 5, 2), source=source,
                                              first_name="Robin", last_name="Enquired")
    h["waiting"] = household(r.raa, "Waiting", to_approval(D(2023, 1, 9)), roi=D(2023, 1, 9))
    h["withdrawing"] = household(r.raa, "Withdrawing", to_approval(D(2023, 2, 6)), roi=D(2023, 2, 6))
    h["matched"] = household(r.raa, "Matched", [*to_approval(D(2022, 10, 3)), ("matched", D(2024, 2, 1))],
                             roi=D(2022, 10, 3))
    h["assessing"] = household(r.raa, "Assessing", to_approval(D(2023, 9, 4))[:5], roi=D(2023, 9, 4))
    h["enquired"] = adopter_services.register_interest(
        actor=None, raa=r.raa, name="Enquired", roi_date=D(2023, 5, 8), enquiry=enquiry,
        applicants=[{"first_name": "Robin", "last_name": "Enquired"}])
    for kind, day, *details in to_approval(D(2023, 5, 8))[:5]:
        adopter_services.record_event(household=h["enquired"], kind=kind, date=day, actor=None, check_role=False,
                                      details=details[0] if details else None)
    return World(r, k, h)


# ---------------------------------------------------------------------------------------------
# Every family of figures for the periods that ended by CUT


def past_figures(w: World) -> dict[str, tuple[date, object]]:
    """Every family of figures for periods that ended by CUT: {name: (the last day it covers, the figures)}."""
    r = w.region
    raa, la = measures.scope_for_raa(r.raa), measures.scope_for_la(r.la)
    las = [r.la, r.la_keeps]
    out: dict = {}
    for name, scope in (("raa", raa), ("la", la)):
        for year in (2023, 2024):
            out[f"scorecard {name} {year}"] = (D(year, 3, 31), measures.scorecard(scope, year))
        for q in QUARTERS:
            out[f"quarterly {name} {q}"] = (rules.parse_quarter(q).end, measures.quarterly_children(scope, q))
        for as_of in (D(2023, 6, 30), D(2023, 9, 30), CUT):
            out[f"prospective {name} {as_of}"] = (as_of, measures.prospective_cohort(scope, *COHORT, as_of=as_of))
        for half in ("2023H1", "2023H2"):
            out[f"members {name} {half}"] = (members.parse_half_year(half).end, members.members_report(scope, half))
        quarters = [rules.parse_quarter(q) for q in QUARTERS]
        out[f"trend {name}"] = (CUT, measures.scorecard_trend(scope, quarters))
        out[f"cost {name}"] = (CUT, measures.cost(scope, rules.scorecard_period(2024), target_days=300,
                                                  daily_cost=100, baseline=rules.scorecard_period(2023)))
    quarters = [rules.parse_quarter(q) for q in QUARTERS]
    for measure in rules.COMPARISON_MEASURES:  # from the LAs' totals (performance.AdoptionDays)
        out[f"comparison {measure}"] = (CUT, measures.group_trend(
            {"North": raa, "901": {r.la.pk}, **measures.case_holding_groups(quarters)}, quarters, measure, per_la=las))
    out["quarterly report 901"] = (CUT, reports.quarterly_report(la, "2023Q4"))
    out["dashboard"] = (CUT, dashboard_data(raa, las, D(2024, 4, 1)))
    households, enquiries = Household.objects.filter(raa=r.raa), Enquiry.objects.filter(raa=r.raa)
    for q in QUARTERS:
        p = rules.parse_quarter(q)
        m = adopter_measures.adopter_measures(households, enquiries, p.start, p.end)
        out[f"adopters {q}"] = (p.end, (m.figures, m.by_source, m.withdrawals))
    m = adopter_measures.adopter_measures(households, enquiries, D(2023, 4, 1), CUT)
    out["adopters year"] = (CUT, (m.figures, m.by_source, m.withdrawals))
    return out


def ended_before(figures: dict, day: date) -> dict:
    """The figures for periods that ended before `day`."""
    return {name: value for name, (end, value) in figures.items() if end < day}


def test_the_figures_before_the_later_events_are_what_the_journeys_say(world):
    """A few hand-checked anchors, so that 'unchanged' is about figures that mean something."""
    got = {name: value for name, (_end, value) in past_figures(world).items()}
    k, h = world.kids, world.households
    q4 = {f.key: f for f in got["quarterly raa 2023Q4"]}
    # On 31/03/2024 waiting with a PO, not placed: waiting, waiting_plan, waiting_po, matched, ffa. 'placed' is
    # placed (its disruption comes later), 'no_po' has no order.
    assert q4["Q_WAITING"].child_ids == tuple(sorted(k[n].pk for n in (
        "waiting", "waiting_plan", "waiting_po", "matched", "ffa")))
    assert q4["Q_PLACED"].child_ids == (k["placed"].pk,)
    assert q4["Q_ADOPTERS_WAITING"].household_ids == tuple(sorted((h["waiting"].pk, h["withdrawing"].pk)))
    card = {f.key: f for f in got["scorecard raa 2024"]}
    # 'adopted' alone: 01/09/2021 → 01/06/2023 = 638 days (A1 = A10: no foster carers).
    assert (card["A1"].value, card["A10"].value, card["A1"].n) == (638, 638, 1)
    pro = {f.key: f for f in got[f"prospective raa {CUT}"]}
    assert pro["P_WAITING"].child_ids == tuple(sorted(k[n].pk for n in ("waiting", "waiting_plan", "waiting_po")))
    assert pro["P_MATCHED"].child_ids == tuple(sorted(k[n].pk for n in ("placed", "placed_ffa", "matched")))
    by_source = {row.source: row for row in got["adopters year"][1]}
    assert (by_source["Website"].enquiries, by_source["Website"].approved) == (1, 0)


# ---------------------------------------------------------------------------------------------
# The later events, each with where it must show up afterwards


def _child_event(name, kind, day, details=None):
    def record(w: World):
        child_services.record_event(child=w.kids[name], kind=kind, date=day, actor=None, check_role=False,
                                    details=details)
    return record


def _household_event(name, kind, day, details=None):
    def record(w: World):
        adopter_services.record_event(household=w.households[name], kind=kind, date=day, actor=None,
                                      check_role=False, details=details)
    return record


def _all(*steps):
    def record(w: World):
        for step in steps:
            step(w)
    return record


def _new_child(w: World):
    w.kids["new"] = w.region.child(w.region.la, dob=DOB, events=journey(D(2024, 4, 2), ("placement_order", D(2024, 9, 2))))


def _quarter(w: World, scope: str, q: str) -> dict:
    s = measures.scope_for_raa(w.region.raa) if scope == "raa" else measures.scope_for_la(w.region.la)
    return {f.key: f for f in measures.quarterly_children(s, q)}


def _adopters(w: World, start: date, end: date):
    return adopter_measures.adopter_measures(Household.objects.filter(raa=w.region.raa),
                                             Enquiry.objects.filter(raa=w.region.raa), start, end)


LATER: dict[str, tuple[Callable, Callable]] = {
    "disruption after the quarter end": (
        _child_event("placed", "disruption", D(2024, 5, 1), {"reason": "placement broke down"}),
        lambda w: w.kids["placed"].pk in _quarter(w, "raa", "2024Q1")["Q_DISRUPTIONS"].child_ids
        and w.kids["placed"].pk in _quarter(w, "raa", "2024Q1")["Q_WAITING"].child_ids),
    "adoption order": (  # the figures of the scorecard to March 2025: test_the_later_adoption_order_counts…
        _child_event("placed_ffa", "adoption_order", D(2024, 4, 10)),
        lambda w: {f.key: f for f in measures.scorecard(measures.scope_for_raa(w.region.raa), 2025)}["A10"].n
        == 2),
    "new match": (
        _child_event("waiting", "match_decision", D(2024, 6, 3)),
        lambda w: w.kids["waiting"].pk in _quarter(w, "raa", "2024Q1")["Q_MATCHED"].child_ids),
    "plan changed": (
        _child_event("waiting_plan", "plan_changed", D(2024, 4, 15), {"reason": "RD3"}),
        lambda w: w.kids["waiting_plan"].pk not in _quarter(w, "raa", "2024Q1")["Q_WAITING"].child_ids),
    "placement order revoked": (
        _child_event("waiting_po", "po_revoked", D(2024, 7, 1)),
        lambda w: w.kids["waiting_po"].pk not in _quarter(w, "raa", "2024Q2")["Q_WAITING"].child_ids),
    "link ended": (
        _child_event("matched", "link_ended", D(2024, 4, 20), {"reason": "adopters withdrew"}),
        lambda w: {f.key: f for f in measures.prospective_cohort(
            measures.scope_for_raa(w.region.raa), D(2022, 4, 1), D(2023, 3, 31), as_of=D(2024, 6, 30))}
        ["P_MATCHED"].child_ids == tuple(sorted((w.kids["placed"].pk, w.kids["placed_ffa"].pk)))),
    "placement order granted": (
        _child_event("no_po", "placement_order", D(2024, 4, 8)),
        lambda w: w.kids["no_po"].pk in _quarter(w, "la", "2024Q1")["Q_PO"].child_ids),
    "placed with its early permanence carers": (
        _all(_child_event("ffa", "match_decision", D(2024, 4, 2)),
             _child_event("ffa", "placed_for_adoption", D(2024, 5, 1),
                          {"by_foster_carers": True, "moved_in_with_carers": "2023-11-01"})),
        lambda w: w.kids["ffa"].pk in _quarter(w, "raa", "2024Q1")["Q_PLACED"].child_ids),
    "a child new to care": (
        _new_child,
        lambda w: w.kids["new"].pk in _quarter(w, "la", "2024Q2")["Q_PO"].child_ids),
    "household matched": (
        _household_event("waiting", "matched", D(2024, 4, 3)),
        lambda w: _adopters(w, D(2024, 4, 1), D(2024, 6, 30))["matched"].household_ids
        == (w.households["waiting"].pk,)),
    "household withdrew": (
        _household_event("withdrawing", "closed", D(2024, 5, 20), {"reason": "withdrew"}),
        lambda w: _adopters(w, D(2024, 4, 1), D(2024, 6, 30))["left_after_approval"].household_ids
        == (w.households["withdrawing"].pk,)),
    "household match ended": (
        _household_event("matched", "match_ended", D(2024, 4, 30), {"reason": "link ended"}),
        lambda w: w.households["matched"].pk in _adopters(w, D(2024, 4, 1), D(2024, 6, 30))
        ["approved_waiting"].household_ids),
    "household approved": (
        _all(_household_event("enquired", "panel_recommendation", D(2024, 4, 9), {"recommendation": "approve"}),
             _household_event("enquired", "adm_decision", D(2024, 4, 16), {"decision": "approved"})),
        lambda w: {row.source: row.approved for row in _adopters(w, D(2023, 4, 1), D(2025, 3, 31)).by_source}
        == {"Website": 1}),
}


def test_the_later_adoption_order_counts_in_the_next_scorecard(world):
    """The anchor of the 'adoption order' case: placed_ffa adopted on 10/04/2024 by its FfA carers, in the
    scorecard to March 2025. A10 counts to the FfA move-in (02/05/2022 → 03/10/2022 = 154 days; A1 to the
    adoptive placement, 02/05/2022 → 02/10/2023 = 518 days); 'adopted' (638) is in it too."""
    LATER["adoption order"][0](world)
    card = {f.key: f for f in measures.scorecard(measures.scope_for_raa(world.region.raa), 2025)}
    assert (card["A1"].value, card["A10"].value, card["A1"].n) == (578, 396, 2)  # (638+518)/2, (638+154)/2


@pytest.mark.parametrize("what", list(LATER))
def test_later_events_do_not_move_earlier_figures(world, what):
    before = past_figures(world)
    record, shows = LATER[what]
    record(world)
    for name in list(world.kids):
        world.kids[name].refresh_from_db()
    assert shows(world), f"the later event ({what}) should show in a later period"
    after = past_figures(world)
    changed = sorted(key for key in before if before[key][1] != after[key][1])
    assert changed == [], f"{what} changed {changed}"
    assert before == after


# ---------------------------------------------------------------------------------------------
# Property: events of any kind, in any combination, on any dates, never change the figures for the periods that
# ended before the earliest of them (they may change the others)

_STEPS = [step for step, _shows in LATER.values()]


@pytest.mark.django_db(transaction=False)
def test_random_later_events_never_change_earlier_figures(world):
    before = past_figures(world)

    @settings(max_examples=examples(30), deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.integers(0, len(_STEPS) - 1), st.integers(-450, 600)), max_size=5))
    def check(choices):
        # Each example's writes are rolled back, so the next one reuses their ids: a copy cached under the
        # rolled-back state's data version (the dashboard's family-finding figures) would be taken for the next
        # state's. No other connection ever sees a rolled-back state, so outside tests the key is never reused.
        cache.clear()
        with transaction.atomic():
            earliest = D(9999, 12, 31)
            for index, offset in choices:
                day = CUT + timedelta(days=offset)
                try:
                    with transaction.atomic():
                        _random_step(world, index, day)
                except ValidationError:
                    continue  # not possible on that day (the rules refused it): nothing was saved
                earliest = min(earliest, day)
            assert ended_before(past_figures(world), earliest) == ended_before(before, earliest)
            transaction.set_rollback(True)

    check()


def _random_step(w: World, index: int, day: date) -> None:
    """A later event of the kind LATER[index] records, on `day` instead of its own date."""
    kinds = [
        ("child", "placed", "disruption", {"reason": "broke down"}),
        ("child", "placed_ffa", "adoption_order", None),
        ("child", "waiting", "match_decision", None),
        ("child", "waiting_plan", "plan_changed", {"reason": "RD1"}),
        ("child", "waiting_po", "po_revoked", None),
        ("child", "matched", "link_ended", {"reason": "ended"}),
        ("child", "no_po", "placement_order", None),
        ("child", "ffa", "match_decision", None),
        ("new", None, None, None),
        ("household", "waiting", "matched", None),
        ("household", "withdrawing", "closed", {"reason": "withdrew"}),
        ("household", "matched", "match_ended", {"reason": "ended"}),
        ("household", "enquired", "panel_recommendation", {"recommendation": "approve"}),  # then the approval
    ]
    assert len(kinds) == len(_STEPS)
    who, name, kind, details = kinds[index]
    if who == "child":
        child_services.record_event(child=w.kids[name], kind=kind, date=day, actor=None, check_role=False,
                                    details=details)
    elif who == "household":
        adopter_services.record_event(household=w.households[name], kind=kind, date=day, actor=None,
                                      check_role=False, details=details)
        if kind == "panel_recommendation":
            adopter_services.record_event(household=w.households[name], kind="adm_decision",
                                          date=day + timedelta(days=7), actor=None, check_role=False,
                                          details={"decision": "approved"})
    else:
        w.region.child(w.region.la, dob=DOB, events=journey(day, ("placement_order", day + timedelta(days=130))))
