"""Prospective figures: a cohort by (first) placement order date, children still waiting counted with their days
so far (seed 003, "A caution")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from permanence.performance.rules.figures import Figure, average_figure, count_figure
from permanence.performance.rules.milestones import Milestones, a10_date, days_between
from permanence.performance.rules.periods import Period
from permanence.performance.rules.registry import PROSPECTIVE
from permanence.performance.rules.thresholds import ThresholdFact, threshold_on


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
