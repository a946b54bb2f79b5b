"""The per-child milestones the measures' SQL returns, and what they mean on a date.

`measures.milestone_rows` aggregates a child's journey events in SQL; `aggregate_milestones` is the same
aggregation in Python, for a test (and any caller) that has the events in hand: both give `Milestones`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol


@dataclass(slots=True)
class Milestones:
    """One child's journey dates as the SQL aggregates them (all events on or before the query's `until`).

    Each `last_*` is the latest date of that kind of event. Same-day events replay in children.rules.KIND_ORDER,
    which is why the comparisons below are strict or not.
    """

    child_id: int
    la_id: int
    entered_care: date | None = None
    first_po: date | None = None
    last_po: date | None = None
    last_po_revoked: date | None = None
    last_match: date | None = None
    last_link_ended: date | None = None
    last_placed: date | None = None
    last_placed_details: dict = field(default_factory=dict, compare=False)
    last_early_permanence: date | None = None
    last_disruption: date | None = None
    adoption_order: date | None = None
    last_plan: date | None = None
    last_plan_changed: date | None = None

    # Same-day order (children.rules.KIND_ORDER): placement_order < early_permanence < match_decision <
    # link_ended < placed_for_adoption < disruption < adoption_order < po_revoked < plan_changed;
    # permanence_plan comes before all of them.

    @property
    def po_date(self) -> date | None:
        """The placement order in force (JourneyState.po_date): revoked on the same day means not in force."""
        if self.last_po is None or (self.last_po_revoked is not None and self.last_po_revoked >= self.last_po):
            return None
        return self.last_po

    @property
    def match_date(self) -> date | None:
        """The match in force: a link ended, a PO revoked or a disruption on or after it undoes it."""
        if self.last_match is None:
            return None
        for reset in (self.last_link_ended, self.last_po_revoked, self.last_disruption):
            if reset is not None and reset >= self.last_match:
                return None
        return self.last_match

    @property
    def placed_date(self) -> date | None:
        if self.last_placed is None or (self.last_disruption is not None and self.last_disruption >= self.last_placed):
            return None
        return self.last_placed

    @property
    def early_permanence(self) -> date | None:
        """The early permanence placement still in force: a disruption on or after it clears it."""
        ep = self.last_early_permanence
        if ep is None or (self.last_disruption is not None and self.last_disruption >= ep):
            return None
        return ep

    @property
    def moved_in_with_carers(self) -> date | None:
        """Mirrors children.rules.apply for placed_for_adoption exactly."""
        if self.placed_date is None:
            return None
        details = self.last_placed_details or {}
        carers_from = details.get("moved_in_with_carers")
        if details.get("by_foster_carers") and carers_from:
            return date.fromisoformat(str(carers_from))
        # An early permanence placement alone is not enough: the child may then be adopted by someone else.
        return None

    @property
    def plan_changed(self) -> bool:
        return self.last_plan_changed is not None and (self.last_plan is None or self.last_plan_changed >= self.last_plan)


def days_between(start: date, end: date) -> int:
    return max(0, (end - start).days)


def a10_date(m: Milestones) -> date | None:
    return m.moved_in_with_carers or m.placed_date


# ---------------------------------------------------------------------------------------------
# The aggregation the SQL does (measures.MILESTONE_KINDS, MILESTONE_AGGREGATES and _milestones), in Python

# The kinds of event the milestone query reads (measures.MILESTONE_KINDS, as children.rules.Kind values). A child
# has a row when it has at least one of them, even if none sets a date (a should-be-placed decision alone).
MILESTONE_KINDS: frozenset[str] = frozenset({
    "entered_care", "permanence_plan", "placement_order", "po_revoked", "match_decision", "link_ended",
    "placed_for_adoption", "early_permanence_placement", "disruption", "adoption_order", "plan_changed",
    "should_be_placed",
})

# Each date of Milestones: the earliest (min) or the latest (max) date of one kind of event.
MILESTONE_AGGREGATION: dict[str, tuple[str, str]] = {
    "entered_care": ("min", "entered_care"),
    "first_po": ("min", "placement_order"),
    "last_po": ("max", "placement_order"),
    "last_po_revoked": ("max", "po_revoked"),
    "last_match": ("max", "match_decision"),
    "last_link_ended": ("max", "link_ended"),
    "last_placed": ("max", "placed_for_adoption"),
    "last_early_permanence": ("max", "early_permanence_placement"),
    "last_disruption": ("max", "disruption"),
    "adoption_order": ("max", "adoption_order"),
    "last_plan": ("max", "permanence_plan"),
    "last_plan_changed": ("max", "plan_changed"),
}


class EventLike(Protocol):
    """What the aggregation reads of an event: a children.rules.EventFact, or a children.JourneyEvent row (whose
    `superseded` events are left out, as the SQL leaves them out)."""

    kind: str
    date: date
    details: dict


def aggregate_milestones(child_id: int, la_id: int, events: Iterable[EventLike], until: date) -> Milestones | None:
    """The child's Milestones from its events dated on or before `until`, exactly as measures.milestone_rows and
    measures._milestones make them: None when the query would return no row for the child (no event of a
    MILESTONE_KINDS kind by then).

    The latest placement's details are the SQL's Max('YYYY-MM-DD|' + details as text): the latest placement, and
    of two on one day the one whose details' text sorts last (json.dumps's text, as SQLite stores it;
    PostgreSQL's jsonb text orders keys its own way, so such a tie could resolve differently there – two
    placements on one day never replay, a placement after a placement being refused). Only details that mention
    moved_in_with_carers are read, as _milestones reads only those."""
    counted = [e for e in events
               if not getattr(e, "superseded", False) and e.date <= until and str(e.kind) in MILESTONE_KINDS]
    if not counted:
        return None
    values: dict[str, date | None] = {}
    for name, (how, kind) in MILESTONE_AGGREGATION.items():
        dates = [e.date for e in counted if str(e.kind) == kind]
        values[name] = (min(dates) if how == "min" else max(dates)) if dates else None
    placed = [f"{e.date.isoformat()}|{json.dumps(e.details or {})}" for e in counted
              if str(e.kind) == "placed_for_adoption"]
    details: dict = {}
    if placed:
        _, _, text = max(placed).partition("|")
        if "moved_in_with_carers" in text:
            details = json.loads(text)
    return Milestones(child_id=child_id, la_id=la_id, last_placed_details=details, **values)
