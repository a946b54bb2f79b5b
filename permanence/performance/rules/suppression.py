"""Suppression: figures that leave the RAA show counts of 1–4 as "<5"."""

from __future__ import annotations

from dataclasses import replace

from permanence.performance.rules.figures import Figure
from permanence.performance.rules.registry import MEASURES, Unit

SUPPRESSED = "<5"
SUPPRESS_BELOW = 5  # counts 1–4 become "<5"


def suppress_count(value):
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < SUPPRESS_BELOW:
        return SUPPRESSED
    return value


def suppress(fig: Figure) -> Figure:
    """The figure as it may leave the RAA. Counts of 1–4 become "<5". An average or percentage over 1–4
    children is suppressed too (value and n), since a small average can identify a child. The children's ids
    are always dropped. Zero is shown: it identifies nobody. Money is never suppressed by itself (its
    n is)."""
    m = MEASURES.get(fig.key)
    small_n = isinstance(fig.n, int) and 0 < fig.n < SUPPRESS_BELOW
    if not small_n:
        return replace(fig, child_ids=(), household_ids=())
    if m is not None and m.kind == "count" and m.unit is not Unit.POUNDS:
        return replace(fig, value=suppress_count(fig.value), n=SUPPRESSED, child_ids=(), household_ids=(),
                       suppressed=True, rag=None)
    return replace(fig, value=SUPPRESSED, n=SUPPRESSED, child_ids=(), household_ids=(), suppressed=True, rag=None)
