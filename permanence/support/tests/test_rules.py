"""The support case's journey, the responsible LA, the timescales and the waiting list's order: pure rules."""

from datetime import date

import pytest

from permanence.support import rules
from permanence.support.rules import EventFact, Kind, Stage

K = Kind


def ev(kind, day, **details):
    return EventFact(kind=kind, date=day, details=details)


WAITING = [ev(K.REFERRAL_RECEIVED, date(2025, 1, 6)), ev(K.DUTY_OUTCOME, date(2025, 1, 7), outcome="for_assessment"),
           ev(K.ASSESSMENT_REQUESTED, date(2025, 1, 8))]
FULL = [*WAITING, ev(K.ALLOCATED, date(2025, 2, 3), worker="7"), ev(K.INTERIM_SUPPORT, date(2025, 2, 4),
                                                                          offered="Therapeutic parenting course"),
        ev(K.ASSESSMENT_STARTED, date(2025, 2, 10)), ev(K.ASSESSMENT_COMPLETED, date(2025, 3, 20),
                                                         outcome="support_needed"),
        ev(K.SUPPORT_PLAN_AGREED, date(2025, 3, 27)),
        ev(K.CLOSED, date(2025, 9, 1), reason="support_completed", feedback="Very helpful")]


def test_a_case_from_referral_to_closure():
    state = rules.replay(FULL)
    assert state.stage is Stage.CLOSED
    assert (state.referred, state.requested, state.allocated, state.started, state.completed, state.plan_agreed,
            state.closed) == (date(2025, 1, 6), date(2025, 1, 8), date(2025, 2, 3), date(2025, 2, 10),
                              date(2025, 3, 20), date(2025, 3, 27), date(2025, 9, 1))
    assert state.worker == "7" and state.feedback == "Very helpful" and state.closed_reason == "support_completed"
    assert state.interim_offers == ((date(2025, 2, 4), "Therapeutic parenting course"),)
    assert [rules.replay(FULL[:n]).stage for n in range(1, 5)] == [Stage.REFERRED, Stage.FOR_ASSESSMENT,
                                                                   Stage.REQUESTED, Stage.ALLOCATED]


@pytest.mark.parametrize("outcome", ["advice", "signposted"])
def test_advice_or_signposting_closes_the_case_at_duty(outcome):
    state = rules.replay([WAITING[0], ev(K.DUTY_OUTCOME, date(2025, 1, 7), outcome=outcome, where="Family Line")])
    assert state.stage is Stage.CLOSED and state.closed == date(2025, 1, 7) and state.closed_reason == outcome


def test_signposting_needs_where():
    problems = rules.check_new_event([WAITING[0]], ev(K.DUTY_OUTCOME, date(2025, 1, 7), outcome="signposted"),
                                     today=date(2025, 2, 1))
    assert problems and "signposted to" in problems[0]


def test_every_kind_from_every_stage_is_recorded_or_refused_with_a_reason():
    details = {K.DUTY_OUTCOME: {"outcome": "for_assessment"}, K.ALLOCATED: {"worker": "3"},
               K.INTERIM_SUPPORT: {"offered": "A group"}, K.ASSESSMENT_COMPLETED: {"outcome": "support_needed"},
               K.NOTE: {"summary": "Rang"}, K.CLOSED: {"reason": "other"}}
    prefixes = {Stage.NEW: [], Stage.REFERRED: FULL[:1], Stage.FOR_ASSESSMENT: FULL[:2], Stage.REQUESTED: FULL[:3],
                Stage.ALLOCATED: FULL[:4], Stage.STARTED: FULL[:6], Stage.COMPLETED: FULL[:7],
                Stage.RECEIVING_SUPPORT: FULL[:8], Stage.CLOSED: FULL}
    for stage, events in prefixes.items():
        state = rules.replay(events)
        assert state.stage is stage
        for kind in Kind:
            new = ev(kind, date(2025, 9, 1), **details.get(kind, {}))
            allowed = stage in rules.TRANSITIONS[kind].moves and not (rules.TRANSITIONS[kind].once and kind in state.seen)
            if allowed:
                rules.apply(state, new)
            else:
                with pytest.raises(rules.TransitionRefused) as refused:
                    rules.apply(state, new)
                assert refused.value.message


def test_interim_support_only_while_waiting():
    allowed = {s for s, _ in rules.TRANSITIONS[K.INTERIM_SUPPORT].moves.items()}
    assert allowed == {Stage.FOR_ASSESSMENT, Stage.REQUESTED, Stage.ALLOCATED}


def test_only_the_support_team_records():
    assert rules.recording_refusal("raa_support_worker", K.ALLOCATED) is None
    assert rules.recording_refusal("raa_team_manager", K.CLOSED) is None
    for role in ("raa_head_of_service", "raa_family_finder", "la_social_worker"):
        assert rules.recording_refusal(role, K.NOTE)


# The responsible LA: the placing LA to the day before the Nth anniversary of the order, then the family's LA.

ORDER = date(2022, 5, 16)


@pytest.mark.parametrize(("on", "expected"), [
    (date(2022, 5, 16), "placing"), (date(2025, 5, 15), "placing"), (date(2025, 5, 16), "family"),
    (date(2030, 1, 1), "family")])
def test_responsible_la_boundary_days(on, expected):
    assert rules.responsible_la("placing", "family", ORDER, on) == expected


def test_responsible_la_configurable_years_and_leap_day():
    assert rules.responsible_la("placing", "family", ORDER, date(2027, 5, 15), years=5) == "placing"
    assert rules.responsible_la("placing", "family", ORDER, date(2027, 5, 16), years=5) == "family"
    assert rules.placing_la_ends(date(2024, 2, 29)) == date(2027, 2, 28)
    assert rules.responsible_la("placing", "family", date(2024, 2, 29), date(2027, 2, 27)) == "placing"
    assert rules.responsible_la("placing", "family", date(2024, 2, 29), date(2027, 2, 28)) == "family"


def test_responsible_la_when_facts_are_missing():
    assert rules.responsible_la("placing", "family", None, date(2040, 1, 1)) == "placing"
    assert rules.responsible_la(None, "family", ORDER, date(2023, 1, 1)) == "family"
    assert rules.responsible_la("placing", None, ORDER, date(2030, 1, 1)) == "placing"


# Timescales and what is due

def test_due_dates_use_working_days_and_weeks():
    referred = rules.replay(WAITING[:1])
    duty = rules.due_actions(referred, [])
    # Monday 6 January 2025 + 5 working days = Monday 13 January
    assert [(a.key, a.due) for a in duty] == [(rules.DUTY_KEY, date(2025, 1, 13))]
    waiting = rules.replay(WAITING)
    assert [(a.key, a.due) for a in rules.due_actions(waiting, [])] == [(rules.START_KEY, date(2025, 2, 19))]
    started = rules.replay(FULL[:6])
    # started Monday 10 February 2025 + 40 working days (no bank holiday before Good Friday 18 April) = 7 April
    assert [(a.key, a.due) for a in rules.due_actions(started, [])] == [(rules.COMPLETE_KEY, date(2025, 4, 7))]


def test_completion_over_easter_counts_bank_holidays():
    events = [*FULL[:5], ev(K.ASSESSMENT_STARTED, date(2025, 3, 17))]
    # 17 March + 40 working days = 12 May, moved on by Good Friday (18 April), Easter Monday (21 April) and the
    # early May bank holiday (5 May): Thursday 15 May 2025
    assert rules.due_actions(rules.replay(events), [])[0].due == date(2025, 5, 15)


def test_configured_timescale_replaces_the_default():
    custom = rules.TimescaleFact(key=rules.START_KEY, label="Start", start_event="assessment_requested",
                                 end_events=("assessment_started",), amount=2, unit="weeks")
    assert rules.due_actions(rules.replay(WAITING), [custom])[0].due == date(2025, 1, 22)


def test_completed_within_timescale():
    assert rules.completed_within(rules.replay(FULL[:7]), []) is True
    late = [*FULL[:6], ev(K.ASSESSMENT_COMPLETED, date(2025, 4, 8), outcome="support_needed")]
    assert rules.completed_within(rules.replay(late), []) is False
    on_the_day = [*FULL[:6], ev(K.ASSESSMENT_COMPLETED, date(2025, 4, 7), outcome="support_needed")]
    assert rules.completed_within(rules.replay(on_the_day), []) is True
    assert rules.completed_within(rules.replay(WAITING), []) is None


def test_nothing_due_once_closed():
    assert rules.due_actions(rules.replay(FULL), []) == []


def test_long_wait_at_sixteen_weeks():
    requested = date(2025, 1, 8)
    assert not rules.long_wait(requested, date(2025, 4, 29))  # 111 days
    assert rules.long_wait(requested, date(2025, 4, 30))  # 112 days = 16 weeks
    assert rules.days_waiting(requested, date(2025, 4, 30)) == 112


def test_waiting_order_urgent_first_then_longest():
    rows = [("standard", date(2025, 1, 1), 1), ("urgent", date(2025, 3, 1), 2), ("standard", date(2024, 12, 1), 3),
            ("urgent", date(2025, 2, 1), 4)]
    assert [r[2] for r in sorted(rows, key=lambda r: rules.waiting_order(*r))] == [4, 2, 3, 1]
