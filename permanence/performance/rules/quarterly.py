"""ASGLB-style quarterly figures for children: counts of children with each event in the quarter, and those
waiting at its end."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from permanence.performance.rules.figures import Figure, average_figure, count_figure
from permanence.performance.rules.milestones import Milestones, days_between
from permanence.performance.rules.periods import Period
from permanence.performance.rules.registry import RETROSPECTIVE
from permanence.timescales.rules import add_months


@dataclass(frozen=True)
class QuarterRow:
    """One child's events in the quarter (any of that kind dated in it) and its milestones at the quarter end."""

    milestones: Milestones
    in_quarter: frozenset[str]  # event kinds the child had in the quarter


QUARTER_EVENT_KEYS = {
    "Q_ADM": "should_be_placed",
    "Q_PO": "placement_order",
    "Q_MATCHED": "match_decision",
    "Q_PLACED": "placed_for_adoption",
    "Q_EARLY_PERMANENCE": "early_permanence_placement",
    "Q_AO": "adoption_order",
    "Q_PLAN_CHANGED": "plan_changed",
    "Q_DISRUPTIONS": "disruption",
}


def is_waiting(m: Milestones) -> bool:
    """Holds a placement order in force, not placed for adoption, not adopted, plan not changed."""
    return (m.po_date is not None and m.placed_date is None and m.adoption_order is None and not m.plan_changed)


def quarterly_child_figures(rows: Iterable[QuarterRow], quarter: Period) -> list[Figure]:
    by_key: dict[str, list[int]] = {k: [] for k in QUARTER_EVENT_KEYS}
    waiting, w90, w12, w18 = [], [], [], []
    waiting_days: list[tuple[int, int]] = []
    for row in rows:
        m = row.milestones
        for key, kind in QUARTER_EVENT_KEYS.items():
            if kind in row.in_quarter:
                by_key[key].append(m.child_id)
        if is_waiting(m):
            po = m.po_date
            waiting.append(m.child_id)
            days = days_between(po, quarter.end)
            waiting_days.append((m.child_id, days))
            if days > 90:
                w90.append(m.child_id)
            if add_months(po, 12) <= quarter.end:
                w12.append(m.child_id)
            if add_months(po, 18) <= quarter.end:
                w18.append(m.child_id)
    basis = RETROSPECTIVE
    figures = [count_figure(key, ids, quarter, basis) for key, ids in by_key.items()]
    at_end = f"On {quarter.end:%d/%m/%Y}"
    figures += [
        count_figure("Q_WAITING", waiting, quarter, basis, at_end),
        count_figure("Q_WAITING_90D", w90, quarter, basis, at_end),
        count_figure("Q_WAITING_12M", w12, quarter, basis, at_end),
        count_figure("Q_WAITING_18M", w18, quarter, basis, at_end),
        average_figure("Q_WAITING_AVG_DAYS", waiting_days, quarter, basis, note=at_end),
    ]
    return figures
