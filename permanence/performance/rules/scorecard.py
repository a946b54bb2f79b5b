"""The Adoption Scorecard (retrospective) from the milestones of children adopted in the period."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from permanence.performance.rules.figures import Figure, average_figure, count_figure, percent_figure
from permanence.performance.rules.milestones import Milestones, a10_date, days_between
from permanence.performance.rules.periods import Period
from permanence.performance.rules.registry import RETROSPECTIVE
from permanence.performance.rules.thresholds import ThresholdFact, threshold_on
from permanence.timescales.rules import add_months


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
        placed = m.placed_date
        if m.entered_care is not None and placed is not None:
            a1.append((m.child_id, days_between(m.entered_care, placed)))
            a10.append((m.child_id, days_between(m.entered_care, a10_date(m))))
            if placed < add_months(m.entered_care, a3_months):
                a3_hits.append(m.child_id)
        po, match = m.po_date, m.match_date
        if po is not None and match is not None:
            a2.append((m.child_id, days_between(po, match)))
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
