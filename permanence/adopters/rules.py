"""The adopters' journey: event kinds, stages, the transition table and what is derived from events.

Pure Python: no Django, no clock. Like the child's journey, a household's assessment is an append-only list of
dated events; the stage, the pauses, the due actions and the red/amber/green status are derived here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from permanence.children import rules as child_rules
from permanence.timescales.rules import TimescaleFact


class Stage(StrEnum):
    NEW = "new"
    ROI = "roi"  # registration of interest received, awaiting the agency's decision
    REGISTERED = "registered"  # ROI accepted, assessment not started
    STAGE_1 = "stage_1"
    STAGE_1_COMPLETE = "stage_1_complete"
    BREAK = "break"
    STAGE_2 = "stage_2"
    AWAITING_PANEL = "awaiting_panel"  # PAR completed
    AWAITING_DECISION = "awaiting_decision"  # panel recommended, ADM to decide
    APPROVED = "approved"
    MATCHED = "matched"
    CLOSED = "closed"  # withdrew, was closed, or was not approved


STAGE_LABELS: dict[Stage, str] = {
    Stage.NEW: "No events recorded",
    Stage.ROI: "Registration of interest received",
    Stage.REGISTERED: "Registered, assessment not started",
    Stage.STAGE_1: "Stage 1",
    Stage.STAGE_1_COMPLETE: "Stage 1 complete",
    Stage.BREAK: "Break between stages",
    Stage.STAGE_2: "Stage 2",
    Stage.AWAITING_PANEL: "Prospective adopter's report done, awaiting panel",
    Stage.AWAITING_DECISION: "Awaiting the agency decision",
    Stage.APPROVED: "Approved, waiting to be matched",
    Stage.MATCHED: "Matched",
    Stage.CLOSED: "Closed",
}
ASSESSMENT_STAGES = (Stage.ROI, Stage.REGISTERED, Stage.STAGE_1, Stage.STAGE_1_COMPLETE, Stage.BREAK, Stage.STAGE_2,
                     Stage.AWAITING_PANEL, Stage.AWAITING_DECISION)
OPEN_STAGES = frozenset((*ASSESSMENT_STAGES, Stage.APPROVED, Stage.MATCHED))


class Kind(StrEnum):
    ROI_RECEIVED = "roi_received"
    ROI_DECISION = "roi_decision"
    STAGE_1_STARTED = "stage_1_started"
    CHECK_REQUESTED = "check_requested"
    CHECK_RECEIVED = "check_received"
    TRAINING_COMPLETED = "preparation_training_completed"
    STAGE_1_COMPLETED = "stage_1_completed"
    BREAK_STARTED = "break_started"
    STAGE_2_STARTED = "stage_2_started"  # the adopters' notice to proceed
    HOME_VISIT = "home_visit"
    PAR_COMPLETED = "par_completed"
    PANEL_RECOMMENDATION = "panel_recommendation"
    ADM_DECISION = "adm_decision"
    POST_APPROVAL_TRAINING = "post_approval_training"
    MATCHED = "matched"
    MATCH_ENDED = "match_ended"
    PAUSED = "paused"
    RESUMED = "resumed"
    CLOSED = "closed"


KIND_LABELS: dict[Kind, str] = {
    Kind.ROI_RECEIVED: "Registration of interest received",
    Kind.ROI_DECISION: "Decision on the registration of interest",
    Kind.STAGE_1_STARTED: "Stage 1 started",
    Kind.CHECK_REQUESTED: "Statutory check requested",
    Kind.CHECK_RECEIVED: "Statutory check received",
    Kind.TRAINING_COMPLETED: "Preparation training completed",
    Kind.STAGE_1_COMPLETED: "Stage 1 completed",
    Kind.BREAK_STARTED: "Break between stages started",
    Kind.STAGE_2_STARTED: "Notice to proceed: stage 2 started",
    Kind.HOME_VISIT: "Home study visit",
    Kind.PAR_COMPLETED: "Prospective adopter's report completed",
    Kind.PANEL_RECOMMENDATION: "Panel recommendation",
    Kind.ADM_DECISION: "Agency decision",
    Kind.POST_APPROVAL_TRAINING: "Post-approval training",
    Kind.MATCHED: "Matched with a child",
    Kind.MATCH_ENDED: "Match ended",
    Kind.PAUSED: "Assessment paused",
    Kind.RESUMED: "Assessment resumed",
    Kind.CLOSED: "Household closed or withdrew",
}
KIND_ORDER: dict[Kind, int] = {k: i for i, k in enumerate(Kind)}

CHECKS: dict[str, str] = {
    "dbs": "DBS check",
    "references": "References",
    "medical": "Medical",
    "la_checks": "Local authority checks",
}
ROI_OUTCOMES = {"accepted": "Accepted", "declined": "Declined"}
RECOMMENDATIONS = {"approve": "Recommended approval", "not_approve": "Did not recommend approval",
                   "deferred": "Deferred"}
DECISIONS = {"approved": "Approved", "not_approved": "Not approved"}
CLOSE_REASONS: dict[str, str] = {
    "withdrew": "The applicants withdrew",
    "not_suitable": "The agency ended the assessment",
    "signposted": "Signposted to another agency",
    "circumstances": "A change in circumstances",
    "break_too_long": "The break between stages ran over",
    "not_approved": "Not approved",
    "adopted": "Adopted; no longer waiting",
    "other": "Another reason",
}
# Reasons the journey itself sets (not offered as choices when closing a household).
CLOSE_REASON_LABELS: dict[str, str] = {**CLOSE_REASONS, "roi_declined": "Registration of interest declined"}

# Roles (the RAA does all the adopters' work, seed 002 section 1.2).
ASSESSORS = frozenset({child_rules.RAA_ASSESSING_SW, child_rules.RAA_TEAM_MANAGER})
PANEL = frozenset({child_rules.PANEL_ADVISER, child_rules.RAA_TEAM_MANAGER})
DECIDERS = frozenset({child_rules.ADM})
FAMILY_FINDING = frozenset({child_rules.RAA_FAMILY_FINDER, child_rules.RAA_TEAM_MANAGER})

# Steps that move an assessment on, and so cannot happen while it is paused.
PROGRESS_KINDS = frozenset({Kind.STAGE_1_STARTED, Kind.STAGE_1_COMPLETED, Kind.BREAK_STARTED, Kind.STAGE_2_STARTED,
                            Kind.PAR_COMPLETED, Kind.PANEL_RECOMMENDATION, Kind.ADM_DECISION})

KEEP = "keep"
_ASSESSING = (Stage.ROI, Stage.REGISTERED, Stage.STAGE_1, Stage.STAGE_1_COMPLETE, Stage.BREAK, Stage.STAGE_2,
              Stage.AWAITING_PANEL, Stage.AWAITING_DECISION)


@dataclass(frozen=True)
class Transition:
    kind: Kind
    moves: dict[Stage, str]
    roles: frozenset[str]
    hint: str
    details: tuple[str, ...] = ()
    once: bool = False


def _moves(froms: Iterable[Stage], to: str) -> dict[Stage, str]:
    return {s: to for s in froms}


TRANSITIONS: dict[Kind, Transition] = {
    t.kind: t
    for t in [
        Transition(Kind.ROI_RECEIVED, {Stage.NEW: Stage.ROI}, ASSESSORS,
                   "A registration of interest starts the household's journey and is recorded once.", once=True),
        Transition(Kind.ROI_DECISION, {Stage.ROI: KEEP}, ASSESSORS,
                   "The agency decides on a registration of interest once it has been received.",
                   details=("outcome",), once=True),
        Transition(Kind.STAGE_1_STARTED, {Stage.REGISTERED: Stage.STAGE_1}, ASSESSORS,
                   "Stage 1 starts after the registration of interest is accepted (fast-track households skip it).",
                   once=True),
        Transition(Kind.CHECK_REQUESTED, _moves((Stage.STAGE_1, Stage.STAGE_1_COMPLETE, Stage.BREAK, Stage.STAGE_2), KEEP),
                   ASSESSORS, "Statutory checks are made during the assessment.", details=("check",)),
        Transition(Kind.CHECK_RECEIVED, _moves((Stage.STAGE_1, Stage.STAGE_1_COMPLETE, Stage.BREAK, Stage.STAGE_2), KEEP),
                   ASSESSORS, "A check is received after it was requested.", details=("check",)),
        Transition(Kind.TRAINING_COMPLETED, _moves((Stage.STAGE_1, Stage.STAGE_1_COMPLETE, Stage.BREAK, Stage.STAGE_2),
                                                    KEEP),
                   ASSESSORS, "Preparation training is completed during the assessment."),
        Transition(Kind.STAGE_1_COMPLETED, {Stage.STAGE_1: Stage.STAGE_1_COMPLETE}, ASSESSORS,
                   "Stage 1 can be completed once it has started.", once=True),
        Transition(Kind.BREAK_STARTED, {Stage.STAGE_1_COMPLETE: Stage.BREAK}, ASSESSORS,
                   "A break is taken between stage 1 and stage 2."),
        Transition(Kind.STAGE_2_STARTED, _moves((Stage.STAGE_1_COMPLETE, Stage.BREAK), Stage.STAGE_2) | {
                   Stage.REGISTERED: Stage.STAGE_2}, ASSESSORS,
                   "Stage 2 starts with the adopters' notice to proceed after stage 1 (or straight after "
                   "registration on the fast track).", once=True),
        Transition(Kind.HOME_VISIT, {Stage.STAGE_2: KEEP}, ASSESSORS, "Home study visits happen in stage 2."),
        Transition(Kind.PAR_COMPLETED, {Stage.STAGE_2: Stage.AWAITING_PANEL}, ASSESSORS,
                   "The prospective adopter's report completes stage 2."),
        Transition(Kind.PANEL_RECOMMENDATION, {Stage.AWAITING_PANEL: Stage.AWAITING_DECISION}, PANEL,
                   "The panel considers a household once the prospective adopter's report is done.",
                   details=("recommendation",)),
        Transition(Kind.ADM_DECISION, {Stage.AWAITING_DECISION: KEEP}, DECIDERS,
                   "The agency decision follows the panel's recommendation.", details=("decision",)),
        Transition(Kind.POST_APPROVAL_TRAINING, _moves((Stage.APPROVED, Stage.MATCHED), KEEP), ASSESSORS,
                   "Post-approval training is for approved adopters."),
        Transition(Kind.MATCHED, {Stage.APPROVED: Stage.MATCHED}, FAMILY_FINDING,
                   "Only approved adopters can be matched."),
        Transition(Kind.MATCH_ENDED, {Stage.MATCHED: Stage.APPROVED}, FAMILY_FINDING,
                   "Only a match can end.", details=("reason",)),
        Transition(Kind.PAUSED, _moves(_ASSESSING, KEEP), ASSESSORS,
                   "An assessment can be paused while it is in progress and not already paused.",
                   details=("reason",)),
        Transition(Kind.RESUMED, _moves(_ASSESSING, KEEP), ASSESSORS, "Only a paused assessment can resume."),
        Transition(Kind.CLOSED, _moves((*_ASSESSING, Stage.APPROVED, Stage.MATCHED), Stage.CLOSED), ASSESSORS,
                   "A household can close or withdraw at any stage, with a reason.", details=("reason",)),
    ]
}


def check_transition_table() -> None:
    if set(TRANSITIONS) != set(Kind):
        raise ImportError(f"household transition table lacks {sorted(set(Kind) - set(TRANSITIONS))}")
    reached = {Stage.NEW, Stage.REGISTERED, Stage.APPROVED, Stage.CLOSED}  # via decisions
    for t in TRANSITIONS.values():
        for frm, to in t.moves.items():
            if not isinstance(frm, Stage):
                raise ImportError(f"{t.kind}: unknown from-stage {frm!r}")
            if to != KEEP:
                reached.add(Stage(to))
        if not t.roles:
            raise ImportError(f"{t.kind}: nobody may record it")
    if reached != set(Stage):
        raise ImportError(f"household stages never reached: {sorted(set(Stage) - reached)}")


check_transition_table()


@dataclass(frozen=True)
class EventFact:
    kind: Kind
    date: date
    seq: int = 0
    details: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def sort_key(self) -> tuple[date, int, int]:
        return (self.date, KIND_ORDER[self.kind], self.seq)


@dataclass(frozen=True)
class Pause:
    start: date
    end: date | None
    reason: str

    def days_until(self, day: date) -> int:
        """Days of this pause on or before `day`."""
        end = self.end or day
        end = min(end, day)
        return max(0, (end - self.start).days)


@dataclass(frozen=True)
class HouseholdState:
    stage: Stage = Stage.NEW
    stage_since: date | None = None
    roi: date | None = None
    roi_decision: date | None = None
    stage_1_started: date | None = None
    stage_1_completed: date | None = None
    break_started: date | None = None
    stage_2_started: date | None = None
    par_completed: date | None = None
    panel: date | None = None
    decision: date | None = None
    approved: date | None = None
    matched: date | None = None
    closed: date | None = None
    closed_at_stage: Stage | None = None
    close_reason: str | None = None
    fast_track: bool = False
    pauses: tuple[Pause, ...] = ()
    checks_requested: frozenset[str] = frozenset()
    checks_received: frozenset[str] = frozenset()
    seen: frozenset[Kind] = frozenset()

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].end is None

    def paused_days(self, start: date, until: date) -> int:
        """Days paused between `start` and `until` (pauses overlapping the window only)."""
        total = 0
        for p in self.pauses:
            s = max(p.start, start)
            e = min(p.end or until, until)
            if e > s:
                total += (e - s).days
        return total


class TransitionRefused(ValueError):
    def __init__(self, event: EventFact, state: HouseholdState, message: str):
        super().__init__(message)
        self.event, self.state, self.message = event, state, message


def _refuse(event: EventFact, state: HouseholdState, why: str) -> TransitionRefused:
    msg = (f"{KIND_LABELS[event.kind]} on {event.date:%d/%m/%Y} cannot be recorded: on that date the household's "
           f"stage was “{STAGE_LABELS[state.stage].lower()}”. {why}")
    return TransitionRefused(event, state, msg)


def apply(state: HouseholdState, event: EventFact) -> HouseholdState:
    t = TRANSITIONS[event.kind]
    k, d = event.kind, event.date
    if t.once and k in state.seen:
        raise _refuse(event, state, f"It has already been recorded. {t.hint}")
    to = t.moves.get(state.stage)
    if to is None:
        raise _refuse(event, state, t.hint)
    for name in t.details:
        if not event.details.get(name):
            raise _refuse(event, state, f"It needs a {name.replace('_', ' ')}.")
    if k is Kind.STAGE_2_STARTED and state.stage is Stage.REGISTERED and not state.fast_track:
        raise _refuse(event, state, "Only fast-track households (previous adopters or approved foster carers) "
                                    "skip stage 1.")
    if k in (Kind.PAUSED, Kind.RESUMED):
        if k is Kind.PAUSED and state.paused:
            raise _refuse(event, state, "The assessment is already paused.")
        if k is Kind.RESUMED and not state.paused:
            raise _refuse(event, state, "The assessment is not paused.")
    if k in (Kind.CHECK_REQUESTED, Kind.CHECK_RECEIVED) and event.details.get("check") not in CHECKS:
        raise _refuse(event, state, "Choose which check: DBS, references, medical or local authority checks.")
    if k is Kind.CHECK_RECEIVED and event.details.get("check") not in state.checks_requested:
        raise _refuse(event, state, "That check has not been requested yet.")
    if k is Kind.ROI_DECISION and event.details.get("outcome") not in ROI_OUTCOMES:
        raise _refuse(event, state, "The outcome must be accepted or declined.")
    if k is Kind.PANEL_RECOMMENDATION and event.details.get("recommendation") not in RECOMMENDATIONS:
        raise _refuse(event, state, "The recommendation must be approve, not approve or deferred.")
    if k is Kind.ADM_DECISION and event.details.get("decision") not in DECISIONS:
        raise _refuse(event, state, "The decision must be approved or not approved.")
    if k is Kind.CLOSED and event.details.get("reason") not in CLOSE_REASONS:
        raise _refuse(event, state, "Choose a reason for closing.")
    if k in PROGRESS_KINDS and state.paused:
        raise _refuse(event, state, "The assessment is paused: record that it resumed first.")

    stage = state.stage if to == KEEP else Stage(to)
    changes: dict = {"seen": state.seen | {k}}
    if k is Kind.ROI_RECEIVED:
        changes["roi"] = d
        changes["fast_track"] = state.fast_track or bool(event.details.get("fast_track"))
    elif k is Kind.ROI_DECISION:
        changes["roi_decision"] = d
        if event.details["outcome"] == "accepted":
            stage = Stage.REGISTERED
        else:
            stage = Stage.CLOSED
            changes.update(closed=d, closed_at_stage=Stage.ROI, close_reason="roi_declined")
    elif k is Kind.STAGE_1_STARTED:
        changes["stage_1_started"] = d
    elif k is Kind.CHECK_REQUESTED:
        changes["checks_requested"] = state.checks_requested | {event.details["check"]}
    elif k is Kind.CHECK_RECEIVED:
        changes["checks_received"] = state.checks_received | {event.details["check"]}
    elif k is Kind.STAGE_1_COMPLETED:
        changes["stage_1_completed"] = d
    elif k is Kind.BREAK_STARTED:
        changes["break_started"] = d
    elif k is Kind.STAGE_2_STARTED:
        changes["stage_2_started"] = d
    elif k is Kind.PAR_COMPLETED:
        changes["par_completed"] = d
    elif k is Kind.PANEL_RECOMMENDATION:
        if event.details["recommendation"] == "deferred":
            stage = Stage.AWAITING_PANEL  # back to waiting for a panel: no decision is due yet
        else:
            changes["panel"] = d
    elif k is Kind.ADM_DECISION:
        changes["decision"] = d
        if event.details["decision"] == "approved":
            stage = Stage.APPROVED
            changes["approved"] = d
        else:
            stage = Stage.CLOSED
            changes.update(closed=d, closed_at_stage=Stage.AWAITING_DECISION, close_reason="not_approved")
    elif k is Kind.MATCHED:
        changes["matched"] = d
    elif k is Kind.MATCH_ENDED:
        changes["matched"] = None
    elif k is Kind.PAUSED:
        changes["pauses"] = (*state.pauses, Pause(d, None, str(event.details.get("reason", ""))))
    elif k is Kind.RESUMED:
        last = state.pauses[-1]
        changes["pauses"] = (*state.pauses[:-1], replace(last, end=d))
    elif k is Kind.CLOSED:
        changes.update(closed=d, closed_at_stage=state.stage, close_reason=event.details["reason"])
        if state.paused:
            last = state.pauses[-1]
            changes["pauses"] = (*state.pauses[:-1], replace(last, end=d))
    if stage is not state.stage:
        changes["stage_since"] = d
    changes["stage"] = stage
    return _evolve(state, changes)


def _evolve(state: HouseholdState, changes: dict) -> HouseholdState:
    """`dataclasses.replace` without re-running __init__ (replay calls this once per event; measures replay
    thousands of households). Every field changed is a field of the state; the copy stays frozen."""
    new = object.__new__(HouseholdState)
    new.__dict__.update(state.__dict__)
    new.__dict__.update(changes)
    return new


def sort_events(events: Iterable[EventFact]) -> list[EventFact]:
    return sorted(events, key=lambda e: e.sort_key)


def replay(events: Iterable[EventFact], *, fast_track: bool = False, until: date | None = None) -> HouseholdState:
    state = HouseholdState(fast_track=fast_track)
    for e in sort_events(events):
        if until is not None and e.date > until:
            break
        state = apply(state, e)
    return state


def check_new_event(events: Sequence[EventFact], new: EventFact, *, today: date, fast_track: bool = False) -> list[str]:
    if new.date > today:
        return [f"The date cannot be in the future (today is {today:%d/%m/%Y})."]
    try:
        replay([*events, new], fast_track=fast_track)
    except TransitionRefused as refused:
        if refused.event is new or (refused.event.kind is new.kind and refused.event.date == new.date):
            return [refused.message]
        return [f"Recording this would make a later event impossible: {refused.message}"]
    return []


def role_refusal(role: str, kind: Kind) -> str | None:
    if role not in TRANSITIONS[kind].roles:
        return f"Your role cannot record “{KIND_LABELS[kind].lower()}”."
    return None


def kinds_recordable(role: str, state: HouseholdState) -> list[Kind]:
    out = []
    for k, t in TRANSITIONS.items():
        if state.stage not in t.moves or role not in t.roles:
            continue
        if k is Kind.RESUMED and not state.paused:
            continue
        if k in PROGRESS_KINDS and state.paused:
            continue
        if k is Kind.PAUSED and state.paused:
            continue
        if k is Kind.STAGE_2_STARTED and state.stage is Stage.REGISTERED and not state.fast_track:
            continue
        out.append(k)
    return out


# ---------------------------------------------------------------------------------------------
# Timescales, pauses and red/amber/green


@dataclass(frozen=True)
class DueAction:
    key: str
    label: str
    start: date
    due: date
    paused_days: int
    allowed_days: int
    rule: str

    def days_left(self, today: date) -> int:
        return (self.due - today).days

    def rag(self, today: date, amber_fraction: float = 0.25) -> str:
        """'red' when overdue, 'amber' when less than `amber_fraction` of the allowed time is left."""
        left = self.days_left(today)
        if left < 0:
            return "red"
        if left <= max(1, round(self.allowed_days * amber_fraction)):
            return "amber"
        return "green"


def _starts(state: HouseholdState) -> dict[str, date | None]:
    return {
        Kind.ROI_RECEIVED: state.roi,
        Kind.STAGE_1_STARTED: state.stage_1_started,
        Kind.STAGE_1_COMPLETED: state.stage_1_completed,
        Kind.STAGE_2_STARTED: state.stage_2_started,
        Kind.PAR_COMPLETED: state.par_completed,
        Kind.PANEL_RECOMMENDATION: state.panel,
        Kind.ADM_DECISION: state.decision,
    }


def due_actions(state: HouseholdState, rules: Iterable[TimescaleFact], today: date) -> list[DueAction]:
    """Outstanding actions with their due dates, moved on by any time the assessment was paused."""
    if state.stage in (Stage.CLOSED, Stage.NEW):
        return []
    starts = _starts(state)
    out: list[DueAction] = []
    for rule in rules:
        start = starts.get(rule.start_event)
        if start is None:
            continue
        ends = set(rule.end_events)
        if ends & {k.value for k in state.seen}:
            # Stage 2 started also ends the break; an approval ends everything before it.
            continue
        if rule.start_event == Kind.STAGE_1_COMPLETED and state.stage_2_started:
            continue
        if state.stage in (Stage.APPROVED, Stage.MATCHED) and rule.start_event != Kind.ADM_DECISION:
            continue
        base = rule.due_from(start)
        paused = state.paused_days(start, today)
        due = base + timedelta(days=paused)
        out.append(DueAction(rule.key, rule.label, start, due, paused, max(1, (base - start).days), rule.source))
    return sorted(out, key=lambda a: a.due)


def worst_rag(actions: Sequence[DueAction], today: date) -> str | None:
    order = {"red": 0, "amber": 1, "green": 2}
    rags = [a.rag(today) for a in actions]
    return min(rags, key=order.__getitem__) if rags else None


def days_in_stage(state: HouseholdState, today: date) -> int | None:
    return (today - state.stage_since).days if state.stage_since else None
