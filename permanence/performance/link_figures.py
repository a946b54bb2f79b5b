"""Family finding's quarterly figures: children with a placement order waiting more than 90 days with no open
link, the links that ended and why, the time from a link being agreed to its matching panel, and inter-agency
placements. Registered with the performance app (apps.py) so the quarterly report, its CSV, XLSX and PDF, the
ASGLB return, the API and the CLI show them beside the children's and the adopters' figures; the dashboard shows
the latest complete quarter's.

"As at" the quarter's end, from the links' steps in force dated on or before it (never the links' snapshot
columns, which say where each link stands today): a link ended after the quarter was open in it. A link counts
for the scope its child's LA was in on the day that is counted (the end of the quarter for "open", the day it
ended, the panel's day, the day of placement).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from permanence.family_finding import rules as link_rules
from permanence.family_finding.models import Link, LinkEvent
from permanence.performance import measures, rules
from permanence.performance.rules import RETROSPECTIVE, Figure, Period
from permanence.performance.rules.figures import average_figure, count_figure
from permanence.performance.rules.milestones import days_between
from permanence.performance.rules.quarterly import is_waiting

NO_LINK_DAYS = 90
PO_NO_LINK = "Q_PO_NO_LINK_90D"
ENDED = "Q_LINKS_ENDED"
LINK_TO_PANEL = "Q_LINK_TO_PANEL_DAYS"
INTER_AGENCY = "Q_INTER_AGENCY_PLACED"
ENDED_BY_REASON = {reason: f"Q_LINKS_ENDED_{reason.upper()}" for reason in link_rules.END_REASON_LABELS}

DEFINITIONS = [
    rules.MeasureDef(PO_NO_LINK, "Children with a placement order waiting more than 90 days with no open link",
                     rules.Unit.CHILDREN, direction=rules.LOWER, kind="count",
                     description="At the quarter end: waiting since the placement order more than 90 days, and no "
                                 "link open with any household."),
    rules.MeasureDef(ENDED, "Links that ended without a placement", rules.Unit.LINKS, direction=rules.NEUTRAL,
                     kind="count", description="Links ended in the quarter, for any reason."),
    *[rules.MeasureDef(key, f"… of which: {link_rules.END_REASON_LABELS[reason][0].lower()}"
                            f"{link_rules.END_REASON_LABELS[reason][1:]}", rules.Unit.LINKS, direction=rules.NEUTRAL,
                       kind="count") for reason, key in ENDED_BY_REASON.items()],
    rules.MeasureDef(LINK_TO_PANEL, "Average days from the link being agreed to the matching panel",
                     rules.Unit.DAYS, direction=rules.LOWER, kind="average",
                     description="Links whose matching panel made its recommendation in the quarter."),
    rules.MeasureDef(INTER_AGENCY, "Children placed with another agency's adopters (inter-agency)",
                     rules.Unit.CHILDREN, direction=rules.NEUTRAL, kind="count",
                     description="Placed in the quarter through a link with a household of another RAA or a VAA."),
]
KEYS = tuple(d.key for d in DEFINITIONS)
for _definition in DEFINITIONS:
    rules.register_measure(_definition)


@dataclass(frozen=True)
class LinkAsAt:
    """One link as its steps dated on or before a day say it stood."""

    link_id: int
    la_id: int
    inter_agency: bool
    children: tuple[int, ...]
    state: link_rules.LinkState


def links_as_at(scope: measures.Scope, day: date) -> list[LinkAsAt]:
    """Every link of the scope's LAs opened by `day`, replayed from its steps in force dated on or before it."""
    links = Link.objects.filter(opened_on__lte=day)
    if scope.la_ids is not None:
        links = links.filter(la_id__in=scope.la_ids)
    rows = {pk: (la_id, household_raa != raa) for pk, la_id, raa, household_raa in
            links.values_list("pk", "la_id", "raa_id", "household__raa_id")}
    if not rows:
        return []
    children: dict[int, list[int]] = defaultdict(list)
    facts: dict[int, list] = defaultdict(list)
    through = Link.children.through.objects.filter(link__in=links).values_list("link_id", "child_id")
    for link_id, child_id in through:
        children[link_id].append(child_id)
    steps = LinkEvent.objects.filter(link__in=links, superseded=False, date__lte=day).values_list(
        "pk", "link_id", "kind", "date", "details")
    for pk, link_id, kind, on, details in steps:
        facts[link_id].append(link_rules.EventFact(kind=link_rules.Kind(kind), date=on, seq=pk, details=details))
    return [LinkAsAt(pk, la_id, inter, tuple(sorted(children[pk])), link_rules.replay(facts[pk]))
            for pk, (la_id, inter) in rows.items() if facts[pk]]


def _waiting_over(scope: measures.Scope, day: date, days: int) -> dict[int, int]:
    """The children waiting with a placement order on `day` for more than `days` days (as Q_WAITING_90D counts
    them): child id -> their LA."""
    out = {}
    for row in measures.fetch(measures.milestone_rows(scope, until=day, having=Q(last_po__isnull=False))):
        m = measures.milestones_of(row)
        if is_waiting(m) and scope.includes(m.la_id, day) and days_between(m.po_date, day) > days:
            out[m.child_id] = m.la_id
    return out


def figures(scope: measures.Scope, period: Period, *, known: dict[str, Figure] | None = None) -> list[Figure]:
    """The family's figures for the quarter. `known`: the quarterly report's children's figures, whose
    Q_WAITING_90D (the same children, counted the same way) saves querying them again."""
    links = links_as_at(scope, period.end)
    linked = {c for lk in links if lk.state.open for c in lk.children}
    ready = (known or {}).get("Q_WAITING_90D")
    waiting = set(ready.child_ids) if ready is not None and not ready.suppressed else \
        _waiting_over(scope, period.end, NO_LINK_DAYS)
    out = [count_figure(PO_NO_LINK, [c for c in waiting if c not in linked], period, RETROSPECTIVE,
                        note=f"On {period.end:%d/%m/%Y}")]

    def within(lk: LinkAsAt, day: date | None) -> bool:
        return day is not None and period.start <= day <= period.end and scope.includes(lk.la_id, day)

    ended = [lk for lk in links if within(lk, lk.state.ended)]
    out.append(_link_count(ENDED, ended, period))
    for reason, key in ENDED_BY_REASON.items():
        out.append(_link_count(key, [lk for lk in ended if lk.state.ended_reason == reason], period))
    to_panel = [(lk.children[0], days_between(lk.state.agreed, lk.state.recommended)) for lk in links
                if lk.state.agreed and within(lk, lk.state.recommended) and lk.children]
    out.append(average_figure(LINK_TO_PANEL, to_panel, period, RETROSPECTIVE))
    placed = [c for lk in links if lk.inter_agency and within(lk, lk.state.placed) for c in lk.children]
    out.append(count_figure(INTER_AGENCY, placed, period, RETROSPECTIVE))
    return out


DASHBOARD_CACHE_SECONDS = 5 * 60


def data_version() -> tuple[int, int, int]:
    """What the figures were worked out from, cheaply: the newest child event, link step and audit entry (every
    write to a journey adds an event or, for a withdrawal, an audit entry; three index lookups)."""
    from django.db.models import Max

    from permanence.children.models import JourneyEvent
    from permanence.core.models import AuditEvent

    return tuple(m.objects.aggregate(n=Max("id"))["n"] or 0 for m in (JourneyEvent, LinkEvent, AuditEvent))


def figures_for_dashboard(scope: measures.Scope, period: Period) -> list[Figure]:
    """`figures`, kept in Django's cache until anything is recorded (data_version): the dashboard shows the last
    complete quarter's to everyone who opens it, and it changes only when a record does. At most for five
    minutes: two writes committed out of the order of their ids could leave the newest id in place while the
    other lands, and the copy then lasts no longer than that."""
    from django.core.cache import cache

    las = ",".join(map(str, sorted(scope.la_ids))) if scope.la_ids is not None else "*"
    version = "-".join(map(str, data_version()))
    key = f"link_figures:{scope.kind}:{scope.code}:{las}:{period.start}:{period.end}:{version}"
    found = cache.get(key)
    if found is None:
        found = figures(scope, period)
        cache.set(key, found, DASHBOARD_CACHE_SECONDS)
    return found


def _link_count(key: str, links: list[LinkAsAt], period: Period) -> Figure:
    """A count of links (n: links; the children behind them for the drill-down)."""
    m = rules.MEASURES[key]
    children = tuple(sorted({c for lk in links for c in lk.children}))
    return Figure(key=key, label=m.label, value=len(links), n=len(links), unit=m.unit.value, basis=RETROSPECTIVE,
                  period=period, direction=m.direction, child_ids=children)


def register() -> None:
    measures.register_family("quarterly", figures, reads_known=True)
