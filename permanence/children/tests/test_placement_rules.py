"""The placement kinds on the child's journey, by hand-worked tables of dated events: early permanence ended and
converted, the adoption placement report and plan, placement reviews on their timescale (AAR 2005 reg 36(1)), and
a disruption's cause and the learning review it prompts."""

from datetime import date

import pytest

from permanence.children import rules
from permanence.children.rules import Kind, Stage
from permanence.timescales.rules import TimescaleFact

D = date


def ev(kind, d, **details):
    return rules.EventFact(kind=Kind(kind), date=d, details=details)


BASE = [
    ev("entered_care", D(2023, 1, 10)),
    ev("identified", D(2023, 2, 1)),
    ev("permanence_plan", D(2023, 5, 2)),
    ev("should_be_placed", D(2023, 7, 3)),
    ev("placement_order", D(2023, 9, 4)),
]
MATCHED = [*BASE, ev("linked", D(2023, 10, 2)), ev("match_decision", D(2023, 11, 1))]
PLACED = [*MATCHED, ev("placed_for_adoption", D(2023, 12, 1))]
# One journey reaching each stage.
AT_STAGE = {
    Stage.NEW: [],
    Stage.TRACKING: [ev("identified", D(2023, 1, 1))],
    Stage.IN_CARE: BASE[:1],
    Stage.IDENTIFIED: BASE[:2],
    Stage.PLAN_FOR_ADOPTION: BASE[:3],
    Stage.SHOULD_BE_PLACED: BASE[:4],
    Stage.PLACEMENT_ORDER: BASE,
    Stage.LINKED: [*BASE, ev("linked", D(2023, 10, 2))],
    Stage.MATCHED: MATCHED,
    Stage.PLACED: PLACED,
    Stage.ADOPTED: [*PLACED, ev("adoption_order", D(2024, 6, 3))],
    Stage.PO_REVOKED: [*BASE, ev("po_revoked", D(2023, 10, 2))],
    Stage.PLAN_CHANGED: [*BASE, ev("plan_changed", D(2023, 10, 2), reason="RD3")],
}
TODAY = D(2026, 11, 26)
LATER = D(2025, 6, 2)


def test_the_journeys_reach_their_stages():
    assert {s: rules.replay(e).stage for s, e in AT_STAGE.items()} == {s: s for s in AT_STAGE}


# Where each new kind may be recorded (and everywhere else it is refused with its hint).
ALLOWED = {
    Kind.APR: {Stage.SHOULD_BE_PLACED, Stage.PLACEMENT_ORDER, Stage.LINKED, Stage.MATCHED},
    Kind.PLACEMENT_PLAN: {Stage.MATCHED, Stage.PLACED},
    Kind.PLACEMENT_REVIEW: {Stage.PLACED},
}


@pytest.mark.parametrize("kind", list(ALLOWED))
@pytest.mark.parametrize("stage", list(AT_STAGE))
def test_each_new_kind_from_every_stage(kind, stage):
    new = ev(kind, LATER)
    problems = rules.check_new_event(AT_STAGE[stage], new, today=TODAY)
    if stage in ALLOWED[kind]:
        assert problems == []
        after = rules.replay([*AT_STAGE[stage], new])
        assert after.stage is stage  # none of them moves the stage
    else:
        assert len(problems) == 1
        label = rules.KIND_LABELS[kind]
        assert problems[0] == (f"{label} on 02/06/2025 cannot be recorded: on that date the child's stage was "
                               f"“{rules.STAGE_LABELS[stage].lower()}”. {rules.TRANSITIONS[kind].hint}")


EP = ev("early_permanence_placement", D(2023, 7, 20), placement_type="ffa", household="12")


def _with_ep(events):
    return rules.sort_events([*events, EP])


@pytest.mark.parametrize("stage", list(AT_STAGE))
def test_early_permanence_ended_from_every_stage(stage):
    events = AT_STAGE[stage]
    ended = ev("early_permanence_ended", LATER, end_reason="birth_family")
    with_ep = events if stage in (Stage.NEW, Stage.TRACKING) else _with_ep(events)
    # The early permanence placement, 20/07/2023, is before every step after should-be-placed.
    problems = rules.check_new_event(with_ep, ended, today=TODAY)
    ep_stages = {Stage.IN_CARE, Stage.IDENTIFIED, Stage.PLAN_FOR_ADOPTION, Stage.SHOULD_BE_PLACED,
                 Stage.PLACEMENT_ORDER, Stage.LINKED, Stage.MATCHED, Stage.PO_REVOKED, Stage.PLAN_CHANGED}
    if stage in ep_stages:
        assert problems == [], problems
        state = rules.replay([*with_ep, ended])
        assert (state.ep_ended, state.ep_end_reason, state.ep_in_force) == (LATER, "birth_family", False)
        assert state.early_permanence == D(2023, 7, 20)  # the placement happened: the measures count it
    else:
        assert problems and rules.TRANSITIONS[Kind.EARLY_PERMANENCE_ENDED].hint in problems[0]


@pytest.mark.parametrize(
    ("events", "details", "fragment"),
    [
        (BASE, {"end_reason": "broke_down"}, "No early permanence placement is in force: record the placement first."),
        ([*_with_ep(BASE), ev("early_permanence_ended", D(2024, 1, 2), end_reason="other")],
         {"end_reason": "other"}, "The early permanence placement already ended on 02/01/2024."),
        (_with_ep(BASE), {}, "Choose why the early permanence placement ended."),
        (_with_ep(BASE), {"end_reason": "moved_to_adopters"}, "Choose why the early permanence placement ended."),
        (_with_ep(BASE), {"end_reason": "bored"}, "Choose why the early permanence placement ended."),
    ],
)
def test_early_permanence_ended_is_refused_with_a_reason(events, details, fragment):
    problems = rules.check_new_event(events, ev("early_permanence_ended", LATER, **details), today=TODAY)
    assert len(problems) == 1 and problems[0].endswith(fragment), problems


@pytest.mark.parametrize("reason", list(rules.EARLY_PERMANENCE_END_REASONS))
def test_each_early_permanence_end_reason_is_accepted(reason):
    state = rules.replay([*_with_ep(BASE), ev("early_permanence_ended", LATER, end_reason=reason)])
    assert state.ep_end_reason == reason and rules.EP_END_LABELS[reason] == rules.EARLY_PERMANENCE_END_REASONS[reason]


CARERS = {"by_foster_carers": True, "moved_in_with_carers": "2023-07-20"}


def test_the_adoptive_placement_with_the_carers_converts_the_early_permanence_placement():
    state = rules.replay(_with_ep([*MATCHED, ev("placed_for_adoption", D(2023, 12, 1), **CARERS)]))
    assert state.ep_converted == D(2023, 12, 1) and state.ep_ended is None and not state.ep_in_force
    assert state.ep_household == "12" and state.early_permanence_type == "ffa"
    # A10 still counts from the move-in with the carers.
    assert (state.placed_date, state.moved_in_with_carers) == (D(2023, 12, 1), D(2023, 7, 20))
    # Converted: it can no longer end as an early permanence placement.
    problems = rules.check_new_event(_with_ep(MATCHED) + [ev("placed_for_adoption", D(2023, 12, 1), **CARERS)],
                                     ev("early_permanence_ended", LATER, end_reason="other"), today=TODAY)
    assert problems and "before it becomes the adoptive placement" in problems[0]


def test_moving_in_with_other_adopters_ends_the_early_permanence_placement():
    state = rules.replay(_with_ep([*MATCHED, ev("placed_for_adoption", D(2023, 12, 1))]))
    assert (state.ep_ended, state.ep_end_reason, state.ep_converted) == (D(2023, 12, 1), rules.EP_MOVED_TO_ADOPTERS,
                                                                         None)
    assert state.moved_in_with_carers is None  # A10 counts from this move-in, as A1 does


def test_an_ended_placement_is_not_converted_by_a_later_move_in_with_carers():
    events = [*_with_ep(MATCHED[:-1]), ev("early_permanence_ended", D(2023, 10, 20), end_reason="broke_down"),
              MATCHED[-1], ev("placed_for_adoption", D(2023, 12, 1), by_foster_carers=True,
                              moved_in_with_carers="2023-10-25")]
    state = rules.replay(events)
    assert state.ep_converted is None and state.ep_ended == D(2023, 10, 20)
    assert state.moved_in_with_carers == D(2023, 10, 25)  # foster carers who adopt: A10 as before


def test_a_second_early_permanence_placement_replaces_the_first():
    events = [*_with_ep(BASE), ev("early_permanence_ended", D(2023, 10, 1), end_reason="broke_down"),
              ev("early_permanence_placement", D(2023, 10, 8), placement_type="concurrent", household="30")]
    state = rules.replay(events)
    assert (state.early_permanence, state.ep_household, state.ep_ended, state.ep_in_force) == (
        D(2023, 10, 8), "30", None, True)


def test_the_report_and_the_plan_are_dated_and_undone_with_the_match():
    events = [*BASE, ev("linked", D(2023, 10, 2)), ev("adoption_placement_report", D(2023, 10, 20)),
              ev("match_decision", D(2023, 11, 1)), ev("placement_plan", D(2023, 11, 20))]
    state = rules.replay(events)
    assert (state.apr_date, state.placement_plan_date) == (D(2023, 10, 20), D(2023, 11, 20))
    ended = rules.replay([*events, ev("link_ended", D(2023, 11, 25), reason="adopters withdrew")])
    assert (ended.apr_date, ended.placement_plan_date, ended.stage) == (None, None, Stage.PLACEMENT_ORDER)


# ---------------------------------------------------------------------------------------------
# Placement reviews: the timescales as the migration loads them (timescales 0004), worked out by hand

REVIEWS = [
    TimescaleFact("placement_review_first", "Hold the first adoption placement review", "placed_for_adoption",
                  ("placement_review",), 4, "weeks", "AAR 2005 reg 36(1)(a)"),
    TimescaleFact("placement_review_second", "Hold the second adoption placement review", "first_placement_review",
                  ("placement_review",), 3, "months", "AAR 2005 reg 36(1)(b)"),
    TimescaleFact("placement_review_later", "Hold the next adoption placement review", "later_placement_review",
                  ("placement_review",), 6, "months", "AAR 2005 reg 36(1)(c)"),
]
# Placed on 31 January 2024 (a leap year).
PLACED_31_JAN = [*MATCHED[:-1], ev("match_decision", D(2024, 1, 10)), ev("placed_for_adoption", D(2024, 1, 31))]


def _due(events):
    return [(a.key, a.start, a.due) for a in rules.due_actions(rules.replay(events), REVIEWS)]


def review(d):
    return ev("placement_review", d)


@pytest.mark.parametrize(
    ("reviews", "expected"),
    [
        # 4 weeks after 31/01/2024: 28 days on, 28/02/2024.
        ([], [("placement_review_first", D(2024, 1, 31), D(2024, 2, 28))]),
        # The first review on 20/02/2024: the second 3 months on, 20/05/2024.
        ([D(2024, 2, 20)], [("placement_review_second", D(2024, 2, 20), D(2024, 5, 20))]),
        # A first review late (on 31/03/2024): 3 months on is 30/06/2024, June having no 31st.
        ([D(2024, 3, 31)], [("placement_review_second", D(2024, 3, 31), D(2024, 6, 30))]),
        # The second on 10/05/2024: the third 6 months on, 10/11/2024; then 6 months after each.
        ([D(2024, 2, 20), D(2024, 5, 10)], [("placement_review_later", D(2024, 5, 10), D(2024, 11, 10))]),
        ([D(2024, 2, 20), D(2024, 5, 10), D(2024, 8, 31)],
         [("placement_review_later", D(2024, 8, 31), D(2025, 2, 28))]),
        ([D(2024, 2, 20), D(2024, 5, 10), D(2024, 8, 31), D(2025, 2, 1)],
         [("placement_review_later", D(2025, 2, 1), D(2025, 8, 1))]),
    ],
)
def test_placement_reviews_fall_due_in_a_chain(reviews, expected):
    assert _due([*PLACED_31_JAN, *(review(d) for d in reviews)]) == expected


def test_the_first_review_goes_overdue():
    (action,) = rules.due_actions(rules.replay(PLACED_31_JAN), REVIEWS)
    assert not action.overdue_on(D(2024, 2, 28)) and action.overdue_on(D(2024, 2, 29))
    assert action.days_left(D(2024, 3, 10)) == -11


def test_no_review_is_due_after_the_adoption_order_or_a_disruption():
    held = [*PLACED_31_JAN, review(D(2024, 2, 20))]
    assert _due([*held, ev("adoption_order", D(2024, 4, 2))]) == []
    disrupted = [*held, ev("disruption", D(2024, 4, 2), reason="ended", cause="relationship")]
    assert _due(disrupted) == []
    # A new placement starts the chain again: its first review 4 weeks after it (5/6/2024 + 28 days).
    again = [*disrupted, ev("match_decision", D(2024, 5, 1)), ev("placed_for_adoption", D(2024, 6, 5))]
    assert _due(again) == [("placement_review_first", D(2024, 6, 5), D(2024, 7, 3))]
    assert rules.replay(again).placement_reviews == ()


def test_a_review_before_the_placement_or_after_the_order_is_refused():
    refused = rules.check_new_event(MATCHED, review(D(2023, 11, 20)), today=TODAY)
    assert refused and "while the child is placed for adoption" in refused[0]
    adopted = [*PLACED, ev("adoption_order", D(2024, 6, 3))]
    assert rules.check_new_event(adopted, review(D(2024, 7, 1)), today=TODAY)


def test_other_timescales_still_work_beside_the_reviews():
    lsb = TimescaleFact("life_story_book", "Hand over the life story book", "adoption_order", ("life_story_book",),
                        10, "working_days")
    adopted = [*PLACED_31_JAN, ev("adoption_order", D(2024, 6, 7))]
    assert [(a.key, a.due) for a in rules.due_actions(rules.replay(adopted), [*REVIEWS, lsb])] == [
        ("life_story_book", D(2024, 6, 21))]


# ---------------------------------------------------------------------------------------------
# Disruption: a cause from the list (or not recorded, for an import) and a learning review prompt


def test_a_disruption_keeps_its_cause_and_prompts_a_learning_review():
    first = ev("disruption", D(2024, 3, 1), reason="The adopters' health.", cause="adopters_circumstances")
    state = rules.replay([*PLACED_31_JAN, first])
    assert state.stage is Stage.PLACEMENT_ORDER
    assert rules.learning_review_prompts(state) == [
        rules.Disruption(D(2024, 3, 1), "adopters_circumstances", "The adopters' health.")]
    again = [*PLACED_31_JAN, first, ev("match_decision", D(2024, 5, 1)), ev("placed_for_adoption", D(2024, 6, 5)),
             ev("disruption", D(2024, 9, 2), reason="Imported")]  # an imported one: no cause
    prompts = rules.learning_review_prompts(rules.replay(again))
    assert [(p.date, p.cause) for p in prompts] == [(D(2024, 9, 2), rules.DISRUPTION_NOT_RECORDED),
                                                    (D(2024, 3, 1), "adopters_circumstances")]
    assert prompts[0].cause_label.startswith("Not recorded")


def test_a_disruption_with_an_unknown_cause_or_no_reason_is_refused():
    bad = rules.check_new_event(PLACED, ev("disruption", LATER, reason="x", cause="weather"), today=TODAY)
    assert bad and bad[0].endswith("Choose why the placement disrupted.")
    no_reason = rules.check_new_event(PLACED, ev("disruption", LATER, cause="other"), today=TODAY)
    assert no_reason and no_reason[0].endswith("It needs a reason.")


def test_a_disruption_of_a_converted_placement_clears_the_early_permanence():
    events = _with_ep([*MATCHED, ev("placed_for_adoption", D(2023, 12, 1), **CARERS),
                       ev("disruption", D(2024, 2, 1), reason="x", cause="child_needs")])
    state = rules.replay(events)
    assert (state.early_permanence, state.ep_converted, state.ep_household) == (None, None, None)


# ---------------------------------------------------------------------------------------------
# Who records them: the LA's and the RAA's case roles, as for the early permanence placement and the placement


@pytest.mark.parametrize("kind", [Kind.EARLY_PERMANENCE_ENDED, Kind.APR, Kind.PLACEMENT_PLAN, Kind.PLACEMENT_REVIEW])
def test_who_may_record_the_new_kinds(kind):
    for role in (rules.LA_SOCIAL_WORKER, rules.LA_TEAM_MANAGER):
        assert rules.recording_refusal(role, rules.LA, kind, None) is None
    for role in (rules.RAA_FAMILY_FINDER, rules.RAA_TEAM_MANAGER):
        assert rules.recording_refusal(role, rules.RAA, kind, None) is None
    label = rules.KIND_LABELS[kind].lower()
    for role, side in ((rules.RAA_SUPPORT_WORKER, rules.RAA), (rules.DATA_OFFICER, rules.LA),
                       (rules.BOARD_MEMBER, rules.RAA), (rules.RAA_FAMILY_FINDER, rules.LA)):
        assert rules.recording_refusal(role, side, kind, None) == f"Your role cannot record “{label}”."


def test_the_kinds_offered_on_a_placed_child():
    offered = rules.kinds_recordable(rules.LA_SOCIAL_WORKER, rules.LA, None, rules.replay(PLACED))
    assert {Kind.PLACEMENT_REVIEW, Kind.PLACEMENT_PLAN, Kind.DISRUPTION} <= set(offered)
    assert Kind.APR not in offered and Kind.EARLY_PERMANENCE_ENDED not in offered
    with_ep = rules.replay(_with_ep(BASE))
    assert Kind.EARLY_PERMANENCE_ENDED in rules.kinds_recordable(rules.RAA_FAMILY_FINDER, rules.RAA, None, with_ep)
    assert Kind.EARLY_PERMANENCE_ENDED not in rules.kinds_recordable(rules.RAA_FAMILY_FINDER, rules.RAA, None,
                                                                     rules.replay(BASE))
