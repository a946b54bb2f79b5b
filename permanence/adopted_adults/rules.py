"""An adopted adult's request: access to their birth records (information from their adoption records, with
counselling) or an intermediary service (contact with a birth relative). Pure Python: no Django, no clock.

A request is an append-only list of dated events run by the journey kernel, like the link's: received, triaged
(a priority – very elderly, seriously ill or standard – with the reason), records requested from other agencies
(several, each chased when not answered in time) and received, the first interview, counselling sessions, the
intermediary steps (a birth relative traced, approached, their response) and the close (with its outcome), or
withdrawn. Its stage, priority, the agencies' requests outstanding and their chase dates, and the wait to the
first interview are derived here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from permanence.journeys import kernel
from permanence.organisations.vocabulary import RAA_SUPPORT_WORKER, RAA_TEAM_MANAGER
from permanence.timescales.rules import TimescaleFact

ACCESS, INTERMEDIARY = "access_records", "intermediary"
REQUEST_TYPES: dict[str, str] = {
    ACCESS: "Access to birth records",
    INTERMEDIARY: "Intermediary service (contact with a birth relative)",
}
REQUEST_TYPE_HINTS: dict[str, str] = {
    ACCESS: "Information from their adoption records, with counselling (sections 60 and 98 of the Adoption and "
            "Children Act 2002).",
    INTERMEDIARY: "Tracing and approaching a birth relative for contact, with counselling.",
}


class Stage(StrEnum):
    NEW = "new"
    RECEIVED = "received"  # not triaged yet
    WAITING = "waiting"  # triaged, waiting for a first interview
    IN_PROGRESS = "in_progress"  # the first interview held: counselling, records, intermediary work
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


STAGE_LABELS: dict[Stage, str] = {
    Stage.NEW: "No events recorded",
    Stage.RECEIVED: "Received, not yet triaged",
    Stage.WAITING: "Waiting for a first interview",
    Stage.IN_PROGRESS: "First interview held",
    Stage.CLOSED: "Closed",
    Stage.WITHDRAWN: "Withdrawn",
}
STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
OPEN_STAGES = frozenset({Stage.RECEIVED, Stage.WAITING, Stage.IN_PROGRESS})
WAITING_STAGES = frozenset({Stage.RECEIVED, Stage.WAITING})  # the waiting list: no first interview yet


class Kind(StrEnum):
    RECEIVED = "received"
    TRIAGED = "triaged"
    RECORDS_REQUESTED = "records_requested"
    RECORDS_RECEIVED = "records_received"
    FIRST_INTERVIEW = "first_interview"
    COUNSELLING_SESSION = "counselling_session"
    RELATIVE_TRACED = "relative_traced"
    RELATIVE_APPROACHED = "relative_approached"
    RELATIVE_RESPONSE = "relative_response"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


KIND_LABELS: dict[Kind, str] = {
    Kind.RECEIVED: "Request received",
    Kind.TRIAGED: "Triaged",
    Kind.RECORDS_REQUESTED: "Records requested from another agency",
    Kind.RECORDS_RECEIVED: "Records received from another agency",
    Kind.FIRST_INTERVIEW: "First interview (counselling)",
    Kind.COUNSELLING_SESSION: "Counselling session",
    Kind.RELATIVE_TRACED: "Birth relative traced",
    Kind.RELATIVE_APPROACHED: "Birth relative approached",
    Kind.RELATIVE_RESPONSE: "Birth relative's response",
    Kind.CLOSED: "Request closed",
    Kind.WITHDRAWN: "Request withdrawn",
}

# Triage: the very elderly and the seriously ill first (seed 001, 3.14; domain.md section 5).
VERY_ELDERLY, SERIOUSLY_ILL, STANDARD = "very_elderly", "seriously_ill", "standard"
PRIORITIES: dict[str, str] = {
    VERY_ELDERLY: "Very elderly",
    SERIOUSLY_ILL: "Seriously ill",
    STANDARD: "Standard",
}
# The waiting list's order: a priority first, then a request not yet triaged (it may be one), then standard;
# within each, the longest wait first.
PRIORITY_RANK: dict[str | None, int] = {VERY_ELDERLY: 0, SERIOUSLY_ILL: 0, None: 1, STANDARD: 2}

RESPONSES: dict[str, str] = {
    "agreed_contact": "Agreed to contact",
    "information_only": "Agreed to share information, not to contact",
    "declined": "Declined",
    "no_response": "No response",
}
OUTCOMES: dict[str, str] = {
    "records_shared": "Information from the records shared",
    "contact_made": "Contact with the birth relative made",
    "relative_declined": "The birth relative declined contact",
    "relative_not_found": "The birth relative could not be traced or has died",
    "no_records": "No records could be found",
    "signposted": "Signposted to another service",
    "other": "Other",
}

SUPPORT_RECORDERS = frozenset({RAA_SUPPORT_WORKER, RAA_TEAM_MANAGER})

Transition = kernel.Transition
Recorder = kernel.Recorder
EventFact = kernel.EventFact
TransitionRefused = kernel.TransitionRefused
DueAction = kernel.DueAction
KEEP = kernel.KEEP
_moves = kernel.moves
_dated = kernel.dated

_OPEN = tuple(s for s in STAGE_ORDER if s in OPEN_STAGES)
_TRIAGED = (Stage.WAITING, Stage.IN_PROGRESS)
_BY = Recorder(raa=SUPPORT_RECORDERS)


@dataclass(frozen=True)
class AgencyRequest:
    """Records asked of another agency: from whom, when, and when they came (None: outstanding)."""

    agency: str
    requested: date
    received: date | None = None

    @property
    def outstanding(self) -> bool:
        return self.received is None


@dataclass(frozen=True)
class RequestState:
    stage: Stage = Stage.NEW
    stage_since: date | None = None
    request_type: str | None = None
    received: date | None = None
    triaged: date | None = None
    priority: str | None = None
    priority_reason: str = ""
    agency_requests: tuple[AgencyRequest, ...] = ()
    first_interview: date | None = None
    sessions: tuple[date, ...] = ()
    relative_traced: date | None = None
    relative_approached: date | None = None
    relative_response: str | None = None
    closed: date | None = None
    outcome: str | None = None
    withdrawn: date | None = None
    last_activity: date | None = None
    seen: frozenset[Kind] = frozenset()

    @property
    def open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def waiting(self) -> bool:
        """On the waiting list: open, no first interview yet."""
        return self.stage in WAITING_STAGES

    @property
    def ended(self) -> date | None:
        return self.closed or self.withdrawn

    @property
    def outstanding(self) -> tuple[AgencyRequest, ...]:
        return tuple(r for r in self.agency_requests if r.outstanding)

    @property
    def outstanding_agencies(self) -> list[str]:
        """The agencies whose records are still awaited, each once, in the order they were asked."""
        return list(dict.fromkeys(r.agency for r in self.outstanding))

    @property
    def priority_rank(self) -> int:
        return PRIORITY_RANK.get(self.priority, PRIORITY_RANK[None])


def _agency(event: EventFact) -> str:
    return " ".join(str(event.details.get("agency", "")).split())


def _same_agency(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _received_from(state: RequestState, event: EventFact) -> dict:
    """The oldest outstanding request to that agency is answered."""
    agency, done, out = _agency(event), False, []
    for r in state.agency_requests:
        if not done and r.outstanding and _same_agency(r.agency, agency):
            r, done = AgencyRequest(r.agency, r.requested, event.date), True
        out.append(r)
    return {"agency_requests": tuple(out)}


def _triage(state: RequestState, event: EventFact) -> dict:
    return {"triaged": state.triaged or event.date, "priority": event.details["priority"],
            "priority_reason": str(event.details.get("reason", "")).strip()}


def _end(field: str):
    def effect(state: RequestState, event: EventFact) -> dict:
        changes: dict = {field: event.date}
        if field == "closed":
            changes["outcome"] = event.details["outcome"]
        return changes
    return effect


CONDITIONS = {
    "reason_for_priority": kernel.Condition(
        lambda s, e: e.details.get("priority") == STANDARD or bool(str(e.details.get("reason", "")).strip()),
        "Say why the request has priority (for example, aged 88, or a terminal illness).", on_state_only=False),
    "intermediary": kernel.Condition(
        lambda s, e: s.request_type == INTERMEDIARY,
        "Intermediary steps are recorded only on a request for an intermediary service."),
    "outstanding_from_agency": kernel.Condition(
        lambda s, e: any(r.outstanding and _same_agency(r.agency, _agency(e)) for r in s.agency_requests),
        lambda s: ("Records can be received only from an agency they were requested from and not yet received: "
                   + (", ".join(s.outstanding_agencies) or "none is outstanding") + "."),
        on_state_only=False),
    "any_outstanding": kernel.Condition(
        lambda s, e: bool(s.outstanding), "No records are awaited from another agency."),
    "traced": kernel.Condition(lambda s, e: s.relative_traced is not None,
                               "A birth relative is approached once they have been traced."),
    "approached": kernel.Condition(lambda s, e: s.relative_approached is not None,
                                   "A birth relative's response follows their approach."),
    "known_type": kernel.Condition(lambda s, e: e.details.get("type") in REQUEST_TYPES,
                                   "Say whether the request is for access to records or an intermediary service.",
                                   on_state_only=False),
}

TRANSITIONS: dict[Kind, Transition] = kernel.table([
    Transition(
        Kind.RECEIVED, {Stage.NEW: Stage.RECEIVED}, _BY, "A request starts when it is received, once.", once=True,
        needs=("known_type",), sets=lambda s, e: {"received": e.date, "request_type": e.details.get("type")}),
    Transition(
        Kind.TRIAGED, {Stage.RECEIVED: Stage.WAITING, **_moves(_TRIAGED, KEEP)}, _BY,
        "An open request is triaged (and may be triaged again if its priority changes).", details=("priority",),
        accepts=(kernel.Choice("priority", PRIORITIES, "Choose the priority: very elderly, seriously ill or "
                                                       "standard."),),
        needs=("reason_for_priority",), sets=_triage),
    Transition(
        Kind.RECORDS_REQUESTED, _moves(_TRIAGED, KEEP), _BY,
        "Records are requested from another agency once the request has been triaged, while it is open.",
        details=("agency",),
        sets=lambda s, e: {"agency_requests": (*s.agency_requests, AgencyRequest(_agency(e), e.date))}),
    Transition(
        Kind.RECORDS_RECEIVED, _moves(_TRIAGED, KEEP), _BY,
        "Records are received from an agency they were requested from, while the request is open.",
        details=("agency",), needs=("any_outstanding", "outstanding_from_agency"), sets=_received_from),
    Transition(
        Kind.FIRST_INTERVIEW, {Stage.WAITING: Stage.IN_PROGRESS}, _BY,
        "The first interview follows triage, once.", once=True, sets=_dated("first_interview")),
    Transition(
        Kind.COUNSELLING_SESSION, {Stage.IN_PROGRESS: KEEP}, _BY,
        "Counselling sessions follow the first interview, while the request is open.",
        sets=lambda s, e: {"sessions": (*s.sessions, e.date)}),
    Transition(
        Kind.RELATIVE_TRACED, {Stage.IN_PROGRESS: KEEP}, _BY,
        "A birth relative is traced after the first interview, on an intermediary request.",
        details=("relative",), needs=("intermediary",), sets=_dated("relative_traced")),
    Transition(
        Kind.RELATIVE_APPROACHED, {Stage.IN_PROGRESS: KEEP}, _BY,
        "A birth relative is approached after they have been traced.", needs=("intermediary", "traced"),
        sets=_dated("relative_approached")),
    Transition(
        Kind.RELATIVE_RESPONSE, {Stage.IN_PROGRESS: KEEP}, _BY,
        "A birth relative's response follows their approach.", details=("response",),
        needs=("intermediary", "approached"),
        accepts=(kernel.Choice("response", RESPONSES, "Choose the birth relative's response."),),
        sets=lambda s, e: {"relative_response": e.details["response"]}),
    Transition(
        Kind.CLOSED, {Stage.WAITING: Stage.CLOSED, Stage.IN_PROGRESS: Stage.CLOSED}, _BY,
        "A triaged, open request is closed with its outcome.", details=("outcome",),
        accepts=(kernel.Choice("outcome", OUTCOMES, "Choose the outcome of the request."),), sets=_end("closed")),
    Transition(
        Kind.WITHDRAWN, _moves(_OPEN, Stage.WITHDRAWN), _BY,
        "Only an open request can be withdrawn, with the reason.", details=("withdrawal_reason",),
        sets=_end("withdrawn")),
])


JOURNEY = kernel.Journey(
    subject="adult",
    kinds=Kind,
    stages=Stage,
    transitions=TRANSITIONS,
    state=RequestState,
    kind_labels=KIND_LABELS,
    stage_labels=STAGE_LABELS,
    conditions=CONDITIONS,
    on_every_event=kernel.track_activity,
)
kernel.check_table(JOURNEY)


def apply(state: RequestState, event: EventFact) -> RequestState:
    return kernel.apply(JOURNEY, state, event)


def replay(events: Iterable[EventFact], *, until: date | None = None) -> RequestState:
    return kernel.replay(JOURNEY, events, until=until)


def check_new_event(events: Sequence[EventFact], new: EventFact, *, today: date) -> list[str]:
    return kernel.check_new_event(JOURNEY, events, new, today=today)


def recording_refusal(role: str, kind: Kind) -> str | None:
    """Why someone in `role` may not record `kind` on a request (the RAA's side is checked by access)."""
    return kernel.role_refusal(JOURNEY, role, kind)


def kinds_recordable(role: str, state: RequestState) -> list[Kind]:
    """The kinds this role may record next on this request (the same table `apply` reads). The request's
    receipt is recorded with the request itself, never offered."""
    return [k for k in TRANSITIONS if k is not Kind.RECEIVED and kernel.recordable(JOURNEY, state, k)
            and recording_refusal(role, k) is None]


# ---------------------------------------------------------------------------------------------
# Due dates: the agencies' records chased, the wait to the first interview against its target


CHASE_KEY = "adult_records_chase"
INTERVIEW_KEY = "adult_first_interview"
DEFAULT_CHASE = TimescaleFact(
    key=CHASE_KEY, label="Chase the records requested from another agency", start_event=Kind.RECORDS_REQUESTED.value,
    end_events=(Kind.RECORDS_RECEIVED.value,), amount=20, unit="working_days",
    source="Permanence default (seed 001, 3.14: delay when records have to be sourced from another agency)")
DEFAULT_INTERVIEW = TimescaleFact(
    key=INTERVIEW_KEY, label="First interview (target wait from the request)", start_event=Kind.RECEIVED.value,
    end_events=(Kind.FIRST_INTERVIEW.value,), amount=3, unit="months",
    source="Permanence default (seed 001, 3.14: adopted adults typically waited 3 to 6 months for an initial "
           "interview)")


def _rule(rules: Iterable[TimescaleFact], key: str, default: TimescaleFact) -> TimescaleFact:
    return next((r for r in rules if r.key == key), default)


def chase_rule(rules: Iterable[TimescaleFact]) -> TimescaleFact:
    return _rule(rules, CHASE_KEY, DEFAULT_CHASE)


def interview_rule(rules: Iterable[TimescaleFact]) -> TimescaleFact:
    return _rule(rules, INTERVIEW_KEY, DEFAULT_INTERVIEW)


@dataclass(frozen=True)
class Chase:
    """An agency's records outstanding, with the day they are to be chased."""

    agency: str
    requested: date
    due: date

    def overdue_on(self, day: date) -> bool:
        return self.due < day


def chases(state: RequestState, rules: Iterable[TimescaleFact]) -> list[Chase]:
    """Every agency request still outstanding on an open request, with its chase date, earliest first."""
    if not state.open:
        return []
    rule = chase_rule(list(rules))
    return sorted((Chase(r.agency, r.requested, rule.due_from(r.requested)) for r in state.outstanding),
                  key=lambda c: (c.due, c.agency))


def interview_due(state: RequestState, rules: Iterable[TimescaleFact]) -> date | None:
    """The target date for the first interview (None once it is held, or the request has ended)."""
    if not state.waiting or state.received is None:
        return None
    return interview_rule(list(rules)).due_from(state.received)


def due_actions(state: RequestState, rules: Iterable[TimescaleFact]) -> list[DueAction]:
    """What is due on the request: its first interview by the target wait, and each agency's records chased."""
    rules = list(rules)
    out = []
    if state.waiting:
        out += kernel.due_actions([interview_rule(rules)], {Kind.RECEIVED.value: state.received},
                                  finished=lambda rule: False)
    for c in chases(state, rules):
        rule = chase_rule(rules)
        out.append(DueAction(CHASE_KEY, f"Chase the records requested from {c.agency}", c.requested, c.due,
                             rule.source, allowed_days=max(1, (c.due - c.requested).days)))
    return sorted(out, key=lambda a: a.due)


def days_waiting(state: RequestState, on: date) -> int | None:
    """Days from the request to its first interview (to `on` while it waits); None before it is received."""
    if state.received is None:
        return None
    end = state.first_interview or (on if state.open else state.ended) or on
    return (end - state.received).days


def waiting_over_target(state: RequestState, rules: Iterable[TimescaleFact], on: date) -> bool:
    """Still waiting for a first interview on `on`, past the target date."""
    due = interview_due(state, rules)
    return due is not None and due < on


def waiting_order_key(state: RequestState, request_id: int = 0) -> tuple:
    """The waiting list's order: priority first, then the longest wait (the earliest request)."""
    return (state.priority_rank, state.received or date.max, request_id)
