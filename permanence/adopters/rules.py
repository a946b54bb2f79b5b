"""The adopters' journey: event kinds, stages, the transition table and what is derived from events.

Pure Python: no Django, no clock. Like the child's journey, a household's assessment is an append-only list of
dated events; the stage, the pauses, the due actions and the red/amber/green status are derived here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from permanence.children import rules as child_rules
from permanence.journeys import kernel
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

Transition = kernel.Transition
EventFact = kernel.EventFact
TransitionRefused = kernel.TransitionRefused
DueAction = kernel.DueAction
sort_events = kernel.sort_events
worst_rag = kernel.worst_rag
KEEP = kernel.KEEP
_ASSESSING = ASSESSMENT_STAGES
_IN_ASSESSMENT = (Stage.STAGE_1, Stage.STAGE_1_COMPLETE, Stage.BREAK, Stage.STAGE_2)
_moves = kernel.moves
_dated = kernel.dated


def _by(roles: frozenset[str]) -> kernel.Recorder:
    return kernel.Recorder(raa=roles)  # the RAA does all the adopters' work


def _paused_unless(needs: tuple[str, ...], kind: Kind) -> tuple[str, ...]:
    return (*needs, "not_paused") if kind in PROGRESS_KINDS else needs


def _t(kind: Kind, moves: dict, roles: frozenset[str], hint: str, *, needs: tuple[str, ...] = (),
       **rest) -> Transition:
    """A row of the table: progress kinds need the assessment not to be paused."""
    return Transition(kind, moves, _by(roles), hint, needs=_paused_unless(needs, kind), **rest)


def _end_pause(state: HouseholdState, day: date) -> tuple[Pause, ...]:
    if not state.paused:
        return state.pauses
    return (*state.pauses[:-1], replace(state.pauses[-1], end=day))


def _close(state: HouseholdState, event: EventFact) -> dict:
    """Closing, however it comes (withdrawal, a declined registration, not approved): one effect, which ends any
    pause, since a closed household's clock is not stopped but finished."""
    return {"closed": event.date, "closed_at_stage": state.stage, "pauses": _end_pause(state, event.date)}


def _roi_decision(state: HouseholdState, event: EventFact) -> dict:
    if event.details["outcome"] == "accepted":
        return {"roi_decision": event.date, "stage": Stage.REGISTERED}
    return {"roi_decision": event.date, "stage": Stage.CLOSED, "close_reason": "roi_declined"}


def _panel(state: HouseholdState, event: EventFact) -> dict:
    if event.details["recommendation"] == "deferred":
        return {"stage": Stage.AWAITING_PANEL}  # back to waiting for a panel: no decision is due yet
    return {"panel": event.date}


def _adm_decision(state: HouseholdState, event: EventFact) -> dict:
    if event.details["decision"] == "approved":
        return {"decision": event.date, "stage": Stage.APPROVED, "approved": event.date}
    return {"decision": event.date, "stage": Stage.CLOSED, "close_reason": "not_approved"}


def _check(name: str) -> kernel.Choice:
    return kernel.Choice(name, CHECKS, "Choose which check: DBS, references, medical or local authority checks.")


TRANSITIONS: dict[Kind, Transition] = kernel.table([
    _t(Kind.ROI_RECEIVED, {Stage.NEW: Stage.ROI}, ASSESSORS,
       "A registration of interest starts the household's journey and is recorded once.", once=True,
       sets=lambda s, e: {"roi": e.date, "fast_track": s.fast_track or bool(e.details.get("fast_track"))}),
    _t(Kind.ROI_DECISION, {Stage.ROI: KEEP}, ASSESSORS,
       "The agency decides on a registration of interest once it has been received.",
       details=("outcome",), once=True,
       accepts=(kernel.Choice("outcome", ROI_OUTCOMES, "The outcome must be accepted or declined."),),
       sets=_roi_decision),
    _t(Kind.STAGE_1_STARTED, {Stage.REGISTERED: Stage.STAGE_1}, ASSESSORS,
       "Stage 1 starts after the registration of interest is accepted (fast-track households skip it).",
       once=True, sets=_dated("stage_1_started")),
    _t(Kind.CHECK_REQUESTED, _moves(_IN_ASSESSMENT, KEEP), ASSESSORS, "Statutory checks are made during the assessment.",
       details=("check",), accepts=(_check("check"),),
       sets=lambda s, e: {"checks_requested": s.checks_requested | {e.details["check"]}}),
    _t(Kind.CHECK_RECEIVED, _moves(_IN_ASSESSMENT, KEEP), ASSESSORS, "A check is received after it was requested.",
       details=("check",), accepts=(_check("check"),), needs=("check_requested",),
       sets=lambda s, e: {"checks_received": s.checks_received | {e.details["check"]}}),
    _t(Kind.TRAINING_COMPLETED, _moves(_IN_ASSESSMENT, KEEP), ASSESSORS,
       "Preparation training is completed during the assessment."),
    _t(Kind.STAGE_1_COMPLETED, {Stage.STAGE_1: Stage.STAGE_1_COMPLETE}, ASSESSORS,
       "Stage 1 can be completed once it has started.", once=True, sets=_dated("stage_1_completed")),
    _t(Kind.BREAK_STARTED, {Stage.STAGE_1_COMPLETE: Stage.BREAK}, ASSESSORS,
       "A break is taken between stage 1 and stage 2.", sets=_dated("break_started")),
    _t(Kind.STAGE_2_STARTED, _moves((Stage.STAGE_1_COMPLETE, Stage.BREAK), Stage.STAGE_2) | {
       Stage.REGISTERED: Stage.STAGE_2}, ASSESSORS,
       "Stage 2 starts with the adopters' notice to proceed after stage 1 (or straight after "
       "registration on the fast track).", once=True, needs=("stage_1_or_fast_track",),
       sets=_dated("stage_2_started")),
    _t(Kind.HOME_VISIT, {Stage.STAGE_2: KEEP}, ASSESSORS, "Home study visits happen in stage 2."),
    _t(Kind.PAR_COMPLETED, {Stage.STAGE_2: Stage.AWAITING_PANEL}, ASSESSORS,
       "The prospective adopter's report completes stage 2.", sets=_dated("par_completed")),
    _t(Kind.PANEL_RECOMMENDATION, {Stage.AWAITING_PANEL: Stage.AWAITING_DECISION}, PANEL,
       "The panel considers a household once the prospective adopter's report is done.",
       details=("recommendation",),
       accepts=(kernel.Choice("recommendation", RECOMMENDATIONS,
                              "The recommendation must be approve, not approve or deferred."),),
       sets=_panel),
    _t(Kind.ADM_DECISION, {Stage.AWAITING_DECISION: KEEP}, DECIDERS,
       "The agency decision follows the panel's recommendation.", details=("decision",),
       accepts=(kernel.Choice("decision", DECISIONS, "The decision must be approved or not approved."),),
       sets=_adm_decision),
    _t(Kind.POST_APPROVAL_TRAINING, _moves((Stage.APPROVED, Stage.MATCHED), KEEP), ASSESSORS,
       "Post-approval training is for approved adopters."),
    _t(Kind.MATCHED, {Stage.APPROVED: Stage.MATCHED}, FAMILY_FINDING,
       "Only approved adopters can be matched.", sets=_dated("matched")),
    _t(Kind.MATCH_ENDED, {Stage.MATCHED: Stage.APPROVED}, FAMILY_FINDING,
       "Only a match can end.", details=("reason",), sets=kernel.cleared("matched")),
    _t(Kind.PAUSED, _moves(_ASSESSING, KEEP), ASSESSORS,
       "An assessment can be paused while it is in progress and not already paused.",
       details=("reason",), needs=("not_already_paused",),
       sets=lambda s, e: {"pauses": (*s.pauses, Pause(e.date, None, str(e.details.get("reason", ""))))}),
    _t(Kind.RESUMED, _moves(_ASSESSING, KEEP), ASSESSORS, "Only a paused assessment can resume.",
       needs=("paused",), sets=lambda s, e: {"pauses": _end_pause(s, e.date)}),
    _t(Kind.CLOSED, _moves((*_ASSESSING, Stage.APPROVED, Stage.MATCHED), Stage.CLOSED), ASSESSORS,
       "A household can close or withdraw at any stage, with a reason.", details=("reason",),
       accepts=(kernel.Choice("reason", CLOSE_REASONS, "Choose a reason for closing."),),
       sets=lambda s, e: {"close_reason": e.details["reason"]}),
])


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


JOURNEY = kernel.Journey(
    subject="household",
    kinds=Kind,
    stages=Stage,
    transitions=TRANSITIONS,
    state=HouseholdState,
    kind_labels=KIND_LABELS,
    stage_labels=STAGE_LABELS,
    conditions={
        "not_paused": kernel.Condition(lambda s, e: not s.paused,
                                       "The assessment is paused: record that it resumed first."),
        "not_already_paused": kernel.Condition(lambda s, e: not s.paused, "The assessment is already paused."),
        "paused": kernel.Condition(lambda s, e: s.paused, "The assessment is not paused."),
        "stage_1_or_fast_track": kernel.Condition(
            lambda s, e: s.stage is not Stage.REGISTERED or s.fast_track,
            "Only fast-track households (previous adopters or approved foster carers) skip stage 1."),
        "check_requested": kernel.Condition(lambda s, e: e.details.get("check") in s.checks_requested,
                                            "That check has not been requested yet.", on_state_only=False),
    },
    on_enter={Stage.CLOSED: _close},
    on_every_event=lambda s, e, stage: {"stage_since": e.date} if stage is not s.stage else {},
    reached_otherwise=frozenset({Stage.REGISTERED, Stage.APPROVED, Stage.CLOSED}),  # via decisions
)


def check_transition_table() -> None:
    kernel.check_table(JOURNEY, TRANSITIONS)


check_transition_table()


def apply(state: HouseholdState, event: EventFact) -> HouseholdState:
    return kernel.apply(JOURNEY, state, event)


def replay(events: Iterable[EventFact], *, fast_track: bool = False, until: date | None = None) -> HouseholdState:
    return kernel.replay(JOURNEY, events, until=until, start=HouseholdState(fast_track=fast_track))


def check_new_event(events: Sequence[EventFact], new: EventFact, *, today: date, fast_track: bool = False) -> list[str]:
    return kernel.check_new_event(JOURNEY, events, new, today=today, start=HouseholdState(fast_track=fast_track))


def role_refusal(role: str, kind: Kind) -> str | None:
    return kernel.role_refusal(JOURNEY, role, kind)


def kinds_recordable(role: str, state: HouseholdState) -> list[Kind]:
    """The event kinds this person may record next: those the journey would accept from the household's current
    state (its stage, what happens once, the conditions on the state – the same table `apply` reads)."""
    return [k for k, t in TRANSITIONS.items() if role in t.roles and kernel.recordable(JOURNEY, state, k)]


# ---------------------------------------------------------------------------------------------
# Timescales, pauses and red/amber/green


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
    seen = {k.value for k in state.seen}

    def finished(rule: TimescaleFact) -> bool:
        if set(rule.end_events) & seen:
            return True  # Stage 2 started also ends the break; an approval ends everything before it.
        if rule.start_event == Kind.STAGE_1_COMPLETED and state.stage_2_started:
            return True
        return state.stage in (Stage.APPROVED, Stage.MATCHED) and rule.start_event != Kind.ADM_DECISION

    return kernel.due_actions(rules, _starts(state), finished=finished,
                              paused_days=lambda start: state.paused_days(start, today), paused=state.paused)


def days_in_stage(state: HouseholdState, today: date) -> int | None:
    return (today - state.stage_since).days if state.stage_since else None
