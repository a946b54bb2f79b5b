"""How the performance surgery ranks its list (issue 14 item 3): what a manager can still change comes first.

Every item on the list is of one kind, each with a fixed priority (1 first):

1. Child waiting for a family – the "should be placed" decision or the placement order is made and the child has
   not moved in yet (should be placed, placement order, linked, matched). Every day here is a day in care.
2. Adopters' assessment – a household's registration, stage 1, stage 2, panel and approval timescales.
3. Child's plan – the child is being tracked or the plan for adoption is still being made (and children whose
   order was revoked or whose plan changed, listed for an open action).
4. Child placed, adoption order to come – the adoption placement reviews.
5. After the adoption order – the life story book and the later life letter for a child already adopted.

Within a kind: milestones overdue first, the longest overdue at the top; then those due, soonest first; then
paused households (their clock is stopped); then items listed only for an open action, by that action's due date.
A long-overdue later life letter therefore never pushes a waiting child down the list; it is still listed, and
the age filter finds it.

The kind is the child's stage (its next milestone is derived from that stage by children.rules.due_actions), or
"household" for adopters. Pure Python: no Django, no clock (today is a parameter).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from permanence.timescales.rules import add_months

# Child stages (children.rules.Stage values), by kind. Every other child stage is "plan".
SURGERY_WAITING_STAGES = frozenset({"should_be_placed", "placement_order", "linked", "matched"})
SURGERY_PLACED_STAGES = frozenset({"placed"})
SURGERY_AFTER_ORDER_STAGES = frozenset({"adopted"})


@dataclass(frozen=True)
class SurgeryKind:
    key: str
    label: str
    priority: int  # 1 is shown first
    hint: str


SURGERY_KINDS: tuple[SurgeryKind, ...] = (
    SurgeryKind("waiting", "Child waiting for a family", 1,
                "Should be placed for adoption or placement order made, not yet moved in"),
    SurgeryKind("assessment", "Adopters' assessment", 2, "Registration, stage 1, stage 2, panel and approval"),
    SurgeryKind("plan", "Child's plan", 3, "Tracked or in care, the plan for adoption still being made"),
    SurgeryKind("placed", "Child placed, adoption order to come", 4, "Adoption placement reviews"),
    SurgeryKind("after_order", "After the adoption order", 5, "Life story book and later life letter"),
)
SURGERY_KINDS_BY_KEY = {k.key: k for k in SURGERY_KINDS}
SURGERY_KINDS_BY_PRIORITY = {k.priority: k for k in SURGERY_KINDS}

SURGERY_RANKING = ("Children waiting for a family come first, then adopters' assessments, children's plans, "
                   "children placed before the adoption order, and paperwork after the adoption order; within each, "
                   "the longest overdue first, then the soonest due.")


def surgery_child_kind(stage: str) -> SurgeryKind:
    """The kind of a child's item, from its stage."""
    if stage in SURGERY_WAITING_STAGES:
        key = "waiting"
    elif stage in SURGERY_PLACED_STAGES:
        key = "placed"
    elif stage in SURGERY_AFTER_ORDER_STAGES:
        key = "after_order"
    else:
        key = "plan"
    return SURGERY_KINDS_BY_KEY[key]


def surgery_household_kind() -> SurgeryKind:
    return SURGERY_KINDS_BY_KEY["assessment"]


@dataclass(frozen=True)
class SurgeryAgeBand:
    """How long a milestone is overdue: more than `after_months` months and at most `up_to_months` (None: no
    limit). The "not overdue" band (`overdue` False) holds milestones not yet due, paused ones and items listed only
    for an open action."""

    key: str
    label: str
    overdue: bool
    after_months: int = 0
    up_to_months: int | None = None

    def due_dates(self, today: date) -> tuple[date | None, date]:
        """The overdue milestones in the band on `today`: those due on or after the first date (None: no limit)
        and before the second."""
        if not self.overdue:
            raise ValueError("The band of milestones not overdue has no range of due dates.")
        earliest = add_months(today, -self.up_to_months) if self.up_to_months is not None else None
        return earliest, add_months(today, -self.after_months)


SURGERY_AGE_BANDS: tuple[SurgeryAgeBand, ...] = (
    SurgeryAgeBand("not_overdue", "Not overdue", False),
    SurgeryAgeBand("up_to_3_months", "Overdue up to 3 months", True, 0, 3),
    SurgeryAgeBand("3_to_12_months", "Overdue 3 to 12 months", True, 3, 12),
    SurgeryAgeBand("over_a_year", "Overdue more than a year", True, 12, None),
)
SURGERY_AGE_BANDS_BY_KEY = {b.key: b for b in SURGERY_AGE_BANDS}


def surgery_age_band(due: date | None, today: date, *, paused: bool = False) -> SurgeryAgeBand:
    """The band of a milestone due on `due` (None: no milestone), as of `today`. Overdue means due before today
    and not paused; overdue "up to 3 months" goes back to the day 3 calendar months before today, inclusive."""
    if due is None or paused or due >= today:
        return SURGERY_AGE_BANDS_BY_KEY["not_overdue"]
    for band in SURGERY_AGE_BANDS:
        if band.overdue:
            earliest, before = band.due_dates(today)
            if (earliest is None or due >= earliest) and due < before:
                return band
    raise AssertionError("The overdue bands cover every date before today.")  # pragma: no cover
