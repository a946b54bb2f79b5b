"""Thresholds and local targets (configuration as data: the rows live in models.Threshold and
models.LocalTarget, with their source and validity) and the RAG rating against them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from permanence.performance.rules.registry import LOWER, MEASURES, SCORECARD_KEYS

if TYPE_CHECKING:
    from permanence.performance.rules.figures import Figure


@dataclass(frozen=True)
class ThresholdFact:
    key: str
    value: Decimal | float | int
    unit: str
    valid_from: date
    valid_to: date | None = None
    source: str = ""
    amber_margin_percent: int = 10


def threshold_on(thresholds: Iterable[ThresholdFact], key: str, day: date) -> ThresholdFact | None:
    """The threshold for `key` in force on `day` (a scorecard's period end): the latest valid_from on or before it,
    still valid on the day."""
    best = None
    for t in thresholds:
        if t.key != key or t.valid_from > day or (t.valid_to is not None and t.valid_to < day):
            continue
        if best is None or t.valid_from > best.valid_from:
            best = t
    return best


def rag(value, threshold: ThresholdFact | None, direction: str | None) -> str | None:
    """'green' if the threshold is met, 'amber' if missed by no more than its margin, 'red' beyond; None when
    there is nothing to compare (no threshold, no value, suppressed)."""
    if threshold is None or value is None or isinstance(value, str) or direction is None:
        return None
    t = float(threshold.value)
    margin = t * threshold.amber_margin_percent / 100
    if direction == LOWER:
        return "green" if value <= t else ("amber" if value <= t + margin else "red")
    return "green" if value >= t else ("amber" if value >= t - margin else "red")


def targetable_keys() -> tuple[str, ...]:
    """The measures an organisation may set its own target for: the scorecard's averages and percentages that
    have a direction (the dashboard shows them against the target)."""
    return tuple(k for k in SCORECARD_KEYS if MEASURES[k].kind in ("average", "percent")
                 and MEASURES[k].direction is not None)


@dataclass(frozen=True)
class TargetCheck:
    """A figure against a local target: the target in force at the figure's period end and the RAG."""

    target: float | int | None
    rag: str | None
    source: str = ""


def against_target(fig: Figure, targets: Iterable[ThresholdFact]) -> TargetCheck:
    t = threshold_on(targets, fig.key, fig.period.end)
    if t is None:
        return TargetCheck(None, None)
    return TargetCheck(_num(t.value), rag(fig.value, t, fig.direction), t.source)


def _num(v):
    f = float(v)
    return int(f) if f.is_integer() else f
