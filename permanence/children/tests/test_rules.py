"""The journey rules, by hand-worked tables of dated events."""

from datetime import date, timedelta

import pytest

from permanence.children import rules
from permanence.children.rules import Kind, Stage
from permanence.timescales.rules import TimescaleFact


def ev(kind, d, **details):
    return rules.EventFact(kind=Kind(kind), date=d, details=details)


BASE = [
    ev("entered_care", date(2023, 1, 10)),
    ev("identified", date(2023, 2, 1)),
    ev("permanence_plan", date(2023, 5, 2)),
    ev("should_be_placed", date(2023, 7, 3)),
    ev("placement_order", date(2023, 9, 4)),
]


@pytest.mark.parametrize(
    ("events", "stage"),
    [
        ([], Stage.NEW),
        ([ev("identified", date(2023, 1, 1))], Stage.TRACKING),
        ([ev("identified", date(2023, 1, 1)), ev("entered_care", date(2023, 2, 1))], Stage.IDENTIFIED),
        (BASE[:1], Stage.IN_CARE),
        (BASE[:3], Stage.PLAN_FOR_ADOPTION),
        (BASE[:4], Stage.SHOULD_BE_PLACED),
        (BASE, Stage.PLACEMENT_ORDER),
        ([*BASE, ev("linked", date(2024, 1, 2))], Stage.LINKED),
        ([*BASE, ev("linked", date(2024, 1, 2)), ev("matching_panel", date(2024, 2, 1))], Stage.LINKED),
        ([*BASE, ev("linked", date(2024, 1, 2)), ev("match_decision", date(2024, 2, 5))], Stage.MATCHED),
        ([*BASE, ev("linked", date(2024, 1, 2)), ev("link_ended", date(2024, 1, 20), reason="adopters withdrew")],
         Stage.PLACEMENT_ORDER),
        ([*BASE, ev("match_decision", date(2024, 2, 5)), ev("placed_for_adoption", date(2024, 3, 1))], Stage.PLACED),
        ([*BASE, ev("match_decision", date(2024, 2, 5)), ev("placed_for_adoption", date(2024, 3, 1)),
          ev("adoption_order", date(2024, 9, 1))], Stage.ADOPTED),
        ([*BASE, ev("match_decision", date(2024, 2, 5)), ev("placed_for_adoption", date(2024, 3, 1)),
          ev("disruption", date(2024, 5, 1), reason="placement broke down")], Stage.PLACEMENT_ORDER),
        ([*BASE, ev("po_revoked", date(2024, 1, 5))], Stage.PO_REVOKED),
        ([*BASE, ev("plan_changed", date(2024, 1, 5), reason="RD3")], Stage.PLAN_CHANGED),
        # A match before the placement order: the order does not move the stage back.
        ([*BASE[:4], ev("match_decision", date(2023, 8, 1)), ev("placement_order", date(2023, 9, 4))], Stage.MATCHED),
        # Same-day events replay in journey order whatever order they were recorded in.
        ([ev("placement_order", date(2023, 3, 1)), ev("entered_care", date(2023, 3, 1))], Stage.PLACEMENT_ORDER),
    ],
)
def test_stage_is_derived_from_events(events, stage):
    assert rules.replay(events).stage is stage


@pytest.mark.parametrize(
    ("events", "new", "fragment"),
    [
        ([], ev("placement_order", date(2023, 1, 1)), "needs the child to be in care"),
        (BASE[:1], ev("placement_order", date(2022, 12, 1)), "in care"),  # a PO before entering care
        (BASE, ev("adoption_order", date(2024, 1, 1)), "placed for adoption first"),  # an AO before placement
        (BASE, ev("placement_order", date(2024, 1, 1)), "not to hold a placement order already"),
        (BASE, ev("plan_changed", date(2024, 1, 1), reason="RD9"), "RD1, RD2, RD3 or RD4"),
        (BASE, ev("plan_changed", date(2024, 1, 1)), "needs a reason"),
        (BASE, ev("entered_care", date(2024, 1, 1)), "already been recorded"),
        (BASE, ev("placement_order", date(2030, 1, 1)), "cannot be in the future"),
        (BASE[:4], ev("po_revoked", date(2023, 8, 1)), "cannot be recorded"),
        # Back-dating an event that would make a later one impossible is refused too.
        (BASE, ev("plan_changed", date(2023, 6, 1), reason="RD1"), "make a later event impossible"),
    ],
)
def test_invalid_events_are_refused_with_a_reason(events, new, fragment):
    problems = rules.check_new_event(events, new, today=date(2026, 11, 26))
    assert problems, "the event should have been refused"
    assert any(fragment in p for p in problems), problems


def test_event_before_date_of_birth_is_refused():
    problems = rules.check_new_event([], ev("entered_care", date(2020, 1, 1)), today=date(2026, 1, 1),
                                     dob=date(2021, 1, 1))
    assert problems == ["The date cannot be before the child's date of birth (01/01/2021)."]


def test_the_transition_table_covers_every_kind_and_stage():
    rules.check_transition_table()
    assert set(rules.TRANSITIONS) == set(Kind)


def test_a_table_that_names_an_unknown_stage_fails_the_check(monkeypatch):
    broken = dict(rules.TRANSITIONS)
    t = broken[Kind.VISIT]
    broken[Kind.VISIT] = rules.Transition(t.kind, {**t.moves, Stage.NEW: "nowhere"}, t.recorder, t.hint)
    monkeypatch.setattr(rules, "TRANSITIONS", broken)
    with pytest.raises(ImportError, match="unknown to-stage"):
        rules.check_transition_table()


def test_foster_carer_adoption_keeps_the_date_the_child_moved_in_with_the_carers():
    events = [*BASE, ev("match_decision", date(2024, 2, 5)),
              ev("placed_for_adoption", date(2024, 3, 1), by_foster_carers=True, moved_in_with_carers="2023-01-10")]
    assert rules.replay(events).moved_in_with_carers == date(2023, 1, 10)


EARLY_PERMANENCE_THEN_MATCH = [
    *BASE[:4], ev("early_permanence_placement", date(2023, 7, 20), placement_type="ffa"),
    ev("placement_order", date(2023, 9, 4)), ev("match_decision", date(2023, 10, 1))]


def test_early_permanence_carers_who_adopt_count_from_the_ffa_move():
    """The placement says the adopters are the early permanence carers (as the 903 importer writes it for a
    U2/U5 placement whose carers adopt): A10 counts from the FfA move-in, 20/07/2023."""
    events = [*EARLY_PERMANENCE_THEN_MATCH, ev("placed_for_adoption", date(2023, 10, 2), by_foster_carers=True,
                                               moved_in_with_carers="2023-07-20")]
    state = rules.replay(events)
    assert state.early_permanence_type == "ffa"
    assert (state.placed_date, state.moved_in_with_carers) == (date(2023, 10, 2), date(2023, 7, 20))


def test_early_permanence_followed_by_adoption_by_others_counts_from_the_adoptive_move_in():
    """An FfA placement, then a move to other adopters: nothing earlier than the adoptive move-in (A10 = A1)."""
    state = rules.replay([*EARLY_PERMANENCE_THEN_MATCH, ev("placed_for_adoption", date(2023, 10, 2))])
    assert state.early_permanence == date(2023, 7, 20)
    assert (state.placed_date, state.moved_in_with_carers) == (date(2023, 10, 2), None)


def test_a_carers_date_without_the_carers_flag_counts_for_nothing():
    events = [*EARLY_PERMANENCE_THEN_MATCH,
              ev("placed_for_adoption", date(2023, 10, 2), moved_in_with_carers="2023-07-20")]
    assert rules.replay(events).moved_in_with_carers is None


# ---------------------------------------------------------------------------------------------
# Case holding under each LA policy

POLICY_DATE = date(2020, 1, 1)
LA_KEEPS = rules.PolicyFact(POLICY_DATE, rules.LA_KEEPS)
AT_PO = rules.PolicyFact(POLICY_DATE, rules.RAA_AT_PO)
UNDER_3 = rules.PolicyFact(POLICY_DATE, rules.RAA_AT_PO_AGE_LIMIT, age_limit=2)


def journey(po=date(2023, 9, 4)):
    return [ev("entered_care", date(2023, 1, 10)), ev("should_be_placed", date(2023, 7, 3)), ev("placement_order", po)]


@pytest.mark.parametrize(
    ("policy", "dob", "holder_after_po"),
    [
        (LA_KEEPS, date(2022, 1, 1), rules.LA),
        (AT_PO, date(2015, 1, 1), rules.RAA),
        (UNDER_3, date(2022, 6, 1), rules.RAA),  # aged 1 at the PO
        (UNDER_3, date(2021, 9, 5), rules.RAA),  # 2 the day before the PO: 2 and under
        (UNDER_3, date(2020, 9, 4), rules.LA),  # turned 3 on the PO date
        (UNDER_3, date(2020, 6, 1), rules.LA),  # aged 3 at the PO
    ],
)
def test_case_holder_at_the_placement_order(policy, dob, holder_after_po):
    periods = rules.holder_periods(journey(), [policy], dob)
    assert rules.holder_on(periods, date(2023, 9, 3)) == rules.LA
    assert rules.holder_on(periods, date(2023, 9, 4)) == holder_after_po


def test_a_revoked_po_returns_the_case_to_the_la():
    events = [*journey(), ev("po_revoked", date(2024, 2, 1))]
    periods = rules.holder_periods(events, [AT_PO], date(2022, 1, 1))
    assert [(p.start, p.side) for p in periods] == [
        (date(2023, 1, 10), rules.LA), (date(2023, 9, 4), rules.RAA), (date(2024, 2, 1), rules.LA)]
    assert periods[1].end == date(2024, 2, 1)
    assert "revoked" in periods[2].reason


def test_a_plan_change_returns_the_case_and_an_adoption_order_closes_it():
    changed = rules.holder_periods([*journey(), ev("plan_changed", date(2024, 3, 1), reason="RD1")], [AT_PO],
                                   date(2022, 1, 1))
    assert changed[-1].side == rules.LA
    adopted = [*journey(), ev("match_decision", date(2024, 1, 1)), ev("placed_for_adoption", date(2024, 2, 1)),
               ev("adoption_order", date(2024, 8, 1))]
    periods = rules.holder_periods(adopted, [AT_PO], date(2022, 1, 1))
    assert periods[-1].side is None and periods[-1].start == date(2024, 8, 1)


def test_a_policy_change_takes_effect_from_its_date():
    later = rules.PolicyFact(date(2024, 4, 1), rules.RAA_AT_PO)
    periods = rules.holder_periods(journey(), [LA_KEEPS, later], date(2022, 1, 1))
    assert rules.holder_on(periods, date(2024, 3, 31)) == rules.LA
    assert rules.holder_on(periods, date(2024, 4, 1)) == rules.RAA
    assert "policy changed" in periods[-1].reason.lower()


def test_delegated_decisions_are_recorded_by_the_side_the_policy_names():
    delegated = rules.PolicyFact(POLICY_DATE, rules.RAA_AT_PO, match_delegated=True)
    assert rules.recording_refusal(rules.ADM, rules.RAA, Kind.MATCH_DECISION, delegated) is None
    assert "belongs to the RAA" in rules.recording_refusal(rules.LA_TEAM_MANAGER, rules.LA, Kind.MATCH_DECISION,
                                                           delegated)
    assert rules.recording_refusal(rules.LA_TEAM_MANAGER, rules.LA, Kind.MATCH_DECISION, LA_KEEPS) is None
    assert "belongs to the LA" in rules.recording_refusal(rules.ADM, rules.RAA, Kind.MATCH_DECISION, LA_KEEPS)
    assert "cannot record" in rules.recording_refusal(rules.BOARD_MEMBER, rules.RAA, Kind.LINKED, AT_PO)


# ---------------------------------------------------------------------------------------------
# Due actions

LSB = TimescaleFact("life_story_book", "Hand over the life story book", "adoption_order", ("life_story_book",),
                    10, "working_days")
LLL = TimescaleFact("later_life_letter", "Hand over the later life letter", "adoption_order",
                    ("later_life_letter",), 10, "working_days")
PLAN = TimescaleFact("permanence_plan", "Plan", "entered_care", ("permanence_plan",), 4, "months")


def adopted(ao):
    return [*journey(), ev("match_decision", date(2024, 1, 1)), ev("placed_for_adoption", date(2024, 2, 1)),
            ev("adoption_order", ao)]


def test_life_story_book_and_later_life_letter_are_due_ten_working_days_after_the_ao():
    # AO on Friday 20 December 2024: 10 working days, skipping Christmas, Boxing Day and New Year's Day.
    state = rules.replay(adopted(date(2024, 12, 20)))
    due = rules.due_actions(state, [LSB, LLL, PLAN])
    assert [(a.key, a.due) for a in due] == [("life_story_book", date(2025, 1, 8)),
                                            ("later_life_letter", date(2025, 1, 8))]
    assert due[0].overdue_on(date(2025, 1, 9)) and not due[0].overdue_on(date(2025, 1, 8))


def test_a_handed_over_book_is_no_longer_due():
    state = rules.replay([*adopted(date(2024, 12, 20)), ev("life_story_book", date(2025, 1, 6))])
    assert [a.key for a in rules.due_actions(state, [LSB, LLL])] == ["later_life_letter"]


def test_the_plan_is_due_four_months_after_entering_care_unless_the_journey_moved_on():
    state = rules.replay([ev("entered_care", date(2024, 10, 31))])
    assert [(a.key, a.due) for a in rules.due_actions(state, [PLAN])] == [("permanence_plan", date(2025, 2, 28))]
    moved_on = rules.replay([ev("entered_care", date(2024, 10, 31)), ev("should_be_placed", date(2025, 1, 1))])
    assert rules.due_actions(moved_on, [PLAN]) == []


def test_nothing_is_due_once_the_plan_has_changed():
    state = rules.replay([ev("entered_care", date(2024, 10, 31)), ev("plan_changed", date(2024, 11, 1), reason="RD4")])
    assert rules.due_actions(state, [PLAN]) == []


# ---------------------------------------------------------------------------------------------
# Priority children

RAA_DEF = rules.PriorityDefinition("seed 002", min_age_years=4, bme=True, sibling_group_min=2, disability=True)
DFE_DEF = rules.PriorityDefinition("DfE 2015", min_age_years=5, bme=True, sibling_group_min=2, disability=True,
                                   waiting_months=18)
TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("facts", "definition", "expected"),
    [
        (rules.ChildFacts(date(2022, 11, 26), "WBRI", 1, False), RAA_DEF, ["aged 4 or over"]),
        (rules.ChildFacts(date(2022, 11, 27), "WBRI", 1, False), RAA_DEF, []),
        (rules.ChildFacts(date(2022, 11, 26), "WBRI", 1, False), DFE_DEF, []),
        (rules.ChildFacts(date(2025, 1, 1), "MWBC", 1, False), RAA_DEF, ["black or minority ethnic heritage"]),
        (rules.ChildFacts(date(2025, 1, 1), "WBRI", 2, False), RAA_DEF, ["in a sibling group of 2"]),
        (rules.ChildFacts(date(2025, 1, 1), "WBRI", 1, True), RAA_DEF, ["disability or medical condition"]),
        (rules.ChildFacts(date(2024, 1, 1), "WBRI", 1, False, po_date=date(2025, 5, 26)), DFE_DEF,
         ["waiting over 18 months since the placement order"]),
        (rules.ChildFacts(date(2024, 1, 1), "WBRI", 1, False, po_date=date(2025, 5, 27)), DFE_DEF, []),
        (rules.ChildFacts(None, "NOBT", 1, False), RAA_DEF, []),  # unborn
    ],
)
def test_priority_reasons(facts, definition, expected):
    assert rules.priority_reasons(facts, definition, TODAY) == expected


@pytest.mark.parametrize("events", [
    [], BASE[:1], BASE[:3], BASE, [*BASE, ev("linked", date(2024, 1, 2))],
    [*BASE, ev("match_decision", date(2024, 2, 5)), ev("placed_for_adoption", date(2024, 3, 1))],
    [*BASE, ev("match_decision", date(2024, 2, 5)), ev("placed_for_adoption", date(2024, 3, 1)),
     ev("adoption_application", date(2024, 4, 1)), ev("life_story_book", date(2024, 4, 2))],
])
def test_the_kinds_offered_are_the_kinds_the_journey_accepts(events):
    # Every kind offered to someone who may record anything can be recorded the next day (with its details).
    state = rules.replay(events)
    anyone = rules.PolicyFact(date(2000, 1, 1), rules.LA_KEEPS)
    offered = {k for role in (rules.LA_SOCIAL_WORKER, rules.ADM, rules.DATA_OFFICER)
               for k in rules.kinds_recordable(role, rules.LA, anyone, state)}
    offered |= {k for role in (rules.RAA_FAMILY_FINDER, rules.PANEL_ADVISER, rules.RAA_SUPPORT_WORKER)
                for k in rules.kinds_recordable(role, rules.RAA, anyone, state)}
    assert offered
    day = (events[-1].date if events else date(2023, 1, 1)) + timedelta(days=1)
    details = {"reason": "RD1", "placement_type": "ffa"}
    for kind in offered:
        assert rules.check_new_event(events, ev(kind, day, **details), today=date(2026, 1, 1)) == [], kind


def test_kinds_the_journey_would_refuse_are_not_offered():
    # A plan for adoption needs the child in care: not offered to a child tracked before care whose plan changed.
    tracked = rules.replay([ev("identified", date(2023, 1, 1)), ev("plan_changed", date(2023, 2, 1), reason="RD4")])
    assert rules.kinds_recordable(rules.LA_SOCIAL_WORKER, rules.LA, None, tracked) == []
    # Once recorded, an adoption application is not offered again; nor a second placement order while one holds.
    placed = rules.replay([*BASE, ev("match_decision", date(2024, 2, 5)), ev("placed_for_adoption", date(2024, 3, 1)),
                           ev("adoption_application", date(2024, 4, 1))])
    offered = rules.kinds_recordable(rules.LA_SOCIAL_WORKER, rules.LA, None, placed)
    assert Kind.ADOPTION_APPLICATION not in offered and Kind.ADOPTION_ORDER in offered
    assert Kind.PLACEMENT_ORDER not in rules.kinds_recordable(rules.DATA_OFFICER, rules.LA, None, placed)
    # Given only a stage, the stage alone decides (as before).
    assert Kind.ADOPTION_APPLICATION in rules.kinds_recordable(rules.LA_SOCIAL_WORKER, rules.LA, None, Stage.PLACED)
