"""Cost (seed 003): days in care beyond a target × the cost of a day in care, and the cost avoided against a
baseline period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from permanence.performance.rules.figures import Figure
from permanence.performance.rules.periods import Period
from permanence.performance.rules.registry import HIGHER, LOWER, MEASURES, RETROSPECTIVE, Unit


@dataclass(frozen=True)
class ChildCost:
    child_id: int
    days_in_care: int
    excess_days: int
    cost: Decimal


def child_cost(child_id: int, days_in_care: int, target_days: int, daily_cost: Decimal) -> ChildCost:
    excess = max(0, days_in_care - target_days)
    return ChildCost(child_id, days_in_care, excess,
                     (Decimal(excess) * daily_cost).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class CostResult:
    period: Period
    baseline: Period | None
    target_days: int
    daily_cost: Decimal
    daily_cost_source: str
    children: tuple[ChildCost, ...]
    baseline_children: tuple[ChildCost, ...]
    figures: tuple[Figure, ...]

    @property
    def total_excess_days(self) -> int:
        return sum(c.excess_days for c in self.children)

    @property
    def total_cost(self) -> Decimal:
        return sum((c.cost for c in self.children), Decimal("0.00"))


def cost_result(period_days: Sequence[tuple[int, int]], baseline_days: Sequence[tuple[int, int]] | None,
                period: Period, baseline: Period | None, target_days: int, daily_cost: Decimal,
                daily_cost_source: str = "") -> CostResult:
    """`period_days` and `baseline_days` are (child_id, days in care up to moving in) for the children adopted in
    each period. Cost avoided = (baseline average excess days − period average excess days) × children in the
    period × daily cost: what the period's children would have cost at the baseline's rate of delay, less what
    they did cost. Negative when delay grew."""
    daily_cost = Decimal(daily_cost)
    kids = tuple(child_cost(c, d, target_days, daily_cost) for c, d in period_days)
    base = tuple(child_cost(c, d, target_days, daily_cost) for c, d in baseline_days or ())
    ids = tuple(sorted(c.child_id for c in kids))
    n = len(kids)
    excess = sum(c.excess_days for c in kids)
    total = sum((c.cost for c in kids), Decimal("0.00"))
    note = f"Target {target_days} days; £{daily_cost} a day ({daily_cost_source or 'given'})"
    figures = [
        Figure("COST_EXCESS_DAYS", MEASURES["COST_EXCESS_DAYS"].label, excess, n, Unit.DAYS.value, RETROSPECTIVE,
               period, direction=LOWER, note=note, child_ids=ids),
        Figure("COST", MEASURES["COST"].label, float(total), n, Unit.POUNDS.value, RETROSPECTIVE, period,
               direction=LOWER, note=note, child_ids=ids),
    ]
    if baseline is not None:
        if n and base:
            base_avg = Decimal(sum(c.excess_days for c in base)) / len(base)
            avoided_days = (base_avg - Decimal(excess) / n) * n
            avoided = (avoided_days * daily_cost).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            value = float(avoided)
        else:
            value = None
        figures.append(Figure(
            "COST_AVOIDED", MEASURES["COST_AVOIDED"].label, value, n, Unit.POUNDS.value, RETROSPECTIVE, period,
            direction=HIGHER, child_ids=ids,
            note=f"{note}; baseline {baseline.start:%d/%m/%Y}–{baseline.end:%d/%m/%Y}, {len(base)} children"))
    return CostResult(period, baseline, target_days, daily_cost, daily_cost_source, kids, base, tuple(figures))
