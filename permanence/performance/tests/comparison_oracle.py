"""The comparisons as they were worked out before the totals (issue 17): every child adopted in the periods, read
with its milestones from its events (measures.milestone_rows), grouped in Python and averaged with the scorecard's
own definition (rules.group_point → scorecard_child_figures). Slow at national scale, and exactly the definition:
the test oracle that measures.group_trend (AdoptionDays' totals per LA, combined per group) is checked against. Not
production code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from permanence.organisations.models import Organisation
from permanence.performance import measures, rules
from permanence.performance.measures import GroupMembers, Scope, _membership
from permanence.performance.rules import Period


def group_trend_from_milestones(groups: dict[str, GroupMembers], periods: Sequence[Period], measure: str = "A2", *,
                                national: bool = True, per_la: Iterable[Organisation] = ()) -> rules.Comparison:
    """measures.group_trend's answer from the children's milestones (with each figure's child ids)."""
    periods = tuple(periods)
    tests = {label: _membership(members) for label, members in groups.items()}
    per_la = list(per_la)
    every = [ids for _member, _count, ids in tests.values()]
    if national or any(ids is None for ids in every):
        query_scope = measures.scope_all()
    else:
        union = frozenset().union(*every, (la.pk for la in per_la))
        query_scope = Scope(label="Comparison", kind="las", la_ids=union)
    until = max(p.end for p in periods)
    rows = list(map(measures.milestones_of, measures.fetch(
        measures.milestone_rows(query_scope, until=until, adopted_in=periods))))
    in_period = [(p, [m for m in rows if m.adoption_order in p]) for p in periods]

    def series(label: str, kind: str, member, count, code: str = "") -> rules.GroupSeries:
        return rules.GroupSeries(label, kind, tuple(
            rules.group_point([m for m in ms if member(m.la_id, p, m.adoption_order)], p, measure, count(p))
            for p, ms in in_period), code)

    out = [series(label, "group", member, count) for label, (member, count, _ids) in tests.items()]
    installation = series(rules.INSTALLATION_LABEL, "installation", lambda la, p, day: True,
                          lambda p: None) if national else None
    england = rules.national_series(measure, periods, measures.national_figures(measure)) if national else None
    las = [series(str(la), "la", (lambda pk: lambda la_id, p, day: la_id == pk)(la.pk), lambda p: 1, la.code)
           for la in per_la]
    return rules.Comparison(measure, periods, tuple(out), england, tuple(las), installation)
