"""The figures a generated LA should show, computed independently from the generator's own children.

Pure Python, no Django, no clock. Written from the definitions in domain.md section 6, straight from the
generated children's events and earlier periods of care – not through the 903 writer or importer, not through
performance.rules and not through children.rules' derived state (only its vocabulary, `Kind`). It is the other
side of the property test: every way of uploading a generated LA's 903 returns must give these figures.

API (children are `GeneratedChild` objects, or anything with `.events` – EventFacts – and optionally
`.earlier_periods` – (start, end, REC) tuples – and `.la_child_id`):

    scorecard(children, year_ending, a3_months=14) -> {"A1": (value, n), "A10": (value, n), "A2": (value, n),
                                                        "A3": (percent, n), "children_adopted": (n, n)}
        The three years 1 April year_ending-3 – 31 March year_ending. The cohort is the children whose adoption
        order falls in it. value is None when n is 0.
        A1  average days from the start of the period of care in which the child was placed for adoption (the
            latest start – an earlier period's or the journey's entry into care – on or before the move-in) to
            the move-in (the last placed-for-adoption on or before the adoption order);
        A10 the same, to the day the child moved in with the adopting carers when the adopters are the child's
            foster or early permanence carers (PLACED details by_foster_carers and moved_in_with_carers), else to
            the move-in – an early permanence placement followed by adoption by others counts from the move-in;
        A2  average days from the placement order in force on the day of the match decision that led to the
            adoption (the last match on or before the move-in) to that match; a match made before the placement
            order counts 0; a child with no placement order before the adoption order is not counted;
        A3  per cent of the A1 children who moved in less than `a3_months` calendar months after the start of
            that period of care (31 January + 1 month = the last day of February);
        averages and percentages rounded half up to a whole number.

    quarterly(children, quarter_start, quarter_end) -> {"Q_ADM": n, "Q_PO": n, "Q_MATCHED": n, "Q_PLACED": n,
        "Q_EARLY_PERMANENCE": n, "Q_AO": n, "Q_PLAN_CHANGED": n, "Q_DISRUPTIONS": n, "Q_WAITING": n,
        "Q_WAITING_90D": n, "Q_WAITING_12M": n, "Q_WAITING_18M": n, "Q_WAITING_AVG_DAYS": days or None}
        Counts of children with at least one such event dated in the quarter (both ends included), and the
        children waiting at the quarter end as things stood then (only events on or before it): a placement
        order in force, not placed for adoption (a move-in that disrupted later still counts), not adopted,
        plan not changed away from adoption; of whom waiting more than 90 days, and 12 and 18 calendar months
        or more, since that order; and their average days waiting (rounded half up).

    adoption_facts(child) -> Adoption | None
        One child's dates behind the Scorecard (for a drill-down comparison).

These are figures of the journeys as the generator made them. A 903 return does not carry everything
(matches that never led to a placement, a plan change before any should-be-placed decision): to compare
quarterly counts with figures from imported returns, pass children whose events are what a return carries.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from permanence.children.rules import Kind as K


def _rounded(numerator: int, denominator: int) -> int:
    return int((Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _plus_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _events(child) -> list:
    return sorted(child.events, key=lambda e: (e.date, e.seq))


def _dates(events, kind) -> list[date]:
    return [e.date for e in events if e.kind is kind]


@dataclass(frozen=True)
class Adoption:
    child: str
    period_start: date  # the start of the period of care in which the child was placed
    moved_in: date  # the move-in that led to the adoption
    a10_from: date  # moved in with the adopting carers (foster / early permanence carers), else moved_in
    po: date | None  # the placement order in force at the match (None: match before the order, or no order)
    had_po: bool  # a placement order was made before the adoption order
    match: date | None
    adoption_order: date


def adoption_facts(child) -> Adoption | None:
    """The dates behind a child's part in the Scorecard, or None if the child has not been adopted."""
    ev = _events(child)
    aos = _dates(ev, K.ADOPTION_ORDER)
    if not aos:
        return None
    ao = aos[0]
    placements = [e for e in ev if e.kind is K.PLACED and e.date <= ao]
    if not placements:
        return None
    placed = placements[-1]
    starts = _dates(ev, K.ENTERED_CARE) + [p[0] for p in getattr(child, "earlier_periods", ())]
    starts = [s for s in starts if s <= placed.date]
    if not starts:
        return None
    a10_from = placed.date
    if placed.details.get("by_foster_carers") and placed.details.get("moved_in_with_carers"):
        a10_from = date.fromisoformat(str(placed.details["moved_in_with_carers"]))
    matches = [d for d in _dates(ev, K.MATCH_DECISION) if d <= placed.date]
    match = matches[-1] if matches else None
    po_in_force = None
    if match is not None:
        for e in ev:
            if e.date > match:
                break
            if e.kind is K.PLACEMENT_ORDER:
                po_in_force = e.date
            elif e.kind is K.PO_REVOKED:
                po_in_force = None
    had_po = any(d <= ao for d in _dates(ev, K.PLACEMENT_ORDER))
    return Adoption(getattr(child, "la_child_id", ""), max(starts), placed.date, a10_from, po_in_force, had_po,
                    match, ao)


def scorecard(children: Iterable, year_ending: int, a3_months: int = 14) -> dict[str, tuple[int | None, int]]:
    """A1, A10, A2, A3 (each (value, n)) and children_adopted for the three years ending 31 March `year_ending`."""
    start, end = date(year_ending - 3, 4, 1), date(year_ending, 3, 31)
    a1: list[int] = []
    a10: list[int] = []
    a2: list[int] = []
    a3_hits = 0
    adopted = 0
    for child in children:
        f = adoption_facts(child)
        if f is None or not (start <= f.adoption_order <= end):
            continue
        adopted += 1
        a1.append((f.moved_in - f.period_start).days)
        a10.append((f.a10_from - f.period_start).days)
        if f.moved_in < _plus_months(f.period_start, a3_months):
            a3_hits += 1
        if f.had_po and f.match is not None:
            a2.append((f.match - f.po).days if f.po is not None else 0)

    def avg(xs: list[int]) -> tuple[int | None, int]:
        return (_rounded(sum(xs), len(xs)) if xs else None, len(xs))

    return {"A1": avg(a1), "A10": avg(a10), "A2": avg(a2),
            "A3": (_rounded(100 * a3_hits, len(a1)) if a1 else None, len(a1)),
            "children_adopted": (adopted, adopted)}


QUARTER_KINDS = {
    "Q_ADM": K.SHOULD_BE_PLACED, "Q_PO": K.PLACEMENT_ORDER, "Q_MATCHED": K.MATCH_DECISION, "Q_PLACED": K.PLACED,
    "Q_EARLY_PERMANENCE": K.EARLY_PERMANENCE, "Q_AO": K.ADOPTION_ORDER, "Q_PLAN_CHANGED": K.PLAN_CHANGED,
    "Q_DISRUPTIONS": K.DISRUPTION,
}


def waiting_since(child, on: date) -> date | None:
    """The date of the placement order a child was waiting on at the end of `on` (None if not waiting)."""
    po = placed = adopted = changed = None
    for e in _events(child):
        if e.date > on:
            break
        k = e.kind
        if k is K.PLACEMENT_ORDER:
            po = e.date
        elif k is K.PO_REVOKED:
            po = None
        elif k is K.PLACED:
            placed = e.date
        elif k is K.DISRUPTION:
            placed = None
        elif k is K.ADOPTION_ORDER:
            adopted = e.date
        elif k is K.PLAN_CHANGED:
            changed = e.date
        elif k is K.PERMANENCE_PLAN:
            changed = None
    if po is None or placed or adopted or changed:
        return None
    return po


def quarterly(children: Iterable, quarter_start: date, quarter_end: date) -> dict[str, int | None]:
    """The quarterly child counts for quarter_start..quarter_end (see the module docstring)."""
    out: dict[str, int | None] = {key: 0 for key in QUARTER_KINDS}
    waiting_days: list[int] = []
    w90 = w12 = w18 = 0
    for child in children:
        kinds = {e.kind for e in child.events if quarter_start <= e.date <= quarter_end}
        for key, kind in QUARTER_KINDS.items():
            out[key] += kind in kinds
        po = waiting_since(child, quarter_end)
        if po is not None:
            days = (quarter_end - po).days
            waiting_days.append(days)
            w90 += days > 90
            w12 += _plus_months(po, 12) <= quarter_end
            w18 += _plus_months(po, 18) <= quarter_end
    out.update(Q_WAITING=len(waiting_days), Q_WAITING_90D=w90, Q_WAITING_12M=w12, Q_WAITING_18M=w18,
               Q_WAITING_AVG_DAYS=_rounded(sum(waiting_days), len(waiting_days)) if waiting_days else None)
    return out


def prospective(children: Iterable, po_from: date, po_to: date, as_of: date) -> dict[str, tuple[int | None, int]]:
    """A prospective cohort (seed 003's caution): children whose first placement order is dated po_from–po_to,
    as their journeys stood on `as_of` (only events on or before it).

    P_COHORT: the children; P_MATCHED: those with a match decision still standing on as_of (no link ended,
    placement order revoked or disruption on or after it); P_LEFT: the others who left the pathway (plan changed
    away from adoption, placement order no longer in force, or adopted without a standing match); P_WAITING: the
    rest. P_PO_TO_MATCH: average days from the first placement order to the standing match (a match before the
    order counts 0) for the matched, and to as_of for the waiting; the children who left are not averaged.
    Each value is (value, n); counts are (n, n).
    """
    cohort, matched, waiting, left = 0, 0, 0, 0
    days: list[int] = []
    for child in children:
        ev = [e for e in _events(child) if e.date <= as_of]
        pos = _dates(ev, K.PLACEMENT_ORDER)
        if not pos or not (po_from <= pos[0] <= po_to):
            continue
        cohort += 1
        first_po = pos[0]
        matches = _dates(ev, K.MATCH_DECISION)
        undone = _dates(ev, K.LINK_ENDED) + _dates(ev, K.PO_REVOKED) + _dates(ev, K.DISRUPTION)
        standing = matches[-1] if matches and not any(d >= matches[-1] for d in undone) else None
        if standing is not None:
            matched += 1
            days.append(max(0, (standing - first_po).days))
            continue
        revoked = _dates(ev, K.PO_REVOKED)
        plans = _dates(ev, K.PERMANENCE_PLAN)
        changed = _dates(ev, K.PLAN_CHANGED)
        plan_changed = bool(changed) and (not plans or changed[-1] >= plans[-1])
        po_gone = bool(revoked) and revoked[-1] >= pos[-1]
        if plan_changed or po_gone or _dates(ev, K.ADOPTION_ORDER):
            left += 1
            continue
        waiting += 1
        days.append(max(0, (as_of - first_po).days))
    return {"P_COHORT": (cohort, cohort), "P_MATCHED": (matched, matched), "P_WAITING": (waiting, waiting),
            "P_LEFT": (left, left), "P_PO_TO_MATCH": (_rounded(sum(days), len(days)) if days else None, len(days))}
