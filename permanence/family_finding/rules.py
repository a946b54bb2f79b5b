"""The link's journey: a child (or a sibling group placed together) and a household, from the shortlist to the
placement, or ended with a reason. Pure Python: no Django, no clock (dates are parameters).

A link is an append-only list of dated events run by the journey kernel, like the child's and the household's
journeys: its stage, the dates of each step, the end and its reason, and whether it has gone stale are derived
here. Several links may be open for one child; the consequences on the child's and the household's journeys
(linked, matched, placed, link ended) are the services' work, through those journeys' own services.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from permanence.journeys import kernel
from permanence.organisations.vocabulary import (
    ADM,
    DUTY_LABELS,
    LA,  # noqa: F401 (the sides, for access and the pages)
    LA_SOCIAL_WORKER,
    LA_TEAM_MANAGER,
    PANEL_ADVISER,
    RAA,  # noqa: F401
    RAA_ASSESSING_SW,
    RAA_FAMILY_FINDER,
    RAA_TEAM_MANAGER,
    SIDE_LABELS,
    PolicyFact,
)
from permanence.timescales.rules import TimescaleFact


class Stage(StrEnum):
    NEW = "new"
    SHORTLISTED = "shortlisted"
    CONTACT = "contact"  # in contact with the household's worker
    VISIT = "visit"  # the family visited
    INTEREST = "interest"  # an expression of interest, by the adopters or the agency
    LINK_AGREED = "link_agreed"
    PANEL_BOOKED = "panel_booked"
    PANEL_RECOMMENDED = "panel_recommended"
    MATCHED = "matched"  # the ADM's match decision
    INTRODUCTIONS = "introductions"
    PLACED = "placed"
    ENDED = "ended"


STAGE_LABELS: dict[Stage, str] = {
    Stage.NEW: "No events recorded",
    Stage.SHORTLISTED: "Shortlisted",
    Stage.CONTACT: "In contact with the household's worker",
    Stage.VISIT: "Family visited",
    Stage.INTEREST: "Interest expressed",
    Stage.LINK_AGREED: "Link agreed",
    Stage.PANEL_BOOKED: "Matching panel booked",
    Stage.PANEL_RECOMMENDED: "Panel recommendation made, awaiting the match decision",
    Stage.MATCHED: "Matched",
    Stage.INTRODUCTIONS: "Introductions",
    Stage.PLACED: "Placed",
    Stage.ENDED: "Ended",
}
STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
OPEN_STAGES = frozenset(s for s in Stage if s not in (Stage.NEW, Stage.PLACED, Stage.ENDED))
# From the link agreed on: the child's journey knows of the link (its LINKED event), and ending it ends the
# child's link; from the match on, the household's journey knows too.
AGREED_STAGES = frozenset({Stage.LINK_AGREED, Stage.PANEL_BOOKED, Stage.PANEL_RECOMMENDED, Stage.MATCHED,
                           Stage.INTRODUCTIONS})
MATCHED_STAGES = frozenset({Stage.MATCHED, Stage.INTRODUCTIONS})
# Open links before the link is agreed: what the engine counts as a household's open links (its spread).
EXPLORING_STAGES = frozenset({Stage.SHORTLISTED, Stage.CONTACT, Stage.VISIT, Stage.INTEREST})


class Kind(StrEnum):
    SHORTLISTED = "shortlisted"
    CONTACT = "contact"
    VISIT = "visit"
    INTEREST = "interest"
    LINK_AGREED = "link_agreed"
    PANEL_BOOKED = "panel_booked"
    PANEL_RECOMMENDATION = "panel_recommendation"
    MATCH_DECISION = "match_decision"
    INTRODUCTIONS = "introductions"
    PLACED = "placed"
    NOTE = "note"
    ENDED = "ended"


KIND_LABELS: dict[Kind, str] = {
    Kind.SHORTLISTED: "Shortlisted",
    Kind.CONTACT: "Contact with the household's worker",
    Kind.VISIT: "Visit to the family",
    Kind.INTEREST: "Expression of interest",
    Kind.LINK_AGREED: "Link agreed",
    Kind.PANEL_BOOKED: "Matching panel booked",
    Kind.PANEL_RECOMMENDATION: "Matching panel recommendation",
    Kind.MATCH_DECISION: "Match decision",
    Kind.INTRODUCTIONS: "Introductions started",
    Kind.PLACED: "Placed (moved in)",
    Kind.NOTE: "Other activity on the link",
    Kind.ENDED: "Link ended",
}

INTEREST_BY = {"adopters": "The adopters", "agency": "The agency"}
RECOMMENDATIONS = {"match": "Recommended the match", "not_match": "Did not recommend the match",
                   "deferred": "Deferred"}
DECISIONS = {"agreed": "Match agreed", "not_agreed": "Match not agreed"}
END_REASONS: dict[str, str] = {
    "adopters_declined": "The adopters declined",
    "agency_declined": "The agency declined",
    "plan_changed": "The child's plan changed",
    "another_link": "Another link was chosen",
}
DECLINE_REASONS = frozenset({"adopters_declined", "agency_declined"})
# Reasons the journey itself sets (not offered as choices when ending a link).
END_REASON_LABELS: dict[str, str] = {**END_REASONS, "match_not_agreed": "The match was not agreed"}

# Who may record what. The child's LA side: its social worker and team manager; the RAA side: the family
# finder and team manager, the household's assessing worker, the panel adviser, the ADM.
FAMILY_FINDERS = frozenset({RAA_FAMILY_FINDER, RAA_TEAM_MANAGER})
HOUSEHOLD_WORKERS = frozenset({RAA_ASSESSING_SW})
CHILD_WORKERS = frozenset({LA_SOCIAL_WORKER, LA_TEAM_MANAGER})
PANEL = frozenset({PANEL_ADVISER, RAA_TEAM_MANAGER})
DECIDERS = frozenset({ADM})

Transition = kernel.Transition
Recorder = kernel.Recorder
EventFact = kernel.EventFact
TransitionRefused = kernel.TransitionRefused
DueAction = kernel.DueAction
KEEP = kernel.KEEP
_moves = kernel.moves
_dated = kernel.dated

_OPEN = tuple(s for s in STAGE_ORDER if s in OPEN_STAGES)
_FROM_CONTACT = tuple(s for s in _OPEN if s is not Stage.SHORTLISTED)
_BEFORE_AGREED = (Stage.CONTACT, Stage.VISIT, Stage.INTEREST)
_BOTH_SIDES = Recorder(la=CHILD_WORKERS, raa=FAMILY_FINDERS | HOUSEHOLD_WORKERS)


def _end(state: LinkState, event: EventFact) -> dict:
    """Ending, however it comes (a reason given, or a match not agreed): one effect."""
    return {"ended": event.date, "ended_at_stage": state.stage}


def _recommendation(state: LinkState, event: EventFact) -> dict:
    if event.details["recommendation"] == "deferred":
        return {"stage": Stage.LINK_AGREED, "panel_booked": None}  # to be booked again
    return {"recommended": event.date, "recommendation": event.details["recommendation"]}


def _decision(state: LinkState, event: EventFact) -> dict:
    if event.details["decision"] == "agreed":
        return {"matched": event.date}
    return {"stage": Stage.ENDED, "ended_reason": "match_not_agreed"}


TRANSITIONS: dict[Kind, Transition] = kernel.table([
    Transition(
        Kind.SHORTLISTED, {Stage.NEW: Stage.SHORTLISTED}, Recorder(raa=FAMILY_FINDERS),
        "A link starts when a household is shortlisted for the child, once.", once=True,
        sets=_dated("shortlisted")),
    Transition(
        Kind.CONTACT, {Stage.SHORTLISTED: Stage.CONTACT, **_moves(_FROM_CONTACT, KEEP)}, _BOTH_SIDES,
        "Contact with the household's worker is logged on an open link.",
        sets=lambda s, e: {"contacted": s.contacted or e.date}),
    Transition(
        Kind.VISIT, {Stage.CONTACT: Stage.VISIT, **_moves(_FROM_CONTACT[1:], KEEP)}, _BOTH_SIDES,
        "A visit to the family follows contact with the household's worker.",
        sets=lambda s, e: {"visits": (*s.visits, e.date)}),
    Transition(
        Kind.INTEREST, {**_moves(_BEFORE_AGREED[:2], Stage.INTEREST), Stage.INTEREST: KEEP}, _BOTH_SIDES,
        "An expression of interest follows contact with the household's worker, before the link is agreed.",
        details=("by",), accepts=(kernel.Choice("by", INTEREST_BY, "Say who expressed interest: the adopters or "
                                                                   "the agency."),),
        sets=lambda s, e: {"interest": s.interest or e.date, "interest_by": s.interest_by | {e.details["by"]}}),
    Transition(
        Kind.LINK_AGREED, {Stage.INTEREST: Stage.LINK_AGREED},
        Recorder(la=CHILD_WORKERS, raa=FAMILY_FINDERS),
        "A link is agreed after an expression of interest, once.", once=True, sets=_dated("agreed")),
    Transition(
        Kind.PANEL_BOOKED, {Stage.LINK_AGREED: Stage.PANEL_BOOKED, Stage.PANEL_BOOKED: KEEP},
        Recorder(raa=FAMILY_FINDERS | PANEL),
        "A matching panel is booked once the link is agreed.", details=("panel_date",),
        sets=lambda s, e: {"panel_booked": date.fromisoformat(str(e.details["panel_date"]))}),
    Transition(
        Kind.PANEL_RECOMMENDATION, {Stage.PANEL_BOOKED: Stage.PANEL_RECOMMENDED}, Recorder(raa=PANEL),
        "The matching panel makes its recommendation once it is booked.", details=("recommendation",),
        accepts=(kernel.Choice("recommendation", RECOMMENDATIONS,
                               "The recommendation must be to match, not to match, or deferred."),),
        sets=_recommendation),
    Transition(
        Kind.MATCH_DECISION, {Stage.PANEL_RECOMMENDED: Stage.MATCHED},
        Recorder(la=DECIDERS, raa=DECIDERS, duty="match"),
        "The match decision follows the matching panel's recommendation.", details=("decision",), once=True,
        accepts=(kernel.Choice("decision", DECISIONS, "The decision must be match agreed or not agreed."),),
        sets=_decision),
    Transition(
        Kind.INTRODUCTIONS, {Stage.MATCHED: Stage.INTRODUCTIONS}, _BOTH_SIDES,
        "Introductions start after the match decision, once.", once=True, sets=_dated("introductions")),
    Transition(
        Kind.PLACED, _moves((Stage.MATCHED, Stage.INTRODUCTIONS), Stage.PLACED),
        Recorder(la=CHILD_WORKERS, raa=FAMILY_FINDERS),
        "A placement follows the match decision.", once=True, sets=_dated("placed")),
    Transition(
        Kind.NOTE, _moves(_OPEN, KEEP), Recorder(la=CHILD_WORKERS, raa=FAMILY_FINDERS | HOUSEHOLD_WORKERS | PANEL),
        "Other activity is logged on an open link.", details=("summary",)),
    Transition(
        Kind.ENDED, _moves(_OPEN, Stage.ENDED), _BOTH_SIDES,
        "Only an open link can end, with a reason.", details=("reason",),
        accepts=(kernel.Choice("reason", END_REASONS, "Choose why the link ended."),),
        sets=lambda s, e: {"ended_reason": e.details["reason"]}),
])


@dataclass(frozen=True)
class LinkState:
    stage: Stage = Stage.NEW
    stage_since: date | None = None
    shortlisted: date | None = None
    contacted: date | None = None  # the first contact
    visits: tuple[date, ...] = ()
    interest: date | None = None  # the first expression of interest
    interest_by: frozenset[str] = frozenset()
    agreed: date | None = None
    panel_booked: date | None = None  # the panel's date
    recommended: date | None = None
    recommendation: str | None = None
    matched: date | None = None
    introductions: date | None = None
    placed: date | None = None
    ended: date | None = None
    ended_reason: str | None = None
    ended_at_stage: Stage | None = None
    last_activity: date | None = None
    seen: frozenset[Kind] = frozenset()

    @property
    def open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def was_agreed(self) -> bool:
        """The link had been agreed when it ended (or is agreed now)."""
        stage = self.ended_at_stage if self.stage is Stage.ENDED else self.stage
        return stage in AGREED_STAGES or stage is Stage.PLACED

    @property
    def was_matched(self) -> bool:
        stage = self.ended_at_stage if self.stage is Stage.ENDED else self.stage
        return stage in MATCHED_STAGES or stage is Stage.PLACED


JOURNEY = kernel.Journey(
    subject="link",
    kinds=Kind,
    stages=Stage,
    transitions=TRANSITIONS,
    state=LinkState,
    kind_labels=KIND_LABELS,
    stage_labels=STAGE_LABELS,
    on_enter={Stage.ENDED: _end},
    on_every_event=kernel.track_activity,
)


def check_transition_table() -> None:
    kernel.check_table(JOURNEY, TRANSITIONS)


check_transition_table()


def apply(state: LinkState, event: EventFact) -> LinkState:
    return kernel.apply(JOURNEY, state, event)


def replay(events: Iterable[EventFact], *, until: date | None = None) -> LinkState:
    return kernel.replay(JOURNEY, events, until=until)


def check_new_event(events: Sequence[EventFact], new: EventFact, *, today: date) -> list[str]:
    return kernel.check_new_event(JOURNEY, events, new, today=today)


# ---------------------------------------------------------------------------------------------
# Who may record what: the role and side by the table; the match decision by the child's LA's policy


def recording_refusal(role: str, side: str | None, kind: Kind, policy: PolicyFact | None) -> str | None:
    """Why someone in `role` on `side` ('la' or 'raa') may not record `kind` on a link, or None if they may.
    The match decision belongs to the LA's ADM unless the child's LA delegates it to the RAA's."""
    duty = TRANSITIONS[kind].recorder.duty
    if duty is not None:
        duty_side = (policy or PolicyFact(effective_from=date.min)).duty_side(duty)
        if side != duty_side:
            return (f"Under the child's LA's policy {DUTY_LABELS[duty]} belongs to {SIDE_LABELS[duty_side]}'s "
                    "agency decision maker.")
    return kernel.role_refusal(JOURNEY, role, kind, side)


def kinds_recordable(role: str, side: str | None, policy: PolicyFact | None, state: LinkState) -> list[Kind]:
    """The kinds this person may record next on this link (the same table `apply` reads)."""
    return [k for k in TRANSITIONS if kernel.recordable(JOURNEY, state, k)
            and recording_refusal(role, side, k, policy) is None]


# ---------------------------------------------------------------------------------------------
# Going stale: an open link with no activity for the timescale's length


STALE_KEY = "link_no_activity"
ACTIVITY = "any_event"  # the stale timescale's start: the link's latest event, of any kind
DEFAULT_STALE = TimescaleFact(
    key=STALE_KEY, label="Record activity on the link", start_event=ACTIVITY, end_events=("placed", "ended"),
    amount=28, unit="days", source="Permanence default (domain.md section 4: links left open after a \u201cno\u201d)")


def due_actions(state: LinkState, rules: Iterable[TimescaleFact]) -> list[DueAction]:
    """The link's next activity due under the timescales in force (each starts from the link's latest event);
    none once the link is placed or ended. Without a 'no activity' timescale in force, DEFAULT_STALE applies."""
    if not state.open:
        return []
    rules = list(rules)
    if not any(r.key == STALE_KEY for r in rules):
        rules.append(DEFAULT_STALE)
    return kernel.due_actions(rules, {ACTIVITY: state.last_activity}, finished=lambda rule: False)


def stale_action(state: LinkState, rules: Iterable[TimescaleFact]) -> DueAction | None:
    return next((a for a in due_actions(state, rules) if a.key == STALE_KEY), None)


def is_stale(state: LinkState, rules: Iterable[TimescaleFact], on: date) -> bool:
    """Open, and no activity for longer than the 'no activity' timescale on `on`."""
    action = stale_action(state, rules)
    return action is not None and action.overdue_on(on)
