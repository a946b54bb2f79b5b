"""The per-child milestones the measures' SQL returns, and what they mean on a date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


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

