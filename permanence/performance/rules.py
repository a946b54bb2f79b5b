"""Measures, as pure Python: definitions, periods, thresholds, suppression, rounding and cost arithmetic.

No Django and no clock: every date is a parameter. `measures.py` fetches the rows (one SQL query per family)
and hands them to the functions here, so the dashboard, the reports, the API and the CLI share one
definition of every figure.

Definitions chosen (domain.md section 6; docs/decisions/measures.md says why):

- Scorecard cohort: children whose adoption order is dated in the period (three years ending 31 March).
- A1: days from entering care to moving in with the adoptive family (the placement for adoption that led to
  the adoption order).
- A10: as A1, but for a child adopted by the carers it lived with as a foster child – its foster carers, or
  its early permanence (FfA/concurrent) carers – to the day the child moved in with those carers, which the
  placement for adoption records (details by_foster_carers and moved_in_with_carers;
  JourneyState.moved_in_with_carers, derived exactly as children.rules.apply derives it). An early permanence
  placement followed by adoption by someone else counts from the adoptive move-in, as A1 does.
- A2: days from the placement order in force at the adoption to the match decision that led to the
  placement; a match before the PO counts 0; children with no PO in force are left out.
- A3: % of the A1 children who moved in less than N months after entering care (N = the A3 threshold in
  force: 16 months for scorecards ending up to 2015, 14 from 2016).
- Averages are rounded to the nearest day (halves up); percentages to the nearest whole per cent.
- A negative interval (bad data: a move-in dated before entering care) counts as 0 days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from permanence.timescales.rules import add_months

RETROSPECTIVE = "retrospective"
PROSPECTIVE = "prospective"
BASIS_LABELS = {
    RETROSPECTIVE: "Retrospective: children adopted (or events recorded) in the period",
    PROSPECTIVE: "Prospective: a cohort by placement order date, children still waiting counted with their days so far",
}

LOWER = "lower"  # lower is better
HIGHER = "higher"
NEUTRAL = None

SUPPRESSED = "<5"
SUPPRESS_BELOW = 5  # counts 1–4 become "<5"


class Unit(StrEnum):
    DAYS = "days"
    PERCENT = "%"
    CHILDREN = "children"
    ADOPTERS = "adopters"
    POUNDS = "£"
    MONTHS = "months"


# ---------------------------------------------------------------------------------------------
# Measure definitions: a registry, so that adopter and adoption support measures slot in beside children's.


@dataclass(frozen=True)
class MeasureDef:
    key: str
    label: str
    unit: Unit
    direction: str | None = LOWER
    family: str = "children"  # which function computes it: children, adopters, support
    kind: str = "average"  # average, percent, count
    description: str = ""


MEASURES: dict[str, MeasureDef] = {}


def register_measure(m: MeasureDef) -> MeasureDef:
    if m.key in MEASURES and MEASURES[m.key] != m:
        raise ValueError(f"measure {m.key} is already defined differently")
    MEASURES[m.key] = m
    return m


for _m in [
    MeasureDef("A1", "Average days from entering care to moving in with the adoptive family", Unit.DAYS,
               description="Children adopted in the period; n = children with both dates."),
    MeasureDef("A10", "Average days from entering care to moving in with the adoptive family, "
                      "adjusted for foster carer adoptions", Unit.DAYS,
               description="As A1, but a child adopted by its foster carers or its early permanence carers "
                           "counts to the day it moved in with those carers."),
    MeasureDef("A2", "Average days from placement order to the match decision", Unit.DAYS,
               description="Children adopted in the period with a placement order; a match before the order "
                           "counts 0."),
    MeasureDef("A3", "Children who moved in with their adoptive family within the months shown of entering care",
               Unit.PERCENT, direction=HIGHER, kind="percent"),
    MeasureDef("children_adopted", "Children adopted", Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    # Adopter measures: computed by the adopters app through measures.register_family("adopters", ...).
    MeasureDef("A11", "Approved adopters waiting to be matched (at the period end)", Unit.ADOPTERS,
               direction=NEUTRAL, family="adopters", kind="count"),
    MeasureDef("A12", "Matched adopters who waited 3 months or more from approval", Unit.PERCENT,
               direction=LOWER, family="adopters", kind="percent"),
    MeasureDef("A13", "Adoption applications still to be assessed (at the period end)", Unit.ADOPTERS,
               direction=NEUTRAL, family="adopters", kind="count"),
    # Prospective (seed 003, "A caution"): a cohort by placement order date.
    MeasureDef("P_PO_TO_MATCH", "Average days from placement order to match, children still waiting counted "
                                "to the report date", Unit.DAYS),
    MeasureDef("P_CARE_TO_MOVE_IN", "Average days from entering care to moving in (A10 basis), children still "
                                    "waiting counted to the report date", Unit.DAYS),
    MeasureDef("P_COHORT", "Children in the cohort (first placement order in the period)", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("P_MATCHED", "Children matched by the report date", Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("P_WAITING", "Children still waiting for a match on the report date", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("P_LEFT", "Children who left the adoption pathway unmatched (plan changed or PO revoked)",
               Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    # ASGLB-style quarterly measures for children (Coram-i): counts of children with the event in the quarter.
    MeasureDef("Q_ADM", "Children with an ADM decision that they should be placed for adoption", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("Q_PO", "Children granted a placement order", Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("Q_MATCHED", "Children matched (ADM match decision)", Unit.CHILDREN, direction=NEUTRAL,
               kind="count"),
    MeasureDef("Q_PLACED", "Children placed for adoption", Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("Q_EARLY_PERMANENCE", "Children in early permanence placements (FfA or concurrent)",
               Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("Q_AO", "Children adopted (adoption order)", Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("Q_PLAN_CHANGED", "Children whose plan changed away from adoption", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("Q_DISRUPTIONS", "Children whose adoptive placement disrupted before the adoption order",
               Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("Q_WAITING", "Children with a placement order waiting to be placed at the quarter end",
               Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("Q_WAITING_90D", "… of whom waiting more than 90 days since the placement order", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("Q_WAITING_12M", "… of whom waiting 12 months or more since the placement order", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("Q_WAITING_18M", "… of whom waiting 18 months or more since the placement order", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("Q_WAITING_AVG_DAYS", "Average days since the placement order of the children waiting",
               Unit.DAYS),
    # Cost (seed 003)
    MeasureDef("COST_EXCESS_DAYS", "Days in care beyond the target", Unit.DAYS, kind="count"),
    MeasureDef("COST", "Cost of days in care beyond the target", Unit.POUNDS, kind="count"),
    MeasureDef("COST_AVOIDED", "Cost avoided against the baseline period", Unit.POUNDS, direction=HIGHER,
               kind="count"),
]:
    register_measure(_m)

SCORECARD_CHILD_KEYS = ("A1", "A10", "A2", "A3", "children_adopted")
SCORECARD_ADOPTER_KEYS = ("A11", "A12", "A13")
SCORECARD_KEYS = ("A1", "A10", "A2", "A3", "A11", "A12", "A13", "children_adopted")
QUARTERLY_CHILD_KEYS = ("Q_ADM", "Q_PO", "Q_MATCHED", "Q_PLACED", "Q_EARLY_PERMANENCE", "Q_AO", "Q_PLAN_CHANGED",
                        "Q_DISRUPTIONS", "Q_WAITING", "Q_WAITING_90D", "Q_WAITING_12M", "Q_WAITING_18M",
                        "Q_WAITING_AVG_DAYS")


# ---------------------------------------------------------------------------------------------
# Periods


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str = ""

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def latest_year_ending(day: date) -> int:
    """The year of the latest 31 March on or before `day`: the last financial year ended, the scorecard in force."""
    return day.year if (day.month, day.day) >= (3, 31) else day.year - 1


def financial_year_of(day: date) -> int:
    """The year the financial year containing `day` starts in (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def scorecard_period(year_ending: int, years: int = 3) -> Period:
    """The scorecard's window: `years` years ending 31 March `year_ending` (three by default)."""
    start = date(year_ending - years, 4, 1)
    end = date(year_ending, 3, 31)
    return Period(start, end, f"{years} year{'s' if years != 1 else ''} ending 31 March {year_ending}")


def parse_quarter(text: str) -> Period:
    """'2025Q1' is April–June 2025: quarters of the financial year that starts in April of the year named,
    as the ASGLB reports them ('2025Q4' is January–March 2026)."""
    text = text.strip().upper()
    try:
        year_text, q_text = text.split("Q")
        year, q = int(year_text), int(q_text)
    except ValueError:
        raise ValueError(f"A quarter is written like 2025Q1, not {text!r}") from None
    if q not in (1, 2, 3, 4):
        raise ValueError(f"A quarter is 1 to 4, not {q}")
    start = add_months(date(year, 4, 1), 3 * (q - 1))
    end = date.fromordinal(add_months(start, 3).toordinal() - 1)
    return Period(start, end, f"{year}-{(year + 1) % 100:02d} Q{q} ({start:%-d %B %Y} to {end:%-d %B %Y})")


# ---------------------------------------------------------------------------------------------
# Thresholds (configuration as data: the rows live in models.Threshold, with their source and validity)


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


# ---------------------------------------------------------------------------------------------
# Figures


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


def round_half_up(x: float | Decimal, places: int = 0) -> int | float:
    q = Decimal(1).scaleb(-places)
    d = Decimal(str(x)).quantize(q, rounding=ROUND_HALF_UP)
    return int(d) if places == 0 else float(d)


def average_figure(key: str, values: Sequence[tuple[int, int]], period: Period, basis: str,
                   threshold: ThresholdFact | None = None, note: str = "") -> Figure:
    """`values` is (child_id, days) for every child counted. Rounded to the nearest day."""
    m = MEASURES[key]
    n = len(values)
    value = round_half_up(sum(d for _, d in values) / n) if n else None
    return Figure(
        key=key, label=m.label, value=value, n=n, unit=m.unit.value, basis=basis, period=period,
        threshold=_num(threshold.value) if threshold else None, threshold_source=threshold.source if threshold else "",
        direction=m.direction, rag=rag(value, threshold, m.direction), note=note,
        child_ids=tuple(sorted(c for c, _ in values)),
    )


def percent_figure(key: str, hits: Sequence[int], of: Sequence[int], period: Period, basis: str,
                   label: str | None = None, threshold: ThresholdFact | None = None, note: str = "") -> Figure:
    m = MEASURES[key]
    n = len(of)
    value = round_half_up(100 * len(hits) / n) if n else None
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


def _num(v):
    f = float(v)
    return int(f) if f.is_integer() else f


# ---------------------------------------------------------------------------------------------
# Suppression: figures that leave the RAA show counts of 1–4 as "<5"


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


# ---------------------------------------------------------------------------------------------
# The per-child milestones the SQL returns, and what they mean on a date


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


# ---------------------------------------------------------------------------------------------
# Scorecard (retrospective) from the milestones of children adopted in the period


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


# ---------------------------------------------------------------------------------------------
# Prospective cohort by (first) placement order date


def prospective_figures(rows: Iterable[Milestones], cohort: Period, as_of: date,
                        thresholds: Sequence[ThresholdFact] = ()) -> list[Figure]:
    """Children whose first placement order is dated in `cohort`, as their journeys stood on `as_of`.

    Matched children count days from that first PO to the match in force (0 if matched before the PO); children
    still waiting count the days from the PO to `as_of`. Children who left the pathway unmatched (plan changed
    or PO revoked with no match) are counted in P_LEFT and left out of the averages.
    """
    cohort_ids, matched, waiting, left = [], [], [], []
    po_to_match: list[tuple[int, int]] = []
    care_to_move: list[tuple[int, int]] = []
    for m in rows:
        if m.first_po not in cohort or m.first_po > as_of:
            continue
        cohort_ids.append(m.child_id)
        match = m.match_date
        if match is not None:
            matched.append(m.child_id)
            po_to_match.append((m.child_id, days_between(m.first_po, match)))  # before the PO: 0
        elif m.plan_changed or m.po_date is None or m.adoption_order is not None:
            left.append(m.child_id)
            continue
        else:
            waiting.append(m.child_id)
            po_to_match.append((m.child_id, days_between(m.first_po, as_of)))
        if m.entered_care is not None:
            moved_in = a10_date(m) if m.placed_date is not None else None
            care_to_move.append((m.child_id, days_between(m.entered_care, moved_in or as_of)))
    basis = PROSPECTIVE
    note = f"Cohort: first placement order {cohort.start:%d/%m/%Y}–{cohort.end:%d/%m/%Y}; journeys as on {as_of:%d/%m/%Y}"
    return [
        count_figure("P_COHORT", cohort_ids, cohort, basis, note),
        average_figure("P_PO_TO_MATCH", po_to_match, cohort, basis, threshold_on(thresholds, "A2", cohort.end), note),
        average_figure("P_CARE_TO_MOVE_IN", care_to_move, cohort, basis, None, note),
        count_figure("P_MATCHED", matched, cohort, basis, note),
        count_figure("P_WAITING", waiting, cohort, basis, note),
        count_figure("P_LEFT", left, cohort, basis, note),
    ]


def cohort_problems(po_from: date, po_to: date, as_of: date, today: date) -> dict[str, str]:
    """What is wrong with a prospective cohort's dates, by field (empty when nothing is): the pages and the API
    ask the same questions."""
    if po_to < po_from:
        return {"po_to": "The last date must be the same as or after the first date."}
    if as_of > today:
        return {"as_of": "The report date cannot be in the future."}
    if as_of < po_from:
        return {"as_of": "The report date must be on or after the first date of the cohort."}
    return {}


# ---------------------------------------------------------------------------------------------
# ASGLB-style quarterly figures


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


# ---------------------------------------------------------------------------------------------
# Cost (seed 003): days in care beyond a target × the cost of a day in care


@dataclass(frozen=True)
class ChildCost:
    child_id: int
    days_in_care: int
    excess_days: int
    cost: Decimal


def child_cost(child_id: int, days_in_care: int, target_days: int, daily_cost: Decimal) -> ChildCost:
    excess = max(0, days_in_care - target_days)
    return ChildCost(child_id, days_in_care, excess, (Decimal(excess) * daily_cost).quantize(Decimal("0.01")))


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


# A family computes figures from a scope and a period; the adopters app registers its own (see measures.py).
FamilyFunction = Callable[..., list[Figure]]


# ---------------------------------------------------------------------------------------------
# Drill-down: the dates that make up each children's scorecard figure, per child

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


# ---------------------------------------------------------------------------------------------
# Comparisons of groups over time (seed 000, Figures 1–2): how groups of LAs changed against the national average.
# measures.group_trend fetches the rows (one query) and groups them; these helpers make the figures.

COMPARISON_MEASURES = ("A2", "A1", "A10")  # A2 first: PO to match, as seed 000 compares
RAA_HOLDS = "raa_holds"
LA_KEEPS_CASE = "la_keeps"
CASE_HOLDING_GROUP_LABELS = {
    RAA_HOLDS: "The RAA holds the case from the placement order",
    LA_KEEPS_CASE: "The LA keeps the case",
}
WITHHELD_NOTE = ("Withheld: fewer than 5 of these children, or all of them from one local authority, are outside "
                 "your area, so the figure could reveal another area's figure")


def financial_year(start_year: int) -> Period:
    """April `start_year` to 31 March the year after, labelled like '2019-20'."""
    return Period(date(start_year, 4, 1), date(start_year + 1, 3, 31), f"{start_year}-{(start_year + 1) % 100:02d}")


def complete_financial_years(today: date, count: int = 5) -> list[Period]:
    """The last `count` financial years that ended before `today`, oldest first."""
    current = financial_year_of(today)
    return [financial_year(y) for y in range(current - count, current)]


def short_label(period: Period) -> str:
    """'2020-21 Q2' for a quarter (parse_quarter's label without its dates), the label itself otherwise."""
    return period.label.split(" (")[0] if period.label else f"{period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}"


def case_holding_group(case_holding: str | None) -> str:
    """RAA_HOLDS for every variant in which the RAA holds the case from the PO (for all children, or only for those
    aged N or under: seed 000 counts Dorset in its test group); LA_KEEPS_CASE when the LA keeps it or no policy
    is recorded (children.rules.holder_side treats a missing policy as the LA holding)."""
    from permanence.children.rules import RAA_AT_PO, RAA_AT_PO_AGE_LIMIT

    return RAA_HOLDS if case_holding in (RAA_AT_PO, RAA_AT_PO_AGE_LIMIT) else LA_KEEPS_CASE


def case_holding_membership(policies: dict[int, Sequence[tuple[date, str]]],
                            periods: Sequence[Period]) -> dict[str, dict[Period, frozenset[int]]]:
    """Per group (RAA_HOLDS, LA_KEEPS_CASE), per period, the LAs whose policy in force on the period's last day
    puts them in it. `policies` maps every LA id to its versions (effective_from, case_holding); an LA with no
    version in force keeps the case. An LA that changes policy moves group from the first period ending after
    the change."""
    out: dict[str, dict[Period, frozenset[int]]] = {RAA_HOLDS: {}, LA_KEEPS_CASE: {}}
    for p in periods:
        members: dict[str, set[int]] = {RAA_HOLDS: set(), LA_KEEPS_CASE: set()}
        for la_id, versions in policies.items():
            in_force = max((v for v in versions if v[0] <= p.end), key=lambda v: v[0], default=None)
            members[case_holding_group(in_force[1] if in_force else None)].add(la_id)
        for group, las in members.items():
            out[group][p] = frozenset(las)
    return out


@dataclass(frozen=True)
class GroupPoint:
    """One group's figure for one period, with how many LAs were in the group (None: not counted) and the
    children counted per LA (for deciding what a user may see; never shown)."""

    period: Period
    figure: Figure
    las: int | None = None
    children_by_la: dict[int, int] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Change:
    """From the first period's figure to the last's: days (last − first, of the rounded averages shown) and that
    as a whole percentage of the first. None when either figure is missing or suppressed (or the first is 0,
    for the percentage)."""

    days: int | None
    percent: int | None


def figure_number(fig: Figure) -> int | float | None:
    """The figure's value as a number; None when there is none or it is suppressed."""
    v = fig.value
    if fig.suppressed or isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return v


def change_between(first: Figure, last: Figure) -> Change:
    a, b = figure_number(first), figure_number(last)
    if a is None or b is None:
        return Change(None, None)
    return Change(round_half_up(b - a), round_half_up(100 * (b - a) / a) if a else None)


@dataclass(frozen=True)
class GroupSeries:
    label: str
    kind: str  # "group" (derived or chosen), "national", "la"
    points: tuple[GroupPoint, ...]
    code: str = ""

    @property
    def figures(self) -> list[Figure]:
        return [p.figure for p in self.points]

    @property
    def change(self) -> Change:
        if not self.points:
            return Change(None, None)
        return change_between(self.points[0].figure, self.points[-1].figure)


@dataclass(frozen=True)
class Comparison:
    """measures.group_trend's answer: each group's series, the national average's, and each LA asked for."""

    measure: str
    periods: tuple[Period, ...]
    groups: tuple[GroupSeries, ...]
    national: GroupSeries | None = None
    las: tuple[GroupSeries, ...] = ()

    @property
    def label(self) -> str:
        return MEASURES[self.measure].label

    @property
    def series(self) -> list[GroupSeries]:
        """The groups, then the national average: the columns of the comparison table."""
        return [*self.groups, *([self.national] if self.national is not None else [])]


def comparison_figure(rows: Iterable[Milestones], period: Period, key: str) -> Figure:
    """Figure `key` (A1, A10 or A2) for the children adopted in `period`, exactly as the scorecard defines it."""
    if key not in COMPARISON_MEASURES:
        raise ValueError(f"Comparisons are of {', '.join(COMPARISON_MEASURES)}, not {key!r}")
    return next(f for f in scorecard_child_figures(rows, period, ()) if f.key == key)


def group_point(rows: Sequence[Milestones], period: Period, key: str, las: int | None = None) -> GroupPoint:
    """The figure for the group's rows (already the group's children adopted in the period)."""
    fig = comparison_figure(rows, period, key)
    la_of = {m.child_id: m.la_id for m in rows}
    by_la: dict[int, int] = {}
    for child_id in fig.child_ids:
        by_la[la_of[child_id]] = by_la.get(la_of[child_id], 0) + 1
    return GroupPoint(period, fig, las, by_la)


def disclosed_point(point: GroupPoint, visible_la_ids: Iterable[int], *, small: bool = True) -> GroupPoint:
    """The point as a user who may see `visible_la_ids` may see it. Children's ids and the per-LA counts are
    dropped. With `small` (groups that reach beyond the user's LAs), an average over 1–4 children is "<5".
    If some of the children come from LAs outside the user's area but fewer than 5 of them, or all from one LA,
    the figure is withheld (value and n None): subtracting the user's own LAs from it would give another area's
    figure."""
    visible = set(visible_la_ids)
    fig = suppress(point.figure) if small else replace(point.figure, child_ids=())
    outside = {la: n for la, n in point.children_by_la.items() if n and la not in visible}
    if outside and not fig.suppressed and (sum(outside.values()) < SUPPRESS_BELOW or len(outside) < 2):
        fig = replace(fig, value=None, n=None, suppressed=True, rag=None, note=WITHHELD_NOTE)
    return replace(point, figure=fig, children_by_la={})


def disclosed_series(series: GroupSeries, visible_la_ids: Iterable[int], *, small: bool = True) -> GroupSeries:
    visible = frozenset(visible_la_ids)
    return replace(series, points=tuple(disclosed_point(p, visible, small=small) for p in series.points))
