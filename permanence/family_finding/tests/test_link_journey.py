"""The link's journey on the kernel: a hand-worked table of events and stages, every refusal with its message,
who may record what, going stale, and a property test that nothing follows the end."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from permanence.family_finding import rules
from permanence.family_finding.rules import Kind, Stage
from permanence.journeys import kernel
from permanence.organisations.vocabulary import (
    ADM,
    LA,
    LA_SOCIAL_WORKER,
    PANEL_ADVISER,
    RAA,
    RAA_ASSESSING_SW,
    RAA_FAMILY_FINDER,
    PolicyFact,
)
from permanence.testing import examples
from permanence.timescales.rules import TimescaleFact

D = date(2025, 3, 3)


def ev(kind, day, seq=0, **details):
    return rules.EventFact(kind=Kind(kind), date=D + timedelta(days=day), seq=seq, details=details)


TO_PLACED = [
    (ev("shortlisted", 0), Stage.SHORTLISTED),
    (ev("contact", 2), Stage.CONTACT),
    (ev("contact", 4), Stage.CONTACT),
    (ev("visit", 10), Stage.VISIT),
    (ev("interest", 12, by="adopters"), Stage.INTEREST),
    (ev("interest", 13, by="agency"), Stage.INTEREST),
    (ev("link_agreed", 20), Stage.LINK_AGREED),
    (ev("panel_booked", 21, panel_date="2025-04-17"), Stage.PANEL_BOOKED),
    (ev("panel_recommendation", 45, recommendation="match"), Stage.PANEL_RECOMMENDED),
    (ev("match_decision", 50, decision="agreed"), Stage.MATCHED),
    (ev("introductions", 55), Stage.INTRODUCTIONS),
    (ev("note", 56, summary="Second week of introductions"), Stage.INTRODUCTIONS),
    (ev("placed", 65), Stage.PLACED),
]


def test_a_link_from_shortlist_to_placement_stage_by_stage():
    state = rules.LinkState()
    for event, stage in TO_PLACED:
        state = rules.apply(state, event)
        assert state.stage is stage, event.kind
    assert state.shortlisted == D and state.contacted == D + timedelta(days=2)
    assert state.visits == (D + timedelta(days=10),)
    assert state.interest == D + timedelta(days=12) and state.interest_by == {"adopters", "agency"}
    assert state.agreed == D + timedelta(days=20) and state.panel_booked == date(2025, 4, 17)
    assert state.recommendation == "match" and state.matched == D + timedelta(days=50)
    assert state.placed == D + timedelta(days=65) and state.last_activity == state.placed
    assert state.stage_since == state.placed and not state.open and state.was_matched


def test_replay_orders_same_day_events_by_the_journeys_order():
    same_day = [ev("contact", 0, seq=2), ev("shortlisted", 0, seq=9)]
    assert rules.replay(same_day).stage is Stage.CONTACT


@pytest.mark.parametrize("at", range(1, len(TO_PLACED) - 1))
def test_a_link_can_end_at_any_open_stage_with_a_reason(at):
    events = [e for e, _ in TO_PLACED[:at]]
    state = rules.replay(events)
    assert state.open
    ended = rules.apply(state, ev("ended", 70, reason="adopters_declined", why="travel distance"))
    assert ended.stage is Stage.ENDED and ended.ended == D + timedelta(days=70)
    assert ended.ended_reason == "adopters_declined" and ended.ended_at_stage is state.stage
    assert ended.was_agreed == (state.stage in rules.AGREED_STAGES)


REFUSALS = [
    ([], ev("contact", 1), "Contact with the household's worker is logged on an open link."),
    ([ev("shortlisted", 0)], ev("shortlisted", 1), "It has already been recorded."),
    ([ev("shortlisted", 0)], ev("visit", 1), "A visit to the family follows contact with the household's worker."),
    ([ev("shortlisted", 0)], ev("interest", 1, by="adopters"), "An expression of interest follows contact"),
    ([ev("shortlisted", 0), ev("contact", 1)], ev("interest", 2), "It needs a by."),
    ([ev("shortlisted", 0), ev("contact", 1)], ev("interest", 2, by="neighbours"), "Say who expressed interest"),
    ([ev("shortlisted", 0), ev("contact", 1)], ev("link_agreed", 2), "A link is agreed after an expression"),
    ([e for e, _ in TO_PLACED[:5]], ev("panel_booked", 20), "A matching panel is booked once the link is agreed."),
    ([e for e, _ in TO_PLACED[:7]], ev("panel_booked", 21), "It needs a panel date."),
    ([e for e, _ in TO_PLACED[:7]], ev("panel_recommendation", 22, recommendation="match"),
     "The matching panel makes its recommendation once it is booked."),
    ([e for e, _ in TO_PLACED[:8]], ev("panel_recommendation", 45, recommendation="maybe"),
     "The recommendation must be to match, not to match, or deferred."),
    ([e for e, _ in TO_PLACED[:8]], ev("match_decision", 45, decision="agreed"),
     "The match decision follows the matching panel's recommendation."),
    ([e for e, _ in TO_PLACED[:9]], ev("match_decision", 50, decision="perhaps"),
     "The decision must be match agreed or not agreed."),
    ([e for e, _ in TO_PLACED[:9]], ev("introductions", 50), "Introductions start after the match decision"),
    ([e for e, _ in TO_PLACED[:9]], ev("placed", 50), "A placement follows the match decision."),
    ([e for e, _ in TO_PLACED[:3]], ev("note", 5), "It needs a summary."),
    ([e for e, _ in TO_PLACED[:3]], ev("ended", 5), "It needs a reason."),
    ([e for e, _ in TO_PLACED[:3]], ev("ended", 5, reason="bored"), "Choose why the link ended."),
    ([e for e, _ in TO_PLACED[:3]], ev("ended", 5, reason="match_not_agreed"), "Choose why the link ended."),
    ([e for e, _ in TO_PLACED], ev("ended", 70, reason="plan_changed"), "Only an open link can end"),
    ([e for e, _ in TO_PLACED], ev("contact", 70), "Contact with the household's worker is logged on an open"),
    ([ev("shortlisted", 0), ev("ended", 1, reason="agency_declined")], ev("contact", 2), "logged on an open link"),
]


@pytest.mark.parametrize(("events", "new", "message"), REFUSALS)
def test_refusals_say_why(events, new, message):
    state = rules.replay(events)
    with pytest.raises(rules.TransitionRefused) as refused:
        rules.apply(state, new)
    assert message in refused.value.message
    assert f"the link's stage was “{rules.STAGE_LABELS[state.stage].lower()}”" in refused.value.message


def test_a_deferred_panel_goes_back_to_booking_and_a_refused_match_ends_the_link():
    events = [e for e, _ in TO_PLACED[:8]]
    deferred = rules.replay([*events, ev("panel_recommendation", 45, recommendation="deferred")])
    assert deferred.stage is Stage.LINK_AGREED and deferred.panel_booked is None
    rebooked = rules.replay([*events, ev("panel_recommendation", 45, recommendation="deferred"),
                             ev("panel_booked", 46, panel_date="2025-05-15"),
                             ev("panel_recommendation", 73, recommendation="not_match"),
                             ev("match_decision", 75, decision="not_agreed")])
    assert rebooked.stage is Stage.ENDED and rebooked.ended_reason == "match_not_agreed"
    assert rebooked.ended_at_stage is Stage.PANEL_RECOMMENDED and rebooked.was_agreed
    assert rebooked.ended == D + timedelta(days=75)


def test_check_new_event_refuses_a_backdated_step_that_breaks_a_later_one():
    events = [e for e, _ in TO_PLACED[:4]]
    problems = rules.check_new_event(events, ev("ended", 3, reason="adopters_declined"), today=D + timedelta(days=30))
    assert problems and problems[0].startswith("Recording this would make a later event impossible")
    assert rules.check_new_event(events, ev("contact", 40), today=D + timedelta(days=30)) == [
        "The date cannot be in the future (today is 02/04/2025)."]


# ---------------------------------------------------------------------------------------------
# Who may record what


def test_the_match_decision_is_the_las_adm_unless_the_policy_delegates_it():
    la_keeps = PolicyFact(effective_from=date(2020, 1, 1))
    delegated = PolicyFact(effective_from=date(2020, 1, 1), match_delegated=True)
    assert rules.recording_refusal(ADM, LA, Kind.MATCH_DECISION, la_keeps) is None
    assert "belongs to the LA's agency decision maker" in rules.recording_refusal(ADM, RAA, Kind.MATCH_DECISION,
                                                                                 la_keeps)
    assert rules.recording_refusal(ADM, RAA, Kind.MATCH_DECISION, delegated) is None
    assert "belongs to the RAA's" in rules.recording_refusal(ADM, LA, Kind.MATCH_DECISION, delegated)
    assert rules.recording_refusal(ADM, LA, Kind.MATCH_DECISION, None) is None  # no policy: the LA's
    assert "Your role cannot record" in rules.recording_refusal(RAA_FAMILY_FINDER, RAA, Kind.MATCH_DECISION,
                                                                delegated)


@pytest.mark.parametrize(("role", "side", "kind", "allowed"), [
    (RAA_FAMILY_FINDER, RAA, Kind.SHORTLISTED, True),
    (RAA_ASSESSING_SW, RAA, Kind.SHORTLISTED, False),
    (LA_SOCIAL_WORKER, LA, Kind.SHORTLISTED, False),
    (RAA_ASSESSING_SW, RAA, Kind.CONTACT, True),
    (LA_SOCIAL_WORKER, LA, Kind.VISIT, True),
    (RAA_ASSESSING_SW, RAA, Kind.INTEREST, True),
    (RAA_ASSESSING_SW, RAA, Kind.LINK_AGREED, False),
    (LA_SOCIAL_WORKER, LA, Kind.LINK_AGREED, True),
    (PANEL_ADVISER, RAA, Kind.PANEL_BOOKED, True),
    (RAA_FAMILY_FINDER, RAA, Kind.PANEL_RECOMMENDATION, False),
    (PANEL_ADVISER, RAA, Kind.PANEL_RECOMMENDATION, True),
    (RAA_ASSESSING_SW, RAA, Kind.ENDED, True),
    (LA_SOCIAL_WORKER, LA, Kind.ENDED, True),
    (PANEL_ADVISER, RAA, Kind.ENDED, False),
    (LA_SOCIAL_WORKER, RAA, Kind.CONTACT, False),  # a role on the wrong side
])
def test_roles_and_sides(role, side, kind, allowed):
    assert (rules.recording_refusal(role, side, kind, None) is None) is allowed


def test_kinds_recordable_reads_the_same_table():
    state = rules.replay([e for e, _ in TO_PLACED[:5]])
    assert rules.kinds_recordable(RAA_FAMILY_FINDER, RAA, None, state) == [
        Kind.CONTACT, Kind.VISIT, Kind.INTEREST, Kind.LINK_AGREED, Kind.NOTE, Kind.ENDED]
    assert rules.kinds_recordable(RAA_ASSESSING_SW, RAA, None, state) == [
        Kind.CONTACT, Kind.VISIT, Kind.INTEREST, Kind.NOTE, Kind.ENDED]
    assert rules.kinds_recordable(RAA_FAMILY_FINDER, RAA, None, rules.LinkState()) == [Kind.SHORTLISTED]
    assert rules.kinds_recordable(RAA_FAMILY_FINDER, RAA, None, rules.replay([e for e, _ in TO_PLACED])) == []


# ---------------------------------------------------------------------------------------------
# Stale


def test_an_open_link_goes_stale_after_the_timescale_with_no_activity():
    state = rules.replay([e for e, _ in TO_PLACED[:4]])  # last activity: the visit on day 10
    last = D + timedelta(days=10)
    assert not rules.is_stale(state, [], last + timedelta(days=28))
    assert rules.is_stale(state, [], last + timedelta(days=29))  # the default: 28 days
    fortnight = TimescaleFact(key=rules.STALE_KEY, label="Activity", start_event=rules.ACTIVITY,
                              end_events=("placed", "ended"), amount=2, unit="weeks")
    assert rules.is_stale(state, [fortnight], last + timedelta(days=15))
    assert not rules.is_stale(state, [fortnight], last + timedelta(days=14))
    assert rules.stale_action(state, [fortnight]).due == last + timedelta(days=14)


def test_placed_and_ended_links_never_go_stale():
    placed = rules.replay([e for e, _ in TO_PLACED])
    ended = rules.replay([ev("shortlisted", 0), ev("ended", 1, reason="agency_declined")])
    for state in (placed, ended):
        assert not rules.is_stale(state, [], D + timedelta(days=1000))
        assert rules.due_actions(state, []) == []


# ---------------------------------------------------------------------------------------------
# Property: replaying any generated sequence never leaves a link open after it ended


DETAILS = {
    Kind.INTEREST: st.fixed_dictionaries({"by": st.sampled_from(sorted(rules.INTEREST_BY))}),
    Kind.PANEL_BOOKED: st.just({"panel_date": "2025-06-01"}),
    Kind.PANEL_RECOMMENDATION: st.fixed_dictionaries(
        {"recommendation": st.sampled_from(sorted(rules.RECOMMENDATIONS))}),
    Kind.MATCH_DECISION: st.fixed_dictionaries({"decision": st.sampled_from(sorted(rules.DECISIONS))}),
    Kind.NOTE: st.just({"summary": "Phoned"}),
    Kind.ENDED: st.fixed_dictionaries({"reason": st.sampled_from(sorted(rules.END_REASONS))}),
}


@st.composite
def event_sequences(draw):
    n = draw(st.integers(min_value=1, max_value=25))
    out = []
    for i in range(n):
        kind = draw(st.sampled_from(list(Kind)))
        details = draw(DETAILS.get(kind, st.just({})))
        out.append(rules.EventFact(kind, D + timedelta(days=draw(st.integers(0, 200))), seq=i, details=details))
    return out


@settings(max_examples=examples(300), deadline=None)
@given(event_sequences())
def test_nothing_reopens_a_link_after_it_ended(events):
    """Apply what the journey accepts, skipping what it refuses: once ended, the link stays ended, every later
    event is refused, and the end keeps its date and reason."""
    state = rules.LinkState()
    ended_with = None
    for event in kernel.sort_events(events):
        try:
            state = rules.apply(state, event)
        except rules.TransitionRefused:
            assert ended_with is None or state.stage is Stage.ENDED
            continue
        if ended_with is not None:
            pytest.fail(f"{event.kind} was accepted after the link ended")
        if state.stage is Stage.ENDED:
            assert state.ended == event.date and state.ended_reason in rules.END_REASON_LABELS
            ended_with = (state.ended, state.ended_reason)
        assert state.open == (state.stage in rules.OPEN_STAGES)
    if ended_with is not None:
        assert state.stage is Stage.ENDED and (state.ended, state.ended_reason) == ended_with
        assert not state.open and rules.kinds_recordable(RAA_FAMILY_FINDER, RAA, None, state) == []
