"""The journey kernel on a small journey of its own (a library loan), hand-worked; and that it needs no Django."""

import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import pytest

from permanence.journeys import kernel
from permanence.journeys.kernel import KEEP, Choice, Condition, EventFact, Recorder, Transition
from permanence.timescales.rules import TimescaleFact


class Stage(StrEnum):
    NEW = "new"
    ON_LOAN = "on_loan"
    OVERDUE = "overdue"
    RETURNED = "returned"
    LOST = "lost"


class Kind(StrEnum):
    LENT = "lent"
    RENEWED = "renewed"
    REMINDED = "reminded"
    RETURNED = "returned"
    LOST = "lost"
    FOUND = "found"


BACK = "back"  # a special target: on loan again, or returned if it had been returned before it was lost


@dataclass(frozen=True)
class Loan:
    stage: Stage = Stage.NEW
    lent: date | None = None
    returned: date | None = None
    renewals: int = 0
    closed: date | None = None
    last: date | None = None
    seen: frozenset = frozenset()


CLERK = frozenset({"clerk"})
TABLE = kernel.table([
    Transition(Kind.LENT, {Stage.NEW: Stage.ON_LOAN}, Recorder(la=CLERK), "A book is lent once.", once=True,
               sets=kernel.dated("lent")),
    Transition(Kind.RENEWED, {Stage.ON_LOAN: KEEP}, Recorder(la=CLERK, raa=frozenset({"reader"})),
               "Only a book on loan can be renewed.", needs=("renewable",),
               sets=lambda s, e: {"renewals": s.renewals + 1}),
    Transition(Kind.REMINDED, {Stage.ON_LOAN: Stage.OVERDUE}, Recorder(la=CLERK), "Only a book on loan.",
               details=("channel",), accepts=(Choice("channel", {"post", "email"}, "Post or email."),)),
    Transition(Kind.RETURNED, kernel.moves((Stage.ON_LOAN, Stage.OVERDUE), Stage.RETURNED), Recorder(la=CLERK),
               "Only a book on loan can come back.", sets=kernel.dated("returned")),
    Transition(Kind.LOST, kernel.moves((Stage.ON_LOAN, Stage.OVERDUE), Stage.LOST), Recorder(la=CLERK),
               "Only a book on loan can be lost."),
    Transition(Kind.FOUND, {Stage.LOST: BACK}, Recorder(la=CLERK), "Only a lost book can be found."),
])
LOANS = kernel.Journey(
    subject="loan", kinds=Kind, stages=Stage, transitions=TABLE, state=Loan,
    kind_labels={k: k.value.capitalize() for k in Kind}, stage_labels={s: s.value.replace("_", " ") for s in Stage},
    targets={BACK: lambda s: Stage.ON_LOAN},
    conditions={"renewable": Condition(lambda s, e: s.renewals < 2, lambda s: f"Renewed {s.renewals} times.")},
    on_enter={Stage.RETURNED: lambda s, e: {"closed": e.date}, Stage.LOST: lambda s, e: {"closed": e.date}},
    on_every_event=lambda s, e, stage: {"last": e.date},
)


def ev(kind, d, seq=0, **details):
    return EventFact(Kind(kind), d, seq, details)


def test_the_table_checks():
    kernel.check_table(LOANS)
    broken = {**TABLE, Kind.FOUND: Transition(Kind.FOUND, {Stage.LOST: "nowhere"}, Recorder(la=CLERK), "")}
    with pytest.raises(ImportError, match="unknown to-stage"):
        kernel.check_table(LOANS, broken)
    with pytest.raises(ImportError, match="no row for"):
        kernel.check_table(LOANS, {k: t for k, t in TABLE.items() if k is not Kind.FOUND})
    nobody = {**TABLE, Kind.FOUND: Transition(Kind.FOUND, {Stage.LOST: BACK}, Recorder(), "")}
    with pytest.raises(ImportError, match="nobody may record it"):
        kernel.check_table(LOANS, nobody)
    unknown = {**TABLE, Kind.FOUND: Transition(Kind.FOUND, {Stage.LOST: BACK}, Recorder(la=CLERK), "", needs=("x",))}
    with pytest.raises(ImportError, match="unknown condition"):
        kernel.check_table(LOANS, unknown)
    unreached = {**TABLE, Kind.LOST: Transition(Kind.LOST, {Stage.ON_LOAN: KEEP}, Recorder(la=CLERK), "")}
    with pytest.raises(ImportError, match="stages never reached: .*'lost'"):
        kernel.check_table(LOANS, unreached)


def test_replay_applies_effects_targets_and_stage_effects():
    events = [ev("lent", date(2025, 1, 6)), ev("renewed", date(2025, 1, 20)), ev("lost", date(2025, 2, 1)),
              ev("found", date(2025, 2, 3))]
    state = kernel.replay(LOANS, events)
    assert state.stage is Stage.ON_LOAN  # BACK
    assert (state.lent, state.renewals, state.closed, state.last) == (date(2025, 1, 6), 1, date(2025, 2, 1),
                                                                       date(2025, 2, 3))
    assert state.seen == {Kind.LENT, Kind.RENEWED, Kind.LOST, Kind.FOUND}
    assert kernel.replay(LOANS, events, until=date(2025, 1, 31)).stage is Stage.ON_LOAN
    assert kernel.replay(LOANS, events, until=date(2025, 2, 2)).stage is Stage.LOST


def test_same_day_events_replay_in_the_journeys_order_then_by_id():
    # Returned and lent on one day, recorded in the wrong order: lent comes first in Kind.
    assert kernel.replay(LOANS, [ev("returned", date(2025, 1, 6)), ev("lent", date(2025, 1, 6))]).stage is (
        Stage.RETURNED)
    two = [ev("renewed", date(2025, 1, 7), seq=9), ev("renewed", date(2025, 1, 7), seq=3)]
    assert [e.seq for e in kernel.sort_events(two)] == [3, 9]


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (ev("lent", date(2025, 1, 8)), "Lent on 08/01/2025 cannot be recorded: on that date the loan's stage was "
                                       "“on loan”. It has already been recorded. A book is lent once."),
        (ev("found", date(2025, 1, 8)), "Found on 08/01/2025 cannot be recorded: on that date the loan's stage "
                                        "was “on loan”. Only a lost book can be found."),
        (ev("reminded", date(2025, 1, 8)), "Reminded on 08/01/2025 cannot be recorded: on that date the loan's "
                                           "stage was “on loan”. It needs a channel."),
        (ev("reminded", date(2025, 1, 8), channel="pigeon"), "Reminded on 08/01/2025 cannot be recorded: on that "
                                                             "date the loan's stage was “on loan”. Post or email."),
        (ev("renewed", date(2025, 1, 9)), "Renewed on 09/01/2025 cannot be recorded: on that date the loan's stage "
                                          "was “on loan”. Renewed 2 times."),
    ],
)
def test_refusals_say_why_in_the_order_once_stage_details_values_conditions(new, message):
    events = [ev("lent", date(2025, 1, 6)), ev("renewed", date(2025, 1, 7)), ev("renewed", date(2025, 1, 8))]
    assert kernel.check_new_event(LOANS, events, new, today=date(2026, 1, 1)) == [message]
    with pytest.raises(kernel.TransitionRefused) as refused:
        kernel.replay(LOANS, [*events, new])
    assert refused.value.event is new and refused.value.message == message


def test_check_new_event_dates_and_later_events():
    lent = [ev("lent", date(2025, 1, 6)), ev("returned", date(2025, 2, 1))]
    assert kernel.check_new_event(LOANS, lent, ev("renewed", date(2027, 1, 1)), today=date(2026, 1, 1)) == [
        "The date cannot be in the future (today is 01/01/2026)."]
    assert kernel.check_new_event(LOANS, [], ev("lent", date(2020, 1, 1)), today=date(2026, 1, 1),
                                  born=date(2021, 1, 1)) == [
        "The date cannot be before the loan's date of birth (01/01/2021)."]
    # Back-dated: lost before the return makes the return impossible.
    (problem,) = kernel.check_new_event(LOANS, lent, ev("lost", date(2025, 1, 20)), today=date(2026, 1, 1))
    assert problem.startswith("Recording this would make a later event impossible: Returned on 01/02/2025")
    # The same kind on the same day is the new event's own refusal (whichever sorts first).
    twice = [ev("lent", date(2025, 1, 6), seq=5)]
    (own,) = kernel.check_new_event(LOANS, twice, ev("lent", date(2025, 1, 6), seq=1), today=date(2026, 1, 1))
    assert own.startswith("Lent on 06/01/2025 cannot be recorded")
    assert kernel.check_new_event(LOANS, lent[:1], ev("returned", date(2025, 2, 1)), today=date(2026, 1, 1)) == []


def test_who_may_record_and_what_is_offered():
    assert kernel.role_refusal(LOANS, "reader", Kind.RENEWED) is None
    assert kernel.role_refusal(LOANS, "reader", Kind.RENEWED, side="la") == "Your role cannot record “renewed”."
    assert kernel.role_refusal(LOANS, "reader", Kind.RENEWED, side="raa") is None
    on_loan = kernel.replay(LOANS, [ev("lent", date(2025, 1, 6))])
    assert [k for k in Kind if kernel.recordable(LOANS, on_loan, k)] == [Kind.RENEWED, Kind.REMINDED, Kind.RETURNED,
                                                                          Kind.LOST]
    renewed_twice = kernel.replay(LOANS, [ev("lent", date(2025, 1, 6)), ev("renewed", date(2025, 1, 7)),
                                          ev("renewed", date(2025, 1, 8))])
    assert not kernel.recordable(LOANS, renewed_twice, Kind.RENEWED)  # the condition, as apply says
    assert not kernel.recordable(LOANS, renewed_twice, Kind.LENT)  # once


RULE = TimescaleFact("return", "Bring it back", "lent", ("returned",), 14, "days")


def test_due_actions_and_their_status():
    starts = {Kind.LENT: date(2025, 1, 6)}
    (due,) = kernel.due_actions([RULE], starts, finished=lambda rule: False, paused_days=lambda start: 3)
    assert (due.start, due.due, due.paused_days, due.allowed_days) == (date(2025, 1, 6), date(2025, 1, 23), 3, 14)
    assert due.status(date(2025, 1, 10)) == "green" and due.status(date(2025, 1, 20)) == "amber"
    assert due.status(date(2025, 1, 24)) == "red" and due.overdue_on(date(2025, 1, 24))
    assert not due.overdue_on(date(2025, 1, 23)) and due.days_left(date(2025, 1, 20)) == 3
    (stopped,) = kernel.due_actions([RULE], starts, finished=lambda rule: False, paused=True)
    assert stopped.status(date(2025, 3, 1)) == "paused" and stopped.rag(date(2025, 3, 1)) == "red"
    assert kernel.due_actions([RULE], starts, finished=lambda rule: True) == []
    assert kernel.due_actions([RULE], {}, finished=lambda rule: False) == []
    assert kernel.worst_rag([due, stopped], date(2025, 1, 20)) == "amber" and kernel.worst_rag([], date.min) is None


def test_the_kernel_needs_no_django():
    code = "import sys, permanence.journeys.kernel; assert not any(m.startswith('django') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603
