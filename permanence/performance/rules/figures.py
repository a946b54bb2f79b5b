"""Figures: one measure's value over a period, and the one rounding rule every figure uses."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from permanence.performance.rules.periods import Period
from permanence.performance.rules.registry import MEASURES, RETROSPECTIVE
from permanence.performance.rules.thresholds import ThresholdFact, _num, rag


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | float | str | None  # "<5" once suppressed; None when there is nothing to average
    n: int | str | None  # children (or adopters) counted
    unit: str
    basis: str
    period: Period
    threshold: float | int | None = None
    threshold_source: str = ""
    direction: str | None = None
    rag: str | None = None
    note: str = ""
    child_ids: tuple[int, ...] = field(default=(), repr=False)
    available: bool = True
    suppressed: bool = False
    household_ids: tuple[int, ...] = field(default=(), repr=False)  # adopter figures: the households behind them

    @property
    def code(self) -> str:
        """The key as a short code people know (A1, Q_PO); empty for descriptive keys like children_adopted."""
        return self.key if self.key.isupper() else ""

    @property
    def drillable(self) -> bool:
        """Whether there are records behind the figure to list."""
        return self.available and bool(self.child_ids or self.household_ids)

    def as_dict(self, *, with_ids: bool = False) -> dict:
        out = {
            "key": self.key, "label": self.label, "value": self.value, "n": self.n, "unit": self.unit,
            "threshold": self.threshold, "direction": self.direction, "rag": self.rag, "basis": self.basis,
            "period_start": self.period.start.isoformat(), "period_end": self.period.end.isoformat(),
            "note": self.note, "available": self.available, "suppressed": self.suppressed,
        }
        if with_ids:
            out["child_ids"] = list(self.child_ids)
            out["household_ids"] = list(self.household_ids)
        return out


def round_half_up(x: float | int | Decimal, places: int = 0) -> int | float:
    """The one rounding rule for every figure (children's and adopters' alike): halves away from zero, so
    2.5 -> 3 and 12.5% -> 13% (Python's round() would give 2 and 12). A float is taken as its shortest repr."""
    q = Decimal(1).scaleb(-places)
    d = (x if isinstance(x, Decimal) else Decimal(str(x))).quantize(q, rounding=ROUND_HALF_UP)
    return int(d) if places == 0 else float(d)


def average(values: Iterable[int | float]) -> int | None:
    """The average of `values` to the nearest day (halves up), computed exactly; None when there are none."""
    values = list(values)
    return average_of(sum(values), len(values))


def average_of(total: int | float, n: int) -> int | None:
    """The average of `n` values that add up to `total`, as `average` gives it for the values themselves (so
    figures combined from sums and counts – a group from its LAs' totals – are exactly the children's average);
    None when n is 0."""
    if not n:
        return None
    return round_half_up(Decimal(str(total)) / Decimal(n))


def percent(hits: int, of: int) -> int | None:
    """`hits` of `of` as a whole percentage (halves up), computed exactly; None when `of` is 0."""
    return round_half_up(Decimal(100 * hits) / Decimal(of)) if of else None


def average_figure(key: str, values: Sequence[tuple[int, int]], period: Period, basis: str,
                   threshold: ThresholdFact | None = None, note: str = "") -> Figure:
    """`values` is (child_id, days) for every child counted. Rounded to the nearest day."""
    return totals_figure(key, sum(d for _, d in values), len(values), period, basis, threshold, note,
                         child_ids=tuple(sorted(c for c, _ in values)))


def totals_figure(key: str, total: int | float, n: int, period: Period, basis: str,
                  threshold: ThresholdFact | None = None, note: str = "", *, child_ids: tuple[int, ...] = ()) -> Figure:
    """An average figure from the sum of the days counted and how many children they are (average_figure's, for
    figures kept as totals: the comparisons' groups). Rounded to the nearest day."""
    m = MEASURES[key]
    value = average_of(total, n)
    return Figure(
        key=key, label=m.label, value=value, n=n, unit=m.unit.value, basis=basis, period=period,
        threshold=_num(threshold.value) if threshold else None, threshold_source=threshold.source if threshold else "",
        direction=m.direction, rag=rag(value, threshold, m.direction), note=note, child_ids=child_ids,
    )


def percent_figure(key: str, hits: Sequence[int], of: Sequence[int], period: Period, basis: str,
                   label: str | None = None, threshold: ThresholdFact | None = None, note: str = "") -> Figure:
    m = MEASURES[key]
    n = len(of)
    value = percent(len(hits), n)
    return Figure(
        key=key, label=label or m.label, value=value, n=n, unit=m.unit.value, basis=basis, period=period,
        threshold=_num(threshold.value) if threshold else None, threshold_source=threshold.source if threshold else "",
        direction=m.direction, rag=rag(value, threshold, m.direction), note=note, child_ids=tuple(sorted(hits)),
    )


def count_figure(key: str, ids: Iterable[int], period: Period, basis: str, note: str = "") -> Figure:
    m = MEASURES[key]
    ids = tuple(sorted(set(ids)))
    return Figure(key=key, label=m.label, value=len(ids), n=len(ids), unit=m.unit.value, basis=basis,
                  period=period, direction=m.direction, note=note, child_ids=ids)


def unavailable_figure(key: str, period: Period, basis: str = RETROSPECTIVE, note: str = "") -> Figure:
    """A measure whose family is not computed yet (e.g. A11–A13 before the adopters app registers them)."""
    m = MEASURES[key]
    return Figure(key=key, label=m.label, value=None, n=None, unit=m.unit.value, basis=basis, period=period,
                  direction=m.direction, available=False, note=note or "Not yet available")


# A family computes figures from a scope and a period; the adopters app registers its own (see measures.py).
FamilyFunction = Callable[..., list[Figure]]
