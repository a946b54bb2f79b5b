"""The adopters' journey rules, with hand-worked dates."""

from datetime import date, timedelta

import pytest

from permanence.adopters import rules
from permanence.adopters.rules import Kind, Stage
from permanence.timescales.rules import TimescaleFact


def ev(kind, d, **details):
    return rules.EventFact(kind=Kind(kind), date=d, details=details)


ROI = [ev("roi_received", date(2025, 1, 6)), ev("roi_decision", date(2025, 1, 10), outcome="accepted")]
STAGE_1 = [*ROI, ev("stage_1_started", date(2025, 1, 13))]
STAGE_2 = [*STAGE_1, ev("stage_1_completed", date(2025, 3, 10)), ev("stage_2_started", date(2025, 3, 17))]
APPROVED = [*STAGE_2, ev("par_completed", date(2025, 6, 2)),
            ev("panel_recommendation", date(2025, 6, 20), recommendation="approve"),
            ev("adm_decision", date(2025, 6, 27), decision="approved")]


@pytest.mark.parametrize(
    ("events", "stage", "fast_track"),
    [
        ([], Stage.NEW, False),
        (ROI[:1], Stage.ROI, False),
        (ROI, Stage.REGISTERED, False),
        ([ROI[0], ev("roi_decision", date(2025, 1, 10), outcome="declined")], Stage.CLOSED, False),
        (STAGE_1, Stage.STAGE_1, False),
        (STAGE_2[:4], Stage.STAGE_1_COMPLETE, False),
        ([*STAGE_2[:4], ev("break_started", date(2025, 3, 11))], Stage.BREAK, False),
        (STAGE_2, Stage.STAGE_2, False),
        (APPROVED[:-2], Stage.AWAITING_PANEL, False),
        (APPROVED[:-1], Stage.AWAITING_DECISION, False),
        (APPROVED, Stage.APPROVED, False),
        ([*APPROVED[:-1], ev("adm_decision", date(2025, 6, 27), decision="not_approved")], Stage.CLOSED, False),
        ([*APPROVED[:-2], ev("panel_recommendation", date(2025, 6, 20), recommendation="deferred")],
         Stage.AWAITING_PANEL, False),
        ([*ROI, ev("stage_2_started", date(2025, 1, 20))], Stage.STAGE_2, True),  # fast track skips stage 1
        ([*STAGE_1, ev("closed", date(2025, 2, 1), reason="withdrew")], Stage.CLOSED, False),
    ],
)
def test_stage_is_derived(events, stage, fast_track):
    assert rules.replay(events, fast_track=fast_track).stage is stage


def test_fast_track_only_for_experienced_households():
    problems = rules.check_new_event(ROI, ev("stage_2_started", date(2025, 1, 20)), today=date(2026, 1, 1))
    assert problems and "fast-track" in problems[0]


@pytest.mark.parametrize(
    ("events", "new", "fragment"),
    [
        (STAGE_1, ev("check_received", date(2025, 2, 1), check="dbs"), "not been requested"),
        (STAGE_1, ev("check_requested", date(2025, 2, 1), check="horoscope"), "Choose which check"),
        (STAGE_1, ev("paused", date(2025, 2, 1)), "needs a reason"),
        (STAGE_1, ev("resumed", date(2025, 2, 1)), "not paused"),
        (STAGE_1, ev("adm_decision", date(2025, 2, 1), decision="approved"), "cannot be recorded"),
        (STAGE_1, ev("closed", date(2025, 2, 1), reason="bored"), "Choose a reason"),
        (STAGE_1, ev("stage_1_completed", date(2030, 2, 1)), "future"),
        (STAGE_2, ev("stage_1_started", date(2025, 1, 12)), "cannot be recorded"),
    ],
)
def test_refusals(events, new, fragment):
    problems = rules.check_new_event(events, new, today=date(2026, 1, 1))
    assert problems and fragment in problems[0], problems


ROI_RULE = TimescaleFact("roi", "Decide on the ROI", "roi_received", ("roi_decision",), 5, "working_days")
STAGE_1_RULE = TimescaleFact("s1", "Complete stage 1", "stage_1_started", ("stage_1_completed",), 2, "months")
STAGE_2_RULE = TimescaleFact("s2", "Decision", "stage_2_started", ("adm_decision",), 4, "months")


def test_roi_decision_due_in_five_working_days_over_easter():
    # ROI on Thursday 17 April 2025: Good Friday and Easter Monday are not working days.
    state = rules.replay([ev("roi_received", date(2025, 4, 17))])
    (due,) = rules.due_actions(state, [ROI_RULE], date(2025, 4, 17))
    assert due.due == date(2025, 4, 28)


def test_a_pause_moves_the_due_date_on_by_the_days_paused():
    events = [*STAGE_1, ev("paused", date(2025, 2, 1), reason="bereavement"), ev("resumed", date(2025, 2, 15))]
    state = rules.replay(events)
    (due,) = rules.due_actions(state, [STAGE_1_RULE], date(2025, 3, 1))
    assert due.paused_days == 14
    assert due.due == date(2025, 3, 27)  # 13 March + 14 days


def test_an_open_pause_keeps_moving_the_due_date():
    state = rules.replay([*STAGE_1, ev("paused", date(2025, 2, 1), reason="house move")])
    assert state.paused
    (due,) = rules.due_actions(state, [STAGE_1_RULE], date(2025, 2, 11))
    assert due.due == date(2025, 3, 23)  # 13 March + 10 days so far


def test_rag():
    state = rules.replay(STAGE_2)
    (due,) = rules.due_actions(state, [STAGE_2_RULE], date(2025, 4, 1))
    assert due.due == date(2025, 7, 17)
    assert due.rag(date(2025, 4, 1)) == "green"
    assert due.rag(date(2025, 6, 25)) == "amber"
    assert due.rag(date(2025, 7, 18)) == "red"


def test_nothing_due_once_approved_or_closed():
    assert rules.due_actions(rules.replay(APPROVED), [STAGE_2_RULE], date(2025, 8, 1)) == []
    closed = rules.replay([*STAGE_1, ev("closed", date(2025, 2, 1), reason="withdrew")])
    assert rules.due_actions(closed, [STAGE_1_RULE], date(2025, 3, 1)) == []
    assert closed.closed_at_stage is Stage.STAGE_1


def test_table_checks():
    rules.check_transition_table()


def test_a_paused_assessment_cannot_move_on_until_it_resumes():
    paused = [*STAGE_1, ev("paused", date(2025, 2, 1), reason="illness")]
    problems = rules.check_new_event(paused, ev("stage_1_completed", date(2025, 3, 1)), today=date(2026, 1, 1))
    assert problems and "resumed first" in problems[0]
    assert Kind.STAGE_1_COMPLETED not in rules.kinds_recordable("raa_assessing_social_worker", rules.replay(paused))
    resumed = [*paused, ev("resumed", date(2025, 2, 20)), ev("stage_1_completed", date(2025, 3, 1))]
    assert rules.replay(resumed).stage is Stage.STAGE_1_COMPLETE


def test_a_deferred_panel_does_not_start_the_decision_clock():
    panel_rule = TimescaleFact("adm", "Decision after panel", "panel_recommendation", ("adm_decision",), 7,
                               "working_days")
    deferred = rules.replay([*APPROVED[:-2], ev("panel_recommendation", date(2025, 6, 20), recommendation="deferred")])
    assert rules.due_actions(deferred, [panel_rule], date(2025, 7, 30)) == []


def test_a_declined_roi_has_a_reason_label():
    state = rules.replay([ROI[0], ev("roi_decision", date(2025, 1, 10), outcome="declined")])
    assert rules.CLOSE_REASON_LABELS[state.close_reason] == "Registration of interest declined"


@pytest.mark.parametrize(
    ("closing", "reason"),
    [
        (ev("roi_decision", date(2025, 1, 20), outcome="declined"), "roi_declined"),
        (ev("closed", date(2025, 1, 20), reason="withdrew"), "withdrew"),
    ],
)
def test_closing_while_paused_ends_the_pause(closing, reason):
    # Paused while the registration of interest waits for its decision; then closed, either way.
    events = [ROI[0], ev("paused", date(2025, 1, 8), reason="illness"), closing]
    state = rules.replay(events)
    assert state.stage is Stage.CLOSED and state.close_reason == reason
    assert not state.paused
    assert state.pauses == (rules.Pause(date(2025, 1, 8), date(2025, 1, 20), "illness"),)
    assert state.closed == date(2025, 1, 20) and state.closed_at_stage is Stage.ROI
    assert rules.due_actions(state, [ROI_RULE], date(2025, 2, 1)) == []
    # Nothing can pause or resume a closed household.
    assert rules.check_new_event(events, ev("resumed", date(2025, 1, 25)), today=date(2026, 1, 1))
    assert rules.check_new_event(events, ev("paused", date(2025, 1, 25), reason="x"), today=date(2026, 1, 1))


@pytest.mark.parametrize("events", [[], ROI[:1], ROI, STAGE_1, STAGE_2, APPROVED[:-1], APPROVED,
                                    [*STAGE_1, ev("paused", date(2025, 2, 1), reason="illness")],
                                    [*STAGE_1, ev("closed", date(2025, 2, 1), reason="withdrew")]])
@pytest.mark.parametrize("role", ["raa_assessing_social_worker", "panel_adviser", "agency_decision_maker",
                                  "raa_family_finder"])
def test_the_kinds_offered_are_the_kinds_the_journey_accepts(events, role):
    # Every kind offered can be recorded the next day (with its details); none offered twice when once.
    state = rules.replay(events)
    details = {"outcome": "accepted", "check": "dbs", "recommendation": "approve", "decision": "approved",
               "reason": "withdrew"}
    day = (events[-1].date if events else date(2025, 1, 1)) + timedelta(days=1)
    for kind in rules.kinds_recordable(role, state):
        new = ev(kind, day, **details)
        if kind is Kind.CHECK_RECEIVED:
            continue  # needs a check requested first: its details decide
        assert rules.check_new_event(events, new, today=date(2026, 1, 1)) == [], kind
