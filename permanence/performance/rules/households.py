"""The per-household milestones the adopter measures' SQL returns, and what they mean on a date.

`adopter_measures.household_milestone_rows` aggregates each household's events in SQL (one query, conditional
aggregation, as the children's `measures.milestone_rows` does); `aggregate_household_milestones` is the same
aggregation in Python, for a test (and any caller) that has the events in hand. Both give `HouseholdMilestones`,
whose properties re-derive the dates of `adopters.rules.HouseholdState` that the measures read – a test
(adopters' test_household_milestones_agree) checks them against replaying generated households' journeys.

Pure Python: no Django, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from permanence.performance.rules.milestones import EventLike

# Event kinds, as adopters.rules.Kind spells them (kept as text: this module does not import the journey).
ROI_RECEIVED = "roi_received"
ROI_DECISION = "roi_decision"
STAGE_1_STARTED = "stage_1_started"
STAGE_1_COMPLETED = "stage_1_completed"
BREAK_STARTED = "break_started"
STAGE_2_STARTED = "stage_2_started"
PAR_COMPLETED = "par_completed"
PANEL_RECOMMENDATION = "panel_recommendation"
ADM_DECISION = "adm_decision"
MATCHED = "matched"
MATCH_ENDED = "match_ended"
CLOSED = "closed"

# name -> (min or max, kind, the detail that must match as (key, the values it may have), or None). The SQL and the
# Python below both read this table.
HOUSEHOLD_AGGREGATION: dict[str, tuple[str, str, tuple[str, tuple[str, ...]] | None]] = {
    "roi": ("min", ROI_RECEIVED, None),
    "roi_accepted": ("min", ROI_DECISION, ("outcome", ("accepted",))),
    "roi_declined": ("min", ROI_DECISION, ("outcome", ("declined",))),
    "stage_1_started": ("min", STAGE_1_STARTED, None),
    "stage_1_completed": ("min", STAGE_1_COMPLETED, None),
    "last_break_started": ("max", BREAK_STARTED, None),
    "stage_2_started": ("min", STAGE_2_STARTED, None),
    "last_par_completed": ("max", PAR_COMPLETED, None),
    "last_panel_deferred": ("max", PANEL_RECOMMENDATION, ("recommendation", ("deferred",))),
    # A recommendation that was not a deferral: only the agency decision can follow it.
    "panel_recommended": ("min", PANEL_RECOMMENDATION, ("recommendation", ("approve", "not_approve"))),
    "decision": ("max", ADM_DECISION, None),
    "approved_on": ("max", ADM_DECISION, ("decision", ("approved",))),
    "not_approved": ("min", ADM_DECISION, ("decision", ("not_approved",))),
    "last_matched": ("max", MATCHED, None),
    "last_match_ended": ("max", MATCH_ENDED, None),
    "closed_event": ("min", CLOSED, None),
}
# The reason given when the household closed (the CLOSED event's details "reason"): the latest one's.
CLOSE_REASON_KIND = CLOSED
KINDS = frozenset(kind for _, kind, _ in HOUSEHOLD_AGGREGATION.values())

# Stages, as adopters.rules.Stage spells them.
NEW, ROI, REGISTERED, STAGE_1, STAGE_1_COMPLETE, BREAK, STAGE_2 = (
    "new", "roi", "registered", "stage_1", "stage_1_complete", "break", "stage_2")
AWAITING_PANEL, AWAITING_DECISION, APPROVED, MATCHED_STAGE = (
    "awaiting_panel", "awaiting_decision", "approved", "matched")


@dataclass(slots=True)
class HouseholdMilestones:
    """One household's assessment dates as the SQL aggregates them (its events in force on or before `until`).

    A closed household's journey is over: nothing is recorded after the event that closed it (the journey refuses
    it), so the dates below are the ones it had when it closed. Same-day events replay in adopters.rules.KIND_ORDER
    (matched before match_ended), which is why the comparisons below are strict or not.
    """

    household_id: int
    roi: date | None = None
    roi_accepted: date | None = None
    roi_declined: date | None = None
    stage_1_started: date | None = None
    stage_1_completed: date | None = None
    last_break_started: date | None = None
    stage_2_started: date | None = None
    last_par_completed: date | None = None
    last_panel_deferred: date | None = None
    panel_recommended: date | None = None
    decision: date | None = None
    approved_on: date | None = None
    not_approved: date | None = None
    last_matched: date | None = None
    last_match_ended: date | None = None
    closed_event: date | None = None
    close_reason_given: str | None = None

    @property
    def approved(self) -> date | None:
        """HouseholdState.approved: the approval's date (an approval is never undone)."""
        return self.approved_on

    @property
    def matched(self) -> date | None:
        """HouseholdState.matched: the match in force – a match ended on or after it undoes it."""
        if self.last_matched is None:
            return None
        if self.last_match_ended is not None and self.last_match_ended >= self.last_matched:
            return None
        return self.last_matched

    @property
    def closed(self) -> date | None:
        """HouseholdState.closed: the day the journey closed – withdrawn or closed, the registration declined, or
        not approved (whichever came first: nothing follows it)."""
        found = [d for d in (self.closed_event, self.roi_declined, self.not_approved) if d is not None]
        return min(found) if found else None

    @property
    def close_reason(self) -> str | None:
        """HouseholdState.close_reason."""
        closed = self.closed
        if closed is None:
            return None
        if self.roi_declined == closed:
            return "roi_declined"
        if self.not_approved == closed:
            return "not_approved"
        return self.close_reason_given

    @property
    def closed_at_stage(self) -> str | None:
        """HouseholdState.closed_at_stage: the stage the household was in when it closed (its furthest step then,
        since a closed household records nothing after)."""
        closed = self.closed
        if closed is None:
            return None
        if self.roi_declined == closed:
            return ROI
        if self.not_approved == closed:
            return AWAITING_DECISION
        return self.stage_reached()

    def stage_reached(self) -> str:
        """The stage the household's furthest step puts it in (before any closing)."""
        if self.matched is not None:
            return MATCHED_STAGE
        if self.approved_on is not None:
            return APPROVED
        if self.panel_recommended is not None:
            return AWAITING_DECISION  # deferrals come before it, whatever their day: nothing but a decision after
        for day, stage in ((self.last_panel_deferred, AWAITING_PANEL), (self.last_par_completed, AWAITING_PANEL),
                           (self.stage_2_started, STAGE_2),
                           (self.last_break_started, BREAK), (self.stage_1_completed, STAGE_1_COMPLETE),
                           (self.stage_1_started, STAGE_1), (self.roi_accepted, REGISTERED), (self.roi, ROI)):
            if day is not None:
                return stage
        return NEW


def aggregate_household_milestones(household_id: int, events: Iterable[EventLike],
                                   until: date | None) -> HouseholdMilestones:
    """The household's milestones from its events dated on or before `until` (every event when None), exactly
    as adopter_measures.household_milestone_rows makes them."""
    counted = [e for e in events if not getattr(e, "superseded", False) and (until is None or e.date <= until)
               and str(e.kind) in KINDS]
    values: dict = {}
    for name, (how, kind, detail) in HOUSEHOLD_AGGREGATION.items():
        dates = [e.date for e in counted if str(e.kind) == kind
                 and (detail is None or (e.details or {}).get(detail[0]) in detail[1])]
        values[name] = (min(dates) if how == "min" else max(dates)) if dates else None
    reasons = [str((e.details or {}).get("reason")) for e in counted
               if str(e.kind) == CLOSE_REASON_KIND and (e.details or {}).get("reason") is not None]
    return HouseholdMilestones(household_id=household_id, close_reason_given=max(reasons) if reasons else None,
                               **values)
