"""The child's journey: event kinds, stages, the transition table and everything derived from events.

Pure Python (no Django, no clock): every function takes the dates it needs as parameters.
The journey is an append-only list of dated events; the stage, the case holder on any date,
the due actions and the priority flags are all derived here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from permanence.journeys import kernel
from permanence.timescales.rules import TimescaleFact


class Stage(StrEnum):
    NEW = "new"
    TRACKING = "tracking"
    IN_CARE = "in_care"
    IDENTIFIED = "identified"
    PLAN_FOR_ADOPTION = "plan_for_adoption"
    SHOULD_BE_PLACED = "should_be_placed"
    PLACEMENT_ORDER = "placement_order"
    LINKED = "linked"
    MATCHED = "matched"
    PLACED = "placed"
    ADOPTED = "adopted"
    PO_REVOKED = "po_revoked"
    PLAN_CHANGED = "plan_changed"


STAGE_LABELS: dict[Stage, str] = {
    Stage.NEW: "No events recorded",
    Stage.TRACKING: "Tracked before entering care",
    Stage.IN_CARE: "In care",
    Stage.IDENTIFIED: "Identified as possibly needing adoption",
    Stage.PLAN_FOR_ADOPTION: "Plan for adoption",
    Stage.SHOULD_BE_PLACED: "Should be placed for adoption",
    Stage.PLACEMENT_ORDER: "Placement order, waiting for a match",
    Stage.LINKED: "Linked with prospective adopters",
    Stage.MATCHED: "Matched",
    Stage.PLACED: "Placed for adoption",
    Stage.ADOPTED: "Adopted",
    Stage.PO_REVOKED: "Placement order revoked",
    Stage.PLAN_CHANGED: "Plan changed away from adoption",
}

# Stages in the order a journey usually passes through them (for lists and filters).
STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
CLOSED_STAGES = frozenset({Stage.ADOPTED, Stage.PLAN_CHANGED})
OPEN_STAGES = frozenset(s for s in Stage if s not in CLOSED_STAGES and s is not Stage.NEW)


class Kind(StrEnum):
    IDENTIFIED = "identified"
    ENTERED_CARE = "entered_care"
    PERMANENCE_PLAN = "permanence_plan"
    SHOULD_BE_PLACED = "should_be_placed"
    PLACEMENT_ORDER = "placement_order"
    EARLY_PERMANENCE = "early_permanence_placement"
    EARLY_PERMANENCE_ENDED = "early_permanence_ended"
    LINKED = "linked"
    APR = "adoption_placement_report"
    MATCHING_PANEL = "matching_panel"
    MATCH_DECISION = "match_decision"
    LINK_ENDED = "link_ended"
    PLACEMENT_PLAN = "placement_plan"
    PLACED = "placed_for_adoption"
    PLACEMENT_REVIEW = "placement_review"
    DISRUPTION = "disruption"
    ADOPTION_APPLICATION = "adoption_application"
    ADOPTION_ORDER = "adoption_order"
    LIFE_STORY_BOOK = "life_story_book"
    LATER_LIFE_LETTER = "later_life_letter"
    PO_REVOKED = "po_revoked"
    PLAN_CHANGED = "plan_changed"
    VISIT = "visit"


KIND_LABELS: dict[Kind, str] = {
    Kind.IDENTIFIED: "Identified as possibly needing adoption",
    Kind.ENTERED_CARE: "Entered care",
    Kind.PERMANENCE_PLAN: "Plan for adoption agreed at review",
    Kind.SHOULD_BE_PLACED: "Decision: should be placed for adoption",
    Kind.PLACEMENT_ORDER: "Placement order granted",
    Kind.EARLY_PERMANENCE: "Early permanence placement",
    Kind.EARLY_PERMANENCE_ENDED: "Early permanence placement ended",
    Kind.LINKED: "Linked with prospective adopters",
    Kind.APR: "Adoption placement report completed",
    Kind.MATCHING_PANEL: "Matching panel recommendation",
    Kind.MATCH_DECISION: "Decision: match agreed",
    Kind.LINK_ENDED: "Link or match ended before placement",
    Kind.PLACEMENT_PLAN: "Adoption placement plan agreed",
    Kind.PLACED: "Placed for adoption (moved in)",
    Kind.PLACEMENT_REVIEW: "Adoption placement review held",
    Kind.DISRUPTION: "Placement disrupted before the adoption order",
    Kind.ADOPTION_APPLICATION: "Adoption application made",
    Kind.ADOPTION_ORDER: "Adoption order granted",
    Kind.LIFE_STORY_BOOK: "Life story book handed to adopters",
    Kind.LATER_LIFE_LETTER: "Later life letter handed to adopters",
    Kind.PO_REVOKED: "Placement order revoked",
    Kind.PLAN_CHANGED: "Plan changed away from adoption",
    Kind.VISIT: "Visit to the child",
}

# Same-day events are replayed in this order (an entry into care before a placement order
# granted on the same day, a match before the move-in).
KIND_ORDER: dict[Kind, int] = {k: i for i, k in enumerate(Kind)}

PLAN_CHANGE_REASONS: dict[str, str] = {
    "RD1": "RD1 – the child's needs changed",
    "RD2": "RD2 – the court did not make a placement order",
    "RD3": "RD3 – prospective adopters could not be found",
    "RD4": "RD4 – any other reason",
}

EP_NOT_RECORDED = "not_recorded"
EARLY_PERMANENCE_TYPES: dict[str, str] = {
    "ffa": "Fostering for Adoption",
    "concurrent": "Concurrent planning",
    EP_NOT_RECORDED: "Fostering for Adoption or concurrent planning (not recorded which)",
}
# Who the early permanence carers are: SSDA903 PLACE U2 (a relative or friend) or U5 (another foster carer),
# both approved adopters. The code does not say whether the placement is FfA or concurrent planning.
EARLY_PERMANENCE_CARERS: dict[str, str] = {
    "connected": "A relative or friend who is an approved adopter (SSDA903 U2)",
    "other": "Another foster carer who is an approved adopter (SSDA903 U5)",
}
# Why an early permanence placement ended without becoming the adoptive placement.
EARLY_PERMANENCE_END_REASONS: dict[str, str] = {
    "birth_family": "The child returned to the birth family",
    "plan_changed": "The plan changed",
    "broke_down": "The placement broke down",
    "other": "Other",
}
# Not a reason anyone chooses: the child moved in with other adopters while the placement was in force.
EP_MOVED_TO_ADOPTERS = "moved_to_adopters"
EP_END_LABELS = {**EARLY_PERMANENCE_END_REASONS,
                 EP_MOVED_TO_ADOPTERS: "The child moved in with other adopters"}

# Why an adoptive placement disrupted before the adoption order (a person chooses one and says more in the
# reason). An SSDA903 return says only that the placement ended, so an imported disruption's cause is
# DISRUPTION_NOT_RECORDED, as is every disruption recorded before the cause was asked.
DISRUPTION_NOT_RECORDED = "not_recorded"
DISRUPTION_CAUSES: dict[str, str] = {
    "child_needs": "The child's needs were more than the adopters could meet",
    "adopters_circumstances": "The adopters' circumstances changed (health, relationship, family)",
    "relationship": "The child and the adopters did not form a relationship",
    "safeguarding": "A safeguarding concern",
    "legal": "A court or legal reason (for example, leave to oppose the adoption order)",
    "other": "Another reason",
    DISRUPTION_NOT_RECORDED: "Not recorded (imported, or recorded before the cause was asked)",
}

# The placement reviews' clocks (Adoption Agencies Regulations 2005 reg 36(1)): timescales.Timescale rows start
# from the placement (placed_for_adoption), from the first review (FIRST_PLACEMENT_REVIEW) and from the latest of
# the later ones (LATER_PLACEMENT_REVIEW); each ends with a placement_review. See due_actions.
FIRST_PLACEMENT_REVIEW = "first_placement_review"
LATER_PLACEMENT_REVIEW = "later_placement_review"

# Roles, sides and the per-LA policy are the organisations' vocabulary (organisations/vocabulary.py); the names
# stay importable from here.
from permanence.organisations.vocabulary import (  # noqa: E402, F401
    ADM,
    BOARD_MEMBER,
    CASE_HOLDING_LABELS,
    DATA_OFFICER,
    DUTY_LABELS,
    LA,
    LA_CASE_ROLES,
    LA_KEEPS,
    LA_SOCIAL_WORKER,
    LA_TEAM_MANAGER,
    PANEL_ADVISER,
    RAA,
    RAA_ASSESSING_SW,
    RAA_AT_PO,
    RAA_AT_PO_AGE_LIMIT,
    RAA_CASE_ROLES,
    RAA_FAMILY_FINDER,
    RAA_HEAD_OF_SERVICE,
    RAA_SUPPORT_WORKER,
    RAA_TEAM_MANAGER,
    SIDE_LABELS,
    SYSTEM_ADMINISTRATOR,
    PolicyFact,
    policy_on,
)

Recorder = kernel.Recorder
Transition = kernel.Transition
EventFact = kernel.EventFact
TransitionRefused = kernel.TransitionRefused
DueAction = kernel.DueAction
sort_events = kernel.sort_events
KEEP = kernel.KEEP  # the event does not change the stage
WAITING = "waiting"  # back to the stage a child waits in: placement order if held, else should-be-placed

_PRE_PO = (Stage.IN_CARE, Stage.IDENTIFIED, Stage.PLAN_FOR_ADOPTION)
_ANY_OPEN = tuple(s for s in STAGE_ORDER if s in OPEN_STAGES)
_moves = kernel.moves
_dated, _cleared = kernel.dated, kernel.cleared


def _placed(state: JourneyState, event: EventFact) -> dict:
    # A10's earlier start only when the child is adopted by the carers it already lived with (its foster
    # carers, or its early permanence carers), which the placement says. An early permanence placement
    # followed by adoption by someone else counts from this move-in, as A1 does.
    carers_from = event.details.get("moved_in_with_carers")
    by_carers = bool(event.details.get("by_foster_carers"))
    out: dict = {"placed_date": event.date, "moved_in_with_carers": None, "placement_reviews": ()}
    if by_carers and carers_from:
        out["moved_in_with_carers"] = date.fromisoformat(str(carers_from))
    if state.ep_in_force:
        # The early permanence placement becomes the adoptive placement (converted), or ends as the child moves
        # in with other adopters.
        if by_carers:
            out["ep_converted"] = event.date
        else:
            out.update(ep_ended=event.date, ep_end_reason=EP_MOVED_TO_ADOPTERS)
    return out


def _early_permanence(state: JourneyState, event: EventFact) -> dict:
    household = event.details.get("household")
    return {"early_permanence": event.date, "early_permanence_type": event.details.get("placement_type"),
            "ep_household": str(household) if household not in (None, "") else None,
            "ep_ended": None, "ep_end_reason": None, "ep_converted": None}


def _disrupted(state: JourneyState, event: EventFact) -> dict:
    cause = event.details.get("cause") or DISRUPTION_NOT_RECORDED
    return {**dict.fromkeys((*_LINK_FIELDS, "placed_date", "moved_in_with_carers", "early_permanence",
                             "early_permanence_type", "ep_household", "ep_ended", "ep_end_reason", "ep_converted")),
            "placement_reviews": (),
            "disruptions": (*state.disruptions, Disruption(event.date, cause, str(event.details.get("reason") or "")))}


# What a link or a match carries, undone when it ends: the dates of its steps and of its papers.
_LINK_FIELDS = ("linked", "panel_date", "match_date", "apr_date", "placement_plan_date")

TRANSITIONS: dict[Kind, Transition] = kernel.table([
    Transition(
        Kind.IDENTIFIED,
        {Stage.NEW: Stage.TRACKING, Stage.IN_CARE: Stage.IDENTIFIED},
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES),
        "A child is identified once, before any plan for adoption is made.",
        once=True,
        sets=_dated("identified"),
    ),
    Transition(
        Kind.ENTERED_CARE,
        {Stage.NEW: Stage.IN_CARE, Stage.TRACKING: Stage.IDENTIFIED},
        Recorder(la=LA_CASE_ROLES | {DATA_OFFICER}),
        "Entering care starts the period of care and is recorded once, before any other step.",
        once=True,
        sets=_dated("entered_care"),
    ),
    Transition(
        Kind.PERMANENCE_PLAN,
        _moves((Stage.IN_CARE, Stage.IDENTIFIED, Stage.PLAN_CHANGED), Stage.PLAN_FOR_ADOPTION),
        Recorder(la=LA_CASE_ROLES),
        "A plan for adoption needs the child to be in care, before the should-be-placed decision.",
        needs=("in_care",),
        sets=_dated("plan_date", plan_changed=None, plan_change_reason=None),
    ),
    Transition(
        Kind.SHOULD_BE_PLACED,
        _moves((*_PRE_PO, Stage.PO_REVOKED), Stage.SHOULD_BE_PLACED),
        Recorder(la=LA_CASE_ROLES | {ADM}, raa=frozenset({ADM, RAA_TEAM_MANAGER}), duty="should_be_placed"),
        "The should-be-placed decision needs the child to be in care and comes before the placement order.",
        sets=_dated("should_be_placed"),
    ),
    Transition(
        Kind.PLACEMENT_ORDER,
        {
            **_moves((*_PRE_PO, Stage.SHOULD_BE_PLACED, Stage.PO_REVOKED), Stage.PLACEMENT_ORDER),
            **_moves((Stage.LINKED, Stage.MATCHED, Stage.PLACED), KEEP),
        },
        Recorder(la=LA_CASE_ROLES | {DATA_OFFICER}),
        "A placement order needs the child to be in care and not to hold a placement order already.",
        needs=("no_po",),
        sets=lambda s, e: {"po_date": e.date, "first_po_date": s.first_po_date or e.date},
    ),
    Transition(
        Kind.EARLY_PERMANENCE,
        _moves((*_PRE_PO, Stage.SHOULD_BE_PLACED, Stage.PLACEMENT_ORDER, Stage.LINKED, Stage.MATCHED), KEEP),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES),
        "An early permanence placement needs the child to be in care and not yet placed for adoption.",
        details=("placement_type",),
        accepts=(
            kernel.Choice("placement_type", EARLY_PERMANENCE_TYPES,
                          "The placement type must be Fostering for Adoption or concurrent planning."),
            kernel.Choice("carer", EARLY_PERMANENCE_CARERS,
                          "The carers must be a relative or friend, or another foster carer.", default="connected"),
        ),
        sets=_early_permanence,
    ),
    Transition(
        Kind.EARLY_PERMANENCE_ENDED,
        _moves((*_PRE_PO, Stage.SHOULD_BE_PLACED, Stage.PLACEMENT_ORDER, Stage.LINKED, Stage.MATCHED,
                Stage.PO_REVOKED, Stage.PLAN_CHANGED), KEEP),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES),
        "An early permanence placement can end only while it is in force, before it becomes the adoptive "
        "placement.",
        needs=("ep_in_force",),
        accepts=(kernel.Choice("end_reason", EARLY_PERMANENCE_END_REASONS,
                               "Choose why the early permanence placement ended."),),
        sets=lambda s, e: {"ep_ended": e.date, "ep_end_reason": e.details.get("end_reason")},
    ),
    Transition(
        Kind.LINKED,
        _moves((Stage.SHOULD_BE_PLACED, Stage.PLACEMENT_ORDER), Stage.LINKED),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES),
        "A link needs a should-be-placed decision or a placement order, and no open link.",
        sets=_dated("linked"),
    ),
    Transition(
        Kind.APR,
        _moves((Stage.SHOULD_BE_PLACED, Stage.PLACEMENT_ORDER, Stage.LINKED, Stage.MATCHED), KEEP),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES),
        "The adoption placement report is written for a proposed match: after the should-be-placed decision and "
        "before the child is placed.",
        sets=_dated("apr_date"),
    ),
    Transition(
        Kind.MATCHING_PANEL,
        _moves((Stage.LINKED,), KEEP),
        Recorder(raa=RAA_CASE_ROLES | {PANEL_ADVISER}),
        "A matching panel considers a link: record the link first.",
        sets=_dated("panel_date"),
    ),
    Transition(
        Kind.MATCH_DECISION,
        _moves((Stage.SHOULD_BE_PLACED, Stage.PLACEMENT_ORDER, Stage.LINKED), Stage.MATCHED),
        Recorder(la=LA_CASE_ROLES | {ADM}, raa=frozenset({ADM, RAA_TEAM_MANAGER}), duty="match"),
        "A match decision needs a should-be-placed decision or a placement order, and no match already.",
        sets=_dated("match_date"),
    ),
    Transition(
        Kind.LINK_ENDED,
        _moves((Stage.LINKED, Stage.MATCHED), WAITING),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES),
        "Only an open link or match that has not led to a placement can end.",
        details=("reason",),
        sets=_cleared(*_LINK_FIELDS),
    ),
    Transition(
        Kind.PLACEMENT_PLAN,
        _moves((Stage.MATCHED, Stage.PLACED), KEEP),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES),
        "A placement plan is agreed for a match: after the match decision, before or after the move-in.",
        sets=_dated("placement_plan_date"),
    ),
    Transition(
        Kind.PLACED,
        _moves((Stage.MATCHED,), Stage.PLACED),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES),
        "A child is placed for adoption after the match decision.",
        sets=_placed,
    ),
    Transition(
        Kind.PLACEMENT_REVIEW,
        _moves((Stage.PLACED,), KEEP),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES),
        "A placement review is held while the child is placed for adoption, before the adoption order.",
        sets=lambda s, e: {"placement_reviews": (*s.placement_reviews, e.date)},
    ),
    Transition(
        Kind.DISRUPTION,
        _moves((Stage.PLACED,), WAITING),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES),
        "A disruption ends an adoptive placement before the adoption order.",
        details=("reason",),
        accepts=(kernel.Choice("cause", DISRUPTION_CAUSES, "Choose why the placement disrupted.",
                               default=DISRUPTION_NOT_RECORDED),),
        sets=_disrupted,
    ),
    Transition(
        Kind.ADOPTION_APPLICATION,
        _moves((Stage.PLACED,), KEEP),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES),
        "An adoption application is made once the child is placed for adoption.",
        once=True,
    ),
    Transition(
        Kind.ADOPTION_ORDER,
        _moves((Stage.PLACED,), Stage.ADOPTED),
        Recorder(la=LA_CASE_ROLES | {DATA_OFFICER}, raa=RAA_CASE_ROLES),
        "An adoption order needs the child to be placed for adoption first.",
        sets=_dated("adoption_order"),
    ),
    Transition(
        Kind.LIFE_STORY_BOOK,
        _moves((Stage.PLACED, Stage.ADOPTED), KEEP),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES, duty="lsb"),
        "The life story book is handed to the adopters once the child is placed, once.",
        once=True,
    ),
    Transition(
        Kind.LATER_LIFE_LETTER,
        _moves((Stage.PLACED, Stage.ADOPTED), KEEP),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES, duty="lll"),
        "The later life letter is handed to the adopters once the child is placed, once.",
        once=True,
    ),
    Transition(
        Kind.PO_REVOKED,
        _moves((Stage.PLACEMENT_ORDER, Stage.LINKED, Stage.MATCHED), Stage.PO_REVOKED),
        Recorder(la=LA_CASE_ROLES),
        "Only a placement order in force, for a child not yet placed, can be revoked.",
        needs=("po",),
        sets=_dated("po_revoked", po_date=None, **dict.fromkeys(_LINK_FIELDS)),
    ),
    Transition(
        Kind.PLAN_CHANGED,
        _moves(_ANY_OPEN, Stage.PLAN_CHANGED),
        Recorder(la=LA_CASE_ROLES),
        "A plan can change away from adoption at any point before the adoption order.",
        details=("reason",),
        accepts=(kernel.Choice("reason", PLAN_CHANGE_REASONS, "The reason must be one of RD1, RD2, RD3 or RD4."),),
        sets=lambda s, e: {"plan_changed": e.date, "plan_change_reason": e.details.get("reason")},
    ),
    Transition(
        Kind.VISIT,
        _moves((*_ANY_OPEN, Stage.ADOPTED), KEEP),
        Recorder(la=LA_CASE_ROLES, raa=RAA_CASE_ROLES | {RAA_SUPPORT_WORKER}),
        "A visit is recorded for a child whose journey has started.",
    ),
])


@dataclass(frozen=True)
class Disruption:
    """A disruption of an adoptive placement, kept for the learning review it prompts."""

    date: date
    cause: str  # DISRUPTION_CAUSES
    reason: str = ""

    @property
    def cause_label(self) -> str:
        return DISRUPTION_CAUSES.get(self.cause, self.cause)


@dataclass(frozen=True)
class JourneyState:
    stage: Stage = Stage.NEW
    entered_care: date | None = None
    identified: date | None = None
    plan_date: date | None = None
    should_be_placed: date | None = None
    po_date: date | None = None  # the placement order in force, if any
    first_po_date: date | None = None
    po_revoked: date | None = None
    linked: date | None = None
    panel_date: date | None = None
    match_date: date | None = None
    placed_date: date | None = None
    moved_in_with_carers: date | None = None  # for A10: when the care of carers who adopt began
    early_permanence: date | None = None  # the latest early permanence placement began (cleared by a disruption)
    early_permanence_type: str | None = None
    ep_household: str | None = None  # the household's id (as recorded) of that placement
    ep_ended: date | None = None  # it ended without becoming the adoptive placement…
    ep_end_reason: str | None = None  # …for this reason (EP_END_LABELS)
    ep_converted: date | None = None  # it became the adoptive placement on this date (the move-in)
    apr_date: date | None = None  # the adoption placement report for the match in prospect or in force
    placement_plan_date: date | None = None
    placement_reviews: tuple[date, ...] = ()  # the placement reviews of the adoptive placement in force
    disruptions: tuple[Disruption, ...] = ()  # every disruption, for the learning review prompt
    adoption_order: date | None = None
    plan_changed: date | None = None
    plan_change_reason: str | None = None
    last_event: date | None = None
    seen: frozenset[Kind] = frozenset()

    @property
    def has_po(self) -> bool:
        return self.po_date is not None

    @property
    def ep_in_force(self) -> bool:
        """An early permanence placement that has neither ended nor become the adoptive placement."""
        return self.early_permanence is not None and self.ep_ended is None and self.ep_converted is None

    @property
    def in_care(self) -> bool:
        return self.entered_care is not None and self.adoption_order is None


JOURNEY = kernel.Journey(
    subject="child",
    kinds=Kind,
    stages=Stage,
    transitions=TRANSITIONS,
    state=JourneyState,
    kind_labels=KIND_LABELS,
    stage_labels=STAGE_LABELS,
    targets={WAITING: lambda s: Stage.PLACEMENT_ORDER if s.has_po else Stage.SHOULD_BE_PLACED},
    conditions={
        "po": kernel.Condition(lambda s, e: s.has_po, "The child holds no placement order."),
        "no_po": kernel.Condition(
            lambda s, e: not s.has_po, lambda s: f"A placement order is already in force from {s.po_date:%d/%m/%Y}."),
        "in_care": kernel.Condition(lambda s, e: s.entered_care is not None),  # says the transition's hint
        "ep_in_force": kernel.Condition(
            lambda s, e: s.ep_in_force,
            lambda s: ("The early permanence placement became the adoptive placement on "
                       f"{s.ep_converted:%d/%m/%Y}." if s.ep_converted else
                       f"The early permanence placement already ended on {s.ep_ended:%d/%m/%Y}." if s.ep_ended else
                       "No early permanence placement is in force: record the placement first.")),
    },
    on_every_event=lambda s, e, stage: {"last_event": e.date},
    reached_otherwise=frozenset({Stage.PLACEMENT_ORDER, Stage.SHOULD_BE_PLACED}),  # via WAITING
    before_birth=frozenset({Kind.IDENTIFIED}),  # an unborn child can be tracked
)


def check_transition_table() -> None:
    """Run at import time: the table must name every kind, use real stages and reach every stage."""
    kernel.check_table(JOURNEY, TRANSITIONS)


check_transition_table()


# ---------------------------------------------------------------------------------------------
# Replaying events (the kernel's, on this journey's table)


def apply(state: JourneyState, event: EventFact) -> JourneyState:
    """The state after `event`, or TransitionRefused saying why the event is not allowed."""
    return kernel.apply(JOURNEY, state, event)


def replay(events: Iterable[EventFact], *, until: date | None = None) -> JourneyState:
    """The state after every event dated on or before `until` (all events if None).

    Raises TransitionRefused on the first event the journey does not allow.
    """
    return kernel.replay(JOURNEY, events, until=until)


def check_new_event(
    events: Sequence[EventFact], new: EventFact, *, today: date, dob: date | None = None
) -> list[str]:
    """Everything wrong with adding `new` to `events`, as messages for the user (empty if fine).

    The whole journey is replayed with the new event in its place by date, so a back-dated event
    that would make a later one impossible is refused too.
    """
    return kernel.check_new_event(JOURNEY, events, new, today=today, born=dob)


# ---------------------------------------------------------------------------------------------
# Case holding under each LA's policy


def age_in_years(dob: date, on: date) -> int:
    years = on.year - dob.year
    if (on.month, on.day) < (dob.month, dob.day):
        years -= 1
    return years


def holder_side(state: JourneyState, policy: PolicyFact | None, dob: date | None) -> str | None:
    """'la', 'raa' or None (no open case: not yet tracked, or adopted)."""
    if state.stage in (Stage.NEW, Stage.ADOPTED):
        return None
    if state.stage is Stage.PLAN_CHANGED or not state.has_po or policy is None:
        return LA
    if policy.case_holding == RAA_AT_PO:
        return RAA
    if policy.case_holding == RAA_AT_PO_AGE_LIMIT and dob is not None and policy.age_limit is not None:
        return RAA if age_in_years(dob, state.po_date) <= policy.age_limit else LA
    return LA


@dataclass(frozen=True)
class HolderPeriod:
    start: date
    side: str | None
    reason: str
    end: date | None = None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def holder_periods(
    events: Sequence[EventFact], policies: Sequence[PolicyFact], dob: date | None
) -> list[HolderPeriod]:
    """Who held the case from when, with the reason for each change (transfer, return, close).

    One pass over the events in date order; the holder is checked at the end of each day on which an
    event happened or a policy took effect.
    """
    ordered = sort_events(events)
    if not ordered:
        return []
    labels: dict[date, list[str]] = {}
    for e in ordered:
        labels.setdefault(e.date, []).append(KIND_LABELS[e.kind])
    for p in policies:
        if p.effective_from > ordered[0].date:
            labels.setdefault(p.effective_from, []).append(
                f"LA policy changed: {_lower_first(p.describe_case_holding())}")
    periods: list[HolderPeriod] = []
    state = JourneyState()
    i = 0
    for day in sorted(labels):
        while i < len(ordered) and ordered[i].date <= day:
            state = apply(state, ordered[i])
            i += 1
        policy = policy_on(policies, day)
        side = holder_side(state, policy, dob)
        if periods and periods[-1].side == side:
            continue
        reason = "; ".join(labels[day])
        if side == RAA and policy is not None:
            reason += f" ({_lower_first(policy.describe_case_holding())})"
        if periods:
            periods[-1] = replace(periods[-1], end=day)
        periods.append(HolderPeriod(start=day, side=side, reason=reason))
    return periods


def holder_on(periods: Sequence[HolderPeriod], day: date) -> str | None:
    side = None
    for p in periods:
        if p.start <= day:
            side = p.side
    return side


# ---------------------------------------------------------------------------------------------
# Due and overdue actions


# An action also counts as done when the journey has moved past it.
_SATISFIED_BY_LATER: dict[Kind, tuple[Kind, ...]] = {
    Kind.PERMANENCE_PLAN: (Kind.SHOULD_BE_PLACED, Kind.PLACEMENT_ORDER, Kind.MATCH_DECISION, Kind.PLACED),
    Kind.MATCH_DECISION: (Kind.PLACED,),
}


def due_actions(state: JourneyState, rules: Iterable[TimescaleFact]) -> list[DueAction]:
    """Outstanding actions under the timescales in force, earliest first.

    The placement reviews run as a chain (AAR 2005 reg 36(1)): the first is due from the placement, the second
    from the first review, each later one from the latest review; a review done moves the chain on, so only the
    next one is ever due, and none once the child is adopted or the placement has disrupted.
    """
    if state.stage is Stage.PLAN_CHANGED:
        return []
    reviews = state.placement_reviews
    starts = {
        Kind.ENTERED_CARE: state.entered_care,
        Kind.PLACEMENT_ORDER: state.po_date,
        Kind.ADOPTION_ORDER: state.adoption_order,
        Kind.IDENTIFIED: state.identified,
        Kind.SHOULD_BE_PLACED: state.should_be_placed,
        Kind.LINKED: state.linked,
        Kind.MATCHING_PANEL: state.panel_date,
        Kind.MATCH_DECISION: state.match_date,
        Kind.PLACED: state.placed_date,
        FIRST_PLACEMENT_REVIEW: reviews[0] if reviews and state.placed_date else None,
        LATER_PLACEMENT_REVIEW: reviews[-1] if len(reviews) >= 2 and state.placed_date else None,
    }
    # The reviews a clock needs done after the placement before it stops (None: a review never stops it).
    reviews_to_stop = {Kind.PLACED: 1, FIRST_PLACEMENT_REVIEW: 2, LATER_PLACEMENT_REVIEW: None}

    def finished(rule: TimescaleFact) -> bool:
        ends = [Kind(e) for e in rule.end_events if e in Kind.__members__.values()]
        if state.stage is Stage.ADOPTED and rule.start_event != Kind.ADOPTION_ORDER:
            return True
        if Kind.PLACEMENT_REVIEW in ends and rule.start_event in reviews_to_stop:
            needed = reviews_to_stop[rule.start_event]
            return needed is not None and len(reviews) >= needed
        done = any(e in state.seen for e in ends)
        done = done or any(later in state.seen for e in ends for later in _SATISFIED_BY_LATER.get(e, ()))
        if Kind.MATCH_DECISION in ends and state.match_date is not None:
            done = True
        return done

    return kernel.due_actions(rules, starts, finished=finished)


def learning_review_prompts(state: JourneyState, reviewed: Iterable[date] = ()) -> list[Disruption]:
    """The disruptions whose learning review should still be opened, newest first.

    `reviewed`: the dates of the disruptions a learning review (permanence.disruptions) was held on. A reviewed
    disruption no longer prompts: the child's page says "A learning review was held on …" instead.
    """
    done = set(reviewed)
    return sorted((d for d in state.disruptions if d.date not in done), key=lambda d: d.date, reverse=True)


# ---------------------------------------------------------------------------------------------
# Priority ("harder to place") children

# DfE ethnicity codes (SSDA903) with whether each counts as black and minority ethnic (BME).
ETHNICITIES: dict[str, tuple[str, bool]] = {
    "WBRI": ("White British", False),
    "WIRI": ("White Irish", False),
    "WIRT": ("Traveller of Irish heritage", True),
    "WOTH": ("Any other White background", False),
    "WROM": ("Gypsy/Roma", True),
    "MWBC": ("White and Black Caribbean", True),
    "MWBA": ("White and Black African", True),
    "MWAS": ("White and Asian", True),
    "MOTH": ("Any other mixed background", True),
    "AIND": ("Indian", True),
    "APKN": ("Pakistani", True),
    "ABAN": ("Bangladeshi", True),
    "AOTH": ("Any other Asian background", True),
    "BCRB": ("Caribbean", True),
    "BAFR": ("African", True),
    "BOTH": ("Any other Black background", True),
    "CHNE": ("Chinese", True),
    "OOTH": ("Any other ethnic group", True),
    "REFU": ("Refused", False),
    "NOBT": ("Information not yet obtained", False),
}
BME_CODES = frozenset(code for code, (_, bme) in ETHNICITIES.items() if bme)


@dataclass(frozen=True)
class PriorityDefinition:
    name: str
    min_age_years: int | None = 4
    bme: bool = True
    sibling_group_min: int | None = 2
    disability: bool = True
    waiting_months: int | None = None  # months since the placement order


@dataclass(frozen=True)
class ChildFacts:
    dob: date | None
    ethnicity: str
    sibling_group_size: int
    has_disability: bool
    po_date: date | None = None


def priority_reasons(child: ChildFacts, definition: PriorityDefinition, today: date) -> list[str]:
    from permanence.timescales.rules import add_months

    reasons: list[str] = []
    if definition.min_age_years is not None and child.dob is not None:
        if age_in_years(child.dob, today) >= definition.min_age_years:
            reasons.append(f"aged {definition.min_age_years} or over")
    if definition.bme and child.ethnicity in BME_CODES:
        reasons.append("black or minority ethnic heritage")
    if definition.sibling_group_min is not None and child.sibling_group_size >= definition.sibling_group_min:
        reasons.append(f"in a sibling group of {child.sibling_group_size}")
    if definition.disability and child.has_disability:
        reasons.append("disability or medical condition")
    if definition.waiting_months is not None and child.po_date is not None:
        if add_months(child.po_date, definition.waiting_months) <= today:
            reasons.append(f"waiting over {definition.waiting_months} months since the placement order")
    return reasons


# ---------------------------------------------------------------------------------------------
# Who may record what




def recording_refusal(role: str, side: str, kind: Kind, policy: PolicyFact | None) -> str | None:
    """Why someone in `role` on `side` ('la' or 'raa') may not record `kind`, or None if they may."""
    recorder = TRANSITIONS[kind].recorder
    if recorder.duty is not None:
        duty_side = (policy or PolicyFact(effective_from=date.min)).duty_side(recorder.duty)
        if duty_side != side:
            return (
                f"Under this LA's policy {DUTY_LABELS[recorder.duty]} belongs to {SIDE_LABELS[duty_side]}, "
                f"so {SIDE_LABELS[duty_side]} records it."
            )
    return kernel.role_refusal(JOURNEY, role, kind, side)


def kinds_recordable(role: str, side: str, policy: PolicyFact | None, stage: Stage | JourneyState) -> list[Kind]:
    """The event kinds this person may record next: those the journey would accept from the child's current
    state (its stage, what happens once, the conditions on the state – the same table `apply` reads) that
    their role and side may record. Given only a stage, the stage alone is looked at."""
    if isinstance(stage, JourneyState):
        fits = [k for k in TRANSITIONS if kernel.recordable(JOURNEY, stage, k)]
    else:
        fits = [k for k, t in TRANSITIONS.items() if stage in t.moves]
    return [k for k in fits if recording_refusal(role, side, k, policy) is None]
