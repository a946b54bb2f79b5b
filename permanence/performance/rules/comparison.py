"""Comparisons of groups over time (seed 000, Figures 1–2): how groups of LAs changed against England's
published figures (NationalFigure; never an average of the installation's LAs).

measures.group_trend reads each LA's totals (performance.AdoptionDays, one query) and combines them per group with
point_from_totals; group_point is the same figure from the children's milestones (the definition the totals are
tested against)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from permanence.performance.rules.figures import Figure, round_half_up, totals_figure
from permanence.performance.rules.milestones import Milestones
from permanence.performance.rules.periods import Period
from permanence.performance.rules.registry import MEASURES, RETROSPECTIVE
from permanence.performance.rules.scorecard import scorecard_child_figures
from permanence.performance.rules.suppression import SUPPRESS_BELOW, suppress

COMPARISON_MEASURES = ("A2", "A1", "A10")  # A2 first: PO to match, as seed 000 compares
RAA_HOLDS = "raa_holds"
LA_KEEPS_CASE = "la_keeps"
CASE_HOLDING_GROUP_LABELS = {
    RAA_HOLDS: "The RAA holds the case from the placement order",
    LA_KEEPS_CASE: "The LA keeps the case",
}
WITHHELD_NOTE = ("Withheld: fewer than 5 of these children, or all of them from one local authority, are outside "
                 "your area, so the figure could reveal another area's figure")


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
    return Change(round_half_up(b - a), round_half_up(Decimal(str(100 * (b - a))) / Decimal(str(a))) if a else None)


@dataclass(frozen=True)
class GroupSeries:
    label: str
    kind: str  # "group" (derived or chosen), "installation" (every LA held), "national" (England, published), "la"
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
    """measures.group_trend's answer: each group's series, England's published figures (`national`), each LA
    asked for, and the average of every LA in the installation (`installation`, never called national)."""

    measure: str
    periods: tuple[Period, ...]
    groups: tuple[GroupSeries, ...]
    national: GroupSeries | None = None
    las: tuple[GroupSeries, ...] = ()
    installation: GroupSeries | None = None

    @property
    def label(self) -> str:
        return MEASURES[self.measure].label

    @property
    def series(self) -> list[GroupSeries]:
        """The groups, all the installation's LAs, then England: the columns of the comparison table."""
        return [*self.groups, *(s for s in (self.installation, self.national) if s is not None)]


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


def point_from_totals(by_la: dict[int, tuple[int, int]], period: Period, key: str,
                      las: int | None = None) -> GroupPoint:
    """The group's figure from its LAs' totals for the period: {LA id: (days added up, children counted)}. Sums
    combined, never averages: the same figure as group_point over the same children (without their ids)."""
    if key not in COMPARISON_MEASURES:
        raise ValueError(f"Comparisons are of {', '.join(COMPARISON_MEASURES)}, not {key!r}")
    total = sum(t for t, _ in by_la.values())
    n = sum(c for _, c in by_la.values())
    return GroupPoint(period, totals_figure(key, total, n, period, RETROSPECTIVE), las,
                      {la: c for la, (_t, c) in by_la.items() if c})


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
