"""The Adoption Scorecard (retrospective) from the milestones of children adopted in the period."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from permanence.performance.rules.figures import Figure, average_figure, count_figure, percent_figure
from permanence.performance.rules.milestones import Milestones, a10_date, days_between
from permanence.performance.rules.periods import Period
from permanence.performance.rules.registry import RETROSPECTIVE
from permanence.performance.rules.thresholds import ThresholdFact, threshold_on
from permanence.timescales.rules import add_months


class ChildDays(NamedTuple):  # a tuple: made once per child of every scorecard, cheaply
    """The days one adopted child counts for in A1, A10 and A2 (None: not counted in that measure), as the
    scorecard counts them: what the comparisons keep per child (performance.AdoptionDays)."""

    a1: int | None = None
    a10: int | None = None
    a2: int | None = None


def child_days(m: Milestones) -> ChildDays:
    """A1 and A10 need the child's entry to care and its placement for adoption in force; A2 its placement order in
    force and the match that led to the placement."""
    a1 = a10 = a2 = None
    placed = m.placed_date
    if m.entered_care is not None and placed is not None:
        a1 = days_between(m.entered_care, placed)
        a10 = days_between(m.entered_care, a10_date(m))
    po, match = m.po_date, m.match_date
    if po is not None and match is not None:
        a2 = days_between(po, match)
    return ChildDays(a1, a10, a2)


def scorecard_child_figures(rows: Iterable[Milestones], period: Period,
                            thresholds: Sequence[ThresholdFact]) -> list[Figure]:
    a1: list[tuple[int, int]] = []
    a10: list[tuple[int, int]] = []
    a2: list[tuple[int, int]] = []
    adopted: list[int] = []
    a3_months_t = threshold_on(thresholds, "A3", period.end)
    a3_months = int(a3_months_t.value) if a3_months_t else 14
    a3_hits: list[int] = []
    for m in rows:
        if m.adoption_order not in period:
            continue
        adopted.append(m.child_id)
        days = child_days(m)
        if days.a1 is not None:
            a1.append((m.child_id, days.a1))
            a10.append((m.child_id, days.a10))
            if m.placed_date < add_months(m.entered_care, a3_months):
                a3_hits.append(m.child_id)
        if days.a2 is not None:
            a2.append((m.child_id, days.a2))
    basis = RETROSPECTIVE
    return [
        average_figure("A1", a1, period, basis, threshold_on(thresholds, "A1", period.end)),
        average_figure("A10", a10, period, basis, threshold_on(thresholds, "A10", period.end)
                       or threshold_on(thresholds, "A1", period.end)),
        average_figure("A2", a2, period, basis, threshold_on(thresholds, "A2", period.end)),
        percent_figure("A3", a3_hits, [c for c, _ in a1], period, basis,
                       label=f"Children who moved in with their adoptive family less than {a3_months} months after "
                             f"entering care",
                       threshold=threshold_on(thresholds, "A3_PERCENT", period.end)),
        count_figure("children_adopted", adopted, period, basis),
    ]
