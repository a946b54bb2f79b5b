"""An adopted adult's request on the kernel: a hand-worked journey stage by stage, every refusal with its
reason, the chase dates in working days, the target wait in months, and the waiting list's order. No database."""

from datetime import date, timedelta

import pytest

from permanence.adopted_adults import rules
from permanence.adopted_adults.rules import Kind, Stage
from permanence.journeys import kernel
from permanence.organisations.vocabulary import (
    RAA_FAMILY_FINDER,
    RAA_HEAD_OF_SERVICE,
    RAA_SUPPORT_WORKER,
    RAA_TEAM_MANAGER,
)
from permanence.timescales.rules import TimescaleFact

D = date(2025, 3, 3)  # a Monday


def ev(kind, day, seq=0, **details):
    return rules.EventFact(kind=Kind(kind), date=D + timedelta(days=day), seq=seq, details=details)


INTERMEDIARY = [
    (ev("received", 0, type="intermediary"), Stage.RECEIVED),
    (ev("triaged", 2, priority="very_elderly", reason="Aged 91"), Stage.WAITING),
    (ev("records_requested", 3, agency="Northshire County Council"), Stage.WAITING),
    (ev("records_requested", 3, seq=1, agency="St Anselm's Society"), Stage.WAITING),
    (ev("records_received", 20, agency="northshire county council"), Stage.WAITING),
    (ev("first_interview", 30), Stage.IN_PROGRESS),
    (ev("counselling_session", 37), Stage.IN_PROGRESS),
    (ev("counselling_session", 44), Stage.IN_PROGRESS),
    (ev("relative_traced", 60, relative="Birth mother"), Stage.IN_PROGRESS),
    (ev("relative_approached", 70), Stage.IN_PROGRESS),
    (ev("relative_response", 80, response="agreed_contact"), Stage.IN_PROGRESS),
    (ev("closed", 90, outcome="contact_made"), Stage.CLOSED),
]


def test_an_intermediary_request_from_receipt_to_close():
    state = rules.RequestState()
    for event, stage in INTERMEDIARY:
        state = rules.apply(state, event)
        assert state.stage is stage, event.kind
    assert state.request_type == "intermediary" and state.received == D
    assert state.priority == "very_elderly" and state.priority_reason == "Aged 91" and state.priority_rank == 0
    assert [(r.agency, r.received) for r in state.agency_requests] == [
        ("Northshire County Council", D + timedelta(days=20)), ("St Anselm's Society", None)]
    assert state.first_interview == D + timedelta(days=30) and len(state.sessions) == 2
    assert state.relative_response == "agreed_contact" and state.outcome == "contact_made"
    assert state.closed == state.ended == D + timedelta(days=90) and state.stage_since == state.closed
    assert not state.open and not state.waiting
    assert rules.days_waiting(state, D + timedelta(days=400)) == 30  # the wait stops at the first interview
    assert rules.chases(state, []) == []  # nothing is chased on a closed request


def _refusal(events, new):
    try:
        rules.replay([*events, new])
    except kernel.TransitionRefused as refused:
        return refused.message
    return None


RECEIVED = [ev("received", 0, type="access_records")]
TRIAGED = [*RECEIVED, ev("triaged", 1, priority="standard")]
INTERVIEWED = [*TRIAGED, ev("first_interview", 5)]


@pytest.mark.parametrize(("events", "new", "says"), [
    ([], ev("triaged", 1, priority="standard"), "is triaged"),
    ([], ev("received", 0), "access to records or an intermediary service"),
    (RECEIVED, ev("received", 1, type="access_records"), "already been recorded"),
    (RECEIVED, ev("triaged", 1, priority="urgent"), "Choose the priority"),
    (RECEIVED, ev("triaged", 1), "It needs a priority"),
    (RECEIVED, ev("triaged", 1, priority="seriously_ill"), "Say why the request has priority"),
    (RECEIVED, ev("first_interview", 1), "follows triage"),
    (RECEIVED, ev("records_requested", 1, agency="X"), "once the request has been triaged"),
    (TRIAGED, ev("records_requested", 2), "It needs a agency"),
    (TRIAGED, ev("records_received", 2, agency="X"), "No records are awaited"),
    ([*TRIAGED, ev("records_requested", 2, agency="X")], ev("records_received", 3, agency="Y"),
     "requested from and not yet received: X."),
    (TRIAGED, ev("counselling_session", 3), "follow the first interview"),
    (INTERVIEWED, ev("first_interview", 6), "already been recorded"),
    (INTERVIEWED, ev("relative_traced", 6, relative="Birth mother"), "only on a request for an intermediary"),
    (RECEIVED, ev("closed", 3, outcome="records_shared"), "triaged, open request is closed"),
    (INTERVIEWED, ev("closed", 6, outcome="lost"), "Choose the outcome"),
    (INTERVIEWED, ev("withdrawn", 6), "It needs a withdrawal reason"),
    ([*INTERVIEWED, ev("closed", 6, outcome="records_shared")], ev("counselling_session", 7),
     "while the request is open"),
    ([*INTERVIEWED, ev("withdrawn", 6, withdrawal_reason="Moved abroad")], ev("withdrawn", 7,
                                                                                withdrawal_reason="Again"),
     "Only an open request can be withdrawn"),
])
def test_each_refusal_says_why(events, new, says):
    message = _refusal(events, new)
    assert message is not None and says in message


def test_the_intermediary_steps_follow_each_other():
    start = [ev("received", 0, type="intermediary"), ev("triaged", 1, priority="standard"),
             ev("first_interview", 5)]
    assert "once they have been traced" in _refusal(start, ev("relative_approached", 6))
    traced = [*start, ev("relative_traced", 6, relative="Brother")]
    assert "follows their approach" in _refusal(traced, ev("relative_response", 7, response="declined"))
    assert _refusal(traced, ev("relative_approached", 7)) is None


def test_a_request_may_be_triaged_again_and_withdrawn_before_triage():
    state = rules.replay([*TRIAGED, ev("triaged", 4, priority="seriously_ill", reason="Terminal illness")])
    assert state.priority == "seriously_ill" and state.triaged == D + timedelta(days=1) and state.stage is Stage.WAITING
    gone = rules.replay([*RECEIVED, ev("withdrawn", 2, withdrawal_reason="No longer wanted")])
    assert gone.stage is Stage.WITHDRAWN and gone.withdrawn == gone.ended == D + timedelta(days=2)


def test_records_received_answer_the_oldest_request_to_that_agency():
    state = rules.replay([*TRIAGED, ev("records_requested", 2, agency="  Court  Archive "),
                          ev("records_requested", 9, agency="Court Archive"),
                          ev("records_received", 12, agency="court archive")])
    assert [(r.requested, r.received) for r in state.agency_requests] == [
        (D + timedelta(days=2), D + timedelta(days=12)), (D + timedelta(days=9), None)]
    assert state.outstanding_agencies == ["Court Archive"]


def test_who_may_record_and_what_is_offered():
    state = rules.replay(TRIAGED)
    for role in (RAA_SUPPORT_WORKER, RAA_TEAM_MANAGER):
        assert rules.recording_refusal(role, Kind.TRIAGED) is None
        offered = rules.kinds_recordable(role, state)
        assert Kind.FIRST_INTERVIEW in offered and Kind.RECORDS_REQUESTED in offered
        assert Kind.RECEIVED not in offered and Kind.RECORDS_RECEIVED not in offered  # none awaited
        assert Kind.COUNSELLING_SESSION not in offered and Kind.RELATIVE_TRACED not in offered
    for role in (RAA_HEAD_OF_SERVICE, RAA_FAMILY_FINDER):
        assert "cannot record" in rules.recording_refusal(role, Kind.TRIAGED)
        assert rules.kinds_recordable(role, state) == []


# ---------------------------------------------------------------------------------------------
# Due dates


def test_a_records_request_is_chased_after_twenty_working_days_by_default():
    # Requested Thursday 17 April 2025: Good Friday, Easter Monday and 5 May are bank holidays, so the 20th
    # working day after it is Tuesday 20 May (a plain count of days would say 15 May).
    state = rules.replay([*TRIAGED, rules.EventFact(Kind.RECORDS_REQUESTED, date(2025, 4, 17), 1,
                                                    {"agency": "Court Archive"})])
    [chase] = rules.chases(state, [])
    assert chase.due == date(2025, 5, 20) and chase.agency == "Court Archive"
    assert not chase.overdue_on(date(2025, 5, 20)) and chase.overdue_on(date(2025, 5, 21))


def test_the_timescales_in_force_replace_the_defaults():
    chase = TimescaleFact(rules.CHASE_KEY, "Chase", "records_requested", ("records_received",), 5, "working_days")
    target = TimescaleFact(rules.INTERVIEW_KEY, "Interview", "received", ("first_interview",), 6, "months")
    state = rules.replay([*TRIAGED, ev("records_requested", 4, agency="X")])  # Friday 7 March
    assert [c.due for c in rules.chases(state, [chase])] == [date(2025, 3, 14)]
    assert rules.interview_due(state, [target]) == date(2025, 9, 3)
    assert rules.interview_due(state, []) == date(2025, 6, 3)  # 3 months by default


def test_the_wait_and_the_target():
    state = rules.replay(TRIAGED)
    assert rules.days_waiting(state, date(2025, 6, 3)) == 92
    assert not rules.waiting_over_target(state, [], date(2025, 6, 3))
    assert rules.waiting_over_target(state, [], date(2025, 6, 4))
    actions = rules.due_actions(rules.replay([*TRIAGED, ev("records_requested", 2, agency="X")]), [])
    assert [(a.key, a.due) for a in actions] == [(rules.CHASE_KEY, date(2025, 4, 2)),
                                                 (rules.INTERVIEW_KEY, date(2025, 6, 3))]
    interviewed = rules.replay(INTERVIEWED)
    assert rules.interview_due(interviewed, []) is None and rules.due_actions(interviewed, []) == []
    assert not rules.waiting_over_target(interviewed, [], date(2026, 1, 1))


def test_the_waiting_list_order_priority_then_untriaged_then_standard_then_longest_wait():
    def request(day, priority=None):
        events = [ev("received", day, type="access_records")]
        if priority:
            events.append(ev("triaged", day + 1, priority=priority, reason="Why"))
        return rules.replay(events)

    waiting = {"standard-old": request(0, "standard"), "ill-new": request(20, "seriously_ill"),
               "elderly-old": request(5, "very_elderly"), "untriaged": request(15), "standard-new": request(10,
                                                                                                       "standard")}
    ordered = sorted(waiting, key=lambda k: rules.waiting_order_key(waiting[k]))
    assert ordered == ["elderly-old", "ill-new", "untriaged", "standard-old", "standard-new"]
