"""Drill-down: the dates that make up each children's scorecard figure, per child."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from permanence.performance.rules.milestones import Milestones, a10_date, days_between

DRILL_DATES: dict[str, tuple[tuple[str, Callable[[Milestones], date | None]], ...]] = {
    "A1": (("Entered care", lambda m: m.entered_care), ("Moved in with the adoptive family", lambda m: m.placed_date)),
    "A10": (("Entered care", lambda m: m.entered_care), ("Moved in (with the carers who adopted)", a10_date)),
    "A2": (("Placement order", lambda m: m.po_date), ("Match decision", lambda m: m.match_date)),
    "A3": (("Entered care", lambda m: m.entered_care), ("Moved in with the adoptive family", lambda m: m.placed_date)),
    "children_adopted": (),
}


def drill_row(key: str, m: Milestones | None) -> dict:
    """The dates behind one child's part in figure `key`, the days between the first two (for averages and A3),
    and the adoption order that put the child in the scorecard."""
    if m is None:
        return {"dates": [(label, None) for label, _ in DRILL_DATES[key]], "days": None, "adoption_order": None}
    dates = [(label, fn(m)) for label, fn in DRILL_DATES[key]]
    days = days_between(dates[0][1], dates[1][1]) if len(dates) == 2 and None not in (dates[0][1], dates[1][1]) \
        else None
    return {"dates": dates, "days": days, "adoption_order": m.adoption_order}
