"""A support case's journey: an adoption support referral from the duty line to closure. Pure Python: no Django,
no clock (dates are parameters).

referral received → duty outcome (advice given and closed / signposted, with where: closed; for assessment) →
assessment of need requested (the wait starts) → allocated to a worker → assessment started → completed →
receiving support (a support plan agreed: the plan itself is `support_fund`'s) → closed (the outcome and the
family's feedback). While the family waits for its assessment to start, interim support may be offered (what was
offered); a note may be added at any open step; a worker may be allocated again at any step after allocation.

Also here, pure: the responsible LA (the placing LA until N years after the adoption order, then the LA where the
family lives), the assessment timescales' defaults and what is due, and the waiting list's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from permanence.journeys import kernel
from permanence.organisations.vocabulary import RAA_SUPPORT_WORKER, RAA_TEAM_MANAGER
from permanence.timescales.rules import TimescaleFact, add_months


class Stage(StrEnum):
    NEW = "new"
    REFERRED = "referred"  # referral received, the duty outcome not yet recorded
    FOR_ASSESSMENT = "for_assessment"  # the duty outcome: for an assessment of need
    REQUESTED = "requested"  # the assessment requested: waiting for it to start
    ALLOCATED = "allocated"  # allocated to a worker: still waiting for it to start
    STARTED = "started"  # the assessment under way
    COMPLETED = "completed"  # the assessment completed
    RECEIVING_SUPPORT = "receiving_support"  # a support plan agreed
    CLOSED = "closed"


STAGE_LABELS: dict[Stage, str] = {
    Stage.NEW: "No events recorded",
    Stage.REFERRED: "Referral received",
    Stage.FOR_ASSESSMENT: "For an assessment of need",
    Stage.REQUESTED: "Assessment requested, waiting for a worker",
    Stage.ALLOCATED: "Allocated, waiting for the assessment to start",
    Stage.STARTED: "Assessment started",
    Stage.COMPLETED: "Assessment completed",
    Stage.RECEIVING_SUPPORT: "Receiving support",
    Stage.CLOSED: "Closed",
}
OPEN_STAGES = frozenset(s for s in Stage if s not in (Stage.NEW, Stage.CLOSED))
# Waiting for an assessment of need to start (the waiting list).
WAITING_STAGES = frozenset({Stage.REQUESTED, Stage.ALLOCATED})
# While the family waits (the duty outcome said "for assessment" and the assessment has not started).
INTERIM_STAGES = (Stage.FOR_ASSESSMENT, Stage.REQUESTED, Stage.ALLOCATED)


class Kind(StrEnum):
    REFERRAL_RECEIVED = "referral_received"
    DUTY_OUTCOME = "duty_outcome"
    ASSESSMENT_REQUESTED = "assessment_requested"
    ALLOCATED = "allocated"
    INTERIM_SUPPORT = "interim_support"
    ASSESSMENT_STARTED = "assessment_started"
    ASSESSMENT_COMPLETED = "assessment_completed"
    SUPPORT_PLAN_AGREED = "support_plan_agreed"
    NOTE = "note"
    CLOSED = "closed"


KIND_LABELS: dict[Kind, str] = {
    Kind.REFERRAL_RECEIVED: "Referral received",
    Kind.DUTY_OUTCOME: "Duty outcome",
    Kind.ASSESSMENT_REQUESTED: "Assessment of need requested",
    Kind.ALLOCATED: "Allocated to a worker",
    Kind.INTERIM_SUPPORT: "Interim support offered",
    Kind.ASSESSMENT_STARTED: "Assessment of need started",
    Kind.ASSESSMENT_COMPLETED: "Assessment of need completed",
    Kind.SUPPORT_PLAN_AGREED: "Support plan agreed",
    Kind.NOTE: "Note",
    Kind.CLOSED: "Case closed",
}

DUTY_OUTCOMES: dict[str, str] = {
    "advice": "Advice given and closed",
    "for_assessment": "For an assessment of need",
    "signposted": "Signposted elsewhere",
}
CLOSED_AT_DUTY = frozenset({"advice", "signposted"})
CLOSURE_REASONS: dict[str, str] = {
    "support_completed": "Support completed",
    "no_support_needed": "The assessment found no support needed",
    "family_withdrew": "The family withdrew",
    "moved_away": "The family moved to another agency's area",
    "other": "Other",
}
# Reasons the journey sets itself (a duty outcome that closes the case).
CLOSED_REASON_LABELS: dict[str, str] = {**CLOSURE_REASONS, "advice": "Advice given at duty",
                                        "signposted": "Signposted at duty"}
COMPLETION_OUTCOMES: dict[str, str] = {
    "support_needed": "Support needed: a support plan to follow",
    "no_support_needed": "No support needed",
}

REFERRER_TYPES: dict[str, str] = {
    "adoptive_family": "Adoptive family",
    "adopted_adult": "Adopted adult",
    "birth_relative": "Birth relative",
    "special_guardianship": "Special guardianship family",
}
SPECIAL_GUARDIANSHIP = "special_guardianship"
URGENCIES: dict[str, str] = {"urgent": "Urgent", "standard": "Standard"}

RECORDERS = frozenset({RAA_SUPPORT_WORKER, RAA_TEAM_MANAGER})

Transition = kernel.Transition
Recorder = kernel.Recorder
EventFact = kernel.EventFact
TransitionRefused = kernel.TransitionRefused
DueAction = kernel.DueAction
KEEP = kernel.KEEP
_moves = kernel.moves
_dated = kernel.dated

_OPEN = tuple(s for s in Stage if s in OPEN_STAGES)
_TEAM = Recorder(raa=RECORDERS)
_AFTER_ALLOCATION = (Stage.ALLOCATED, Stage.STARTED, Stage.COMPLETED, Stage.RECEIVING_SUPPORT)


def _duty(state: SupportState, event: EventFact) -> dict:
    outcome = event.details["outcome"]
    changes: dict = {"duty_outcome": outcome, "duty_on": event.date,
                     "signposted_to": event.details.get("where", "")}
    if outcome in CLOSED_AT_DUTY:
        changes.update(stage=Stage.CLOSED, closed_reason=outcome)
    return changes


def _allocated(state: SupportState, event: EventFact) -> dict:
    return {"allocated": state.allocated or event.date, "worker": str(event.details["worker"])}


def _interim(state: SupportState, event: EventFact) -> dict:
    return {"interim_offers": (*state.interim_offers, (event.date, str(event.details["offered"])))}


def _closed(state: SupportState, event: EventFact) -> dict:
    return {"closed_reason": event.details["reason"], "feedback": event.details.get("feedback", "")}


def _signposted_where(state: SupportState, event: EventFact) -> bool:
    return event.details.get("outcome") != "signposted" or bool(event.details.get("where"))


TRANSITIONS: dict[Kind, Transition] = kernel.table([
    Transition(
        Kind.REFERRAL_RECEIVED, {Stage.NEW: Stage.REFERRED}, _TEAM,
        "A support case starts with its referral, once.", once=True, sets=_dated("referred")),
    Transition(
        Kind.DUTY_OUTCOME, {Stage.REFERRED: Stage.FOR_ASSESSMENT}, _TEAM,
        "The duty outcome follows the referral, once.", once=True, details=("outcome",), needs=("where",),
        accepts=(kernel.Choice("outcome", DUTY_OUTCOMES,
                               "Choose the duty outcome: advice given and closed, for assessment or signposted."),),
        sets=_duty),
    Transition(
        Kind.ASSESSMENT_REQUESTED, {Stage.FOR_ASSESSMENT: Stage.REQUESTED}, _TEAM,
        "An assessment of need is requested once the duty outcome is 'for assessment', once.", once=True,
        sets=_dated("requested")),
    Transition(
        Kind.ALLOCATED, {Stage.REQUESTED: Stage.ALLOCATED, **_moves(_AFTER_ALLOCATION, KEEP)}, _TEAM,
        "A worker is allocated once the assessment has been requested.", details=("worker",), sets=_allocated),
    Transition(
        Kind.INTERIM_SUPPORT, _moves(INTERIM_STAGES, KEEP), _TEAM,
        "Interim support is offered while the family waits for its assessment to start.", details=("offered",),
        sets=_interim),
    Transition(
        Kind.ASSESSMENT_STARTED, {Stage.ALLOCATED: Stage.STARTED}, _TEAM,
        "The assessment starts once a worker is allocated, once.", once=True, sets=_dated("started")),
    Transition(
        Kind.ASSESSMENT_COMPLETED, {Stage.STARTED: Stage.COMPLETED}, _TEAM,
        "The assessment is completed once it has started, once.", once=True, details=("outcome",),
        accepts=(kernel.Choice("outcome", COMPLETION_OUTCOMES,
                               "Say whether the assessment found support needed."),),
        sets=lambda s, e: {"completed": e.date, "assessment_outcome": e.details["outcome"]}),
    Transition(
        Kind.SUPPORT_PLAN_AGREED, {Stage.COMPLETED: Stage.RECEIVING_SUPPORT, Stage.RECEIVING_SUPPORT: KEEP}, _TEAM,
        "A support plan is agreed once the assessment of need is completed.",
        sets=lambda s, e: {"plan_agreed": s.plan_agreed or e.date}),
    Transition(
        Kind.NOTE, _moves(_OPEN, KEEP), _TEAM, "A note is added to an open case.", details=("summary",)),
    Transition(
        Kind.CLOSED, _moves(_OPEN, Stage.CLOSED), _TEAM, "Only an open case can be closed, with its outcome.",
        details=("reason",), accepts=(kernel.Choice("reason", CLOSURE_REASONS, "Choose the outcome at closure."),),
        sets=_closed),
])


@dataclass(frozen=True)
class SupportState:
    stage: Stage = Stage.NEW
    stage_since: date | None = None
    referred: date | None = None
    duty_outcome: str | None = None
    duty_on: date | None = None
    signposted_to: str = ""
    requested: date | None = None
    allocated: date | None = None  # the first allocation
    worker: str | None = None  # the allocated worker's id (the latest allocation)
    interim_offers: tuple[tuple[date, str], ...] = ()
    started: date | None = None
    completed: date | None = None
    assessment_outcome: str | None = None
    plan_agreed: date | None = None
    closed: date | None = None
    closed_reason: str | None = None
    feedback: str = ""
    last_activity: date | None = None
    seen: frozenset[Kind] = frozenset()

    @property
    def open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def waiting(self) -> bool:
        """Waiting for an assessment of need to start."""
        return self.stage in WAITING_STAGES


JOURNEY = kernel.Journey(
    subject="case",  # the services' keyword (record_event(case=…)) and the refusals' "the case's stage"
    kinds=Kind,
    stages=Stage,
    transitions=TRANSITIONS,
    state=SupportState,
    kind_labels=KIND_LABELS,
    stage_labels=STAGE_LABELS,
    conditions={"where": kernel.Condition(_signposted_where, "Say where the family was signposted to.",
                                          on_state_only=False)},
    on_enter={Stage.CLOSED: lambda s, e: {"closed": e.date}},
    on_every_event=kernel.track_activity,
)


def check_transition_table() -> None:
    kernel.check_table(JOURNEY, TRANSITIONS)


check_transition_table()


def apply(state: SupportState, event: EventFact) -> SupportState:
    return kernel.apply(JOURNEY, state, event)


def replay(events: Iterable[EventFact], *, until: date | None = None) -> SupportState:
    return kernel.replay(JOURNEY, events, until=until)


def check_new_event(events: Sequence[EventFact], new: EventFact, *, today: date) -> list[str]:
    return kernel.check_new_event(JOURNEY, events, new, today=today)


def recording_refusal(role: str, kind: Kind) -> str | None:
    return kernel.role_refusal(JOURNEY, role, kind, "raa")


def kinds_recordable(role: str, state: SupportState) -> list[Kind]:
    return [k for k in TRANSITIONS if kernel.recordable(JOURNEY, state, k) and recording_refusal(role, k) is None]


# ---------------------------------------------------------------------------------------------
# The responsible LA: the placing LA until N years after the adoption order, then the LA where the family lives


PLACING_LA_YEARS = 3  # Adoption Support Services Regulations 2005 reg 7 (domain.md section 5); per RAA setting


def placing_la_ends(adoption_order: date, years: int = PLACING_LA_YEARS) -> date:
    """The first day the placing LA is no longer responsible: the Nth anniversary of the adoption order (an order
    made on 29 February ends on 28 February)."""
    return add_months(adoption_order, 12 * years)


def responsible_la(placing_la, family_la, adoption_order: date | None, on: date, years: int = PLACING_LA_YEARS):
    """Who is responsible for assessing and providing support on `on`: the placing LA (the child's LA) from the
    order up to the day before its Nth anniversary, then the LA where the family lives. Without a known order
    date the placing LA stays responsible; with no placing LA known, the family's LA."""
    if placing_la is None:
        return family_la
    if adoption_order is None or on < placing_la_ends(adoption_order, years):
        return placing_la
    return family_la if family_la is not None else placing_la


# ---------------------------------------------------------------------------------------------
# Timescales: the defaults (the data migration writes them as Timescale rows with subject "support")


SUBJECT = "support"
DUTY_KEY = "support_duty_outcome"
START_KEY = "support_assessment_start"
COMPLETE_KEY = "support_assessment_complete"
DEFAULT_TIMESCALES: tuple[TimescaleFact, ...] = (
    TimescaleFact(
        key=DUTY_KEY, label="Record the duty outcome", start_event=Kind.REFERRAL_RECEIVED.value,
        end_events=(Kind.DUTY_OUTCOME.value, Kind.CLOSED.value), amount=5, unit="working_days",
        source="Permanence default: a duty response within a working week (seed 002 table 2.4, rapid response)"),
    TimescaleFact(
        key=START_KEY, label="Start the assessment of need", start_event=Kind.ASSESSMENT_REQUESTED.value,
        end_events=(Kind.ASSESSMENT_STARTED.value, Kind.CLOSED.value), amount=6, unit="weeks",
        source="Permanence default: well inside the 16-week wait seed 001 calls unacceptable"),
    TimescaleFact(
        key=COMPLETE_KEY, label="Complete the assessment of need", start_event=Kind.ASSESSMENT_STARTED.value,
        end_events=(Kind.ASSESSMENT_COMPLETED.value, Kind.CLOSED.value), amount=40, unit="working_days",
        source="Permanence default: 8 working weeks, inside the 2.5 months seed 001 calls unacceptable"),
)
LONG_WAIT_WEEKS = 16  # seed 001: a 16-week wait for an assessment to start is unacceptable
LONG_WAIT_DAYS = LONG_WAIT_WEEKS * 7


def _starts(state: SupportState) -> dict[str, date | None]:
    return {Kind.REFERRAL_RECEIVED.value: state.referred, Kind.ASSESSMENT_REQUESTED.value: state.requested,
            Kind.ASSESSMENT_STARTED.value: state.started}


def due_actions(state: SupportState, rules: Iterable[TimescaleFact]) -> list[DueAction]:
    """What is due on the case under the timescales in force (the defaults for any key not configured); none once
    closed."""
    if not state.open:
        return []
    rules = list(rules)
    keys = {r.key for r in rules}
    rules += [d for d in DEFAULT_TIMESCALES if d.key not in keys]
    seen = {k.value for k in state.seen}
    return kernel.due_actions(rules, _starts(state), finished=lambda rule: bool(seen & set(rule.end_events)))


def timescale(rules: Iterable[TimescaleFact], key: str) -> TimescaleFact:
    return next((r for r in rules if r.key == key), None) or next(d for d in DEFAULT_TIMESCALES if d.key == key)


def completed_within(state: SupportState, rules: Iterable[TimescaleFact]) -> bool | None:
    """Whether the assessment was completed within the completion timescale (None if not completed)."""
    if state.completed is None or state.started is None:
        return None
    return state.completed <= timescale(rules, COMPLETE_KEY).due_from(state.started)


# ---------------------------------------------------------------------------------------------
# The waiting list


def days_waiting(requested: date, on: date) -> int:
    return (on - requested).days


def long_wait(requested: date, on: date) -> bool:
    """Waiting 16 weeks or more for the assessment to start (seed 001)."""
    return days_waiting(requested, on) >= LONG_WAIT_DAYS


def waiting_order(urgency: str, requested: date, pk: int) -> tuple:
    """The waiting list's order: urgent first, then the longest wait, then the oldest case."""
    return (0 if urgency == "urgent" else 1, requested, pk)
