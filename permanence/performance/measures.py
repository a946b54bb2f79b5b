"""The measures: one function per family of measures, one SQL query per family.

Everything that shows a figure – the scorecard page, `permanence report`, the API, future dashboards – calls
these functions, so they can never disagree:

    scorecard(scope, year_ending)                      Adoption Scorecard A1, A10, A2, A3 (+ A11–A13 when registered)
    scorecard_by_la(year_ending, las=None)             the same for every LA at once (one query)
    quarterly_children(scope, quarter)                 ASGLB-style quarterly figures for children
    prospective_cohort(scope, po_from, po_to, as_of)   children by first PO date, still waiting counted
    cost(scope, period, target_days, baseline)         days in care beyond a target × the daily cost of care

A scope is an LA, an RAA (its member LAs on the relevant date, see RAAMembership), a chosen group of LAs, or
everything. Each query aggregates the child's journey events (superseded=False) per child in SQL (conditional
aggregation that runs on SQLite and PostgreSQL alike); `rules.py` then makes the figures in one pass over those
per-child rows. Adopter and adoption support measures plug in with `register_family`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db import connections
from django.db.models import Case, CharField, Count, IntegerField, Max, Min, Q, Sum, TextField, Value, When
from django.db.models.functions import Cast, Concat

from permanence.children.models import Child, JourneyEvent
from permanence.children.rules import Kind
from permanence.organisations.models import Organisation
from permanence.performance import rules
from permanence.performance.models import (
    AdoptionDays,
    DailyCostOfCare,
    LocalTarget,
    NationalFigure,
    RAAMembership,
    Threshold,
)
from permanence.performance.rules import Figure, Milestones, Period

# ---------------------------------------------------------------------------------------------
# Scopes


@dataclass(frozen=True)
class Scope:
    """Whose figures: `la_ids` None means every LA. For an RAA, `intervals` says when each LA counted for it."""

    label: str
    code: str = ""
    kind: str = "las"  # la, raa, las, all
    la_ids: frozenset[int] | None = None
    intervals: dict[int, tuple[tuple[date | None, date | None], ...]] | None = field(default=None, compare=False)

    def includes(self, la_id: int, day: date | None) -> bool:
        if self.la_ids is not None and la_id not in self.la_ids:
            return False
        if self.intervals is None:
            return True
        if day is None:
            return False
        return any((start is None or start <= day) and (end is None or day <= end)
                   for start, end in self.intervals.get(la_id, ()))

    def as_dict(self) -> dict:
        return {"kind": self.kind, "code": self.code, "label": self.label}


def scope_for_la(la: Organisation) -> Scope:
    return Scope(label=str(la), code=la.code, kind="la", la_ids=frozenset({la.pk}))


def scope_for_las(las: Iterable[Organisation], label: str = "Chosen local authorities") -> Scope:
    las = list(las)
    return Scope(label=label, code=",".join(sorted(la.code for la in las)), kind="las",
                 la_ids=frozenset(la.pk for la in las))


def scope_all(label: str = "All local authorities") -> Scope:
    return Scope(label=label, code="*", kind="all")


def raa_intervals(raa: Organisation) -> dict[int, tuple[tuple[date | None, date | None], ...]]:
    """When each LA counted for this RAA: its RAAMembership rows, or – for an LA with none – always, if the RAA is
    its current one."""
    intervals: dict[int, list] = defaultdict(list)
    with_history = set(RAAMembership.objects.values_list("la_id", flat=True).distinct())
    for la_id, start, end in RAAMembership.objects.filter(raa=raa).values_list("la_id", "valid_from", "valid_to"):
        intervals[la_id].append((start, end))
    for la_id in Organisation.objects.filter(kind=Organisation.Kind.LA, raa=raa).values_list("pk", flat=True):
        if la_id not in with_history:
            intervals[la_id].append((None, None))
    return {la_id: tuple(v) for la_id, v in intervals.items()}


def scope_for_raa(raa: Organisation) -> Scope:
    intervals = raa_intervals(raa)
    return Scope(label=raa.name, code=raa.code, kind="raa", la_ids=frozenset(intervals), intervals=intervals)


def scope_for_code(*, la: str | None = None, raa: str | None = None) -> Scope:
    """For the command line: an LA by its code (or several, comma-separated), an RAA by its code, or '*' for all."""
    if la == "*" or raa == "*":
        return scope_all()
    if raa:
        return scope_for_raa(Organisation.objects.get(kind=Organisation.Kind.RAA, code=raa))
    codes = [c.strip() for c in (la or "").split(",") if c.strip()]
    las = list(Organisation.objects.filter(kind=Organisation.Kind.LA, code__in=codes))
    missing = set(codes) - {o.code for o in las}
    if missing or not las:
        raise Organisation.DoesNotExist(f"No local authority with code {', '.join(sorted(missing)) or la!r}")
    return scope_for_la(las[0]) if len(las) == 1 else scope_for_las(las)


# ---------------------------------------------------------------------------------------------
# Configuration


_THRESHOLDS_READ: ContextVar[list[rules.ThresholdFact] | None] = ContextVar("thresholds_read", default=None)


def thresholds() -> list[rules.ThresholdFact]:
    """The national thresholds and measure parameters (performance.Threshold), every row: read once per
    `one_reading()` block, else once per call."""
    held = _THRESHOLDS_READ.get()
    if held is not None:
        return held
    return [t.as_fact() for t in Threshold.objects.all()]


@contextmanager
def one_reading():
    """Within the block, the thresholds are read from the database once (a report that works out a dozen families
    asks for them a dozen times); outside it, each call reads them again."""
    if _THRESHOLDS_READ.get() is not None:
        yield
        return
    token = _THRESHOLDS_READ.set([t.as_fact() for t in Threshold.objects.all()])
    try:
        yield
    finally:
        _THRESHOLDS_READ.reset(token)


def local_targets(scope: Scope) -> list[rules.ThresholdFact]:
    """The scope's own targets (LocalTarget rows of the RAA or the LA the scope is); none for groups."""
    if scope.kind not in ("raa", "la") or not scope.code:
        return []
    kind = Organisation.Kind.RAA if scope.kind == "raa" else Organisation.Kind.LA
    return [t.as_fact() for t in LocalTarget.objects.filter(organisation__kind=kind, organisation__code=scope.code)]


def cost_organisations(scope: Scope) -> list[Organisation]:
    """Whose daily cost of care applies to a scope, most specific first: an LA's own, then its RAA's; an RAA's
    own; none for groups (the installation's default)."""
    if scope.kind == "la":
        la = Organisation.objects.select_related("raa").filter(kind=Organisation.Kind.LA, code=scope.code).first()
        return [o for o in (la, la.raa if la else None) if o is not None]
    if scope.kind == "raa":
        return list(Organisation.objects.filter(kind=Organisation.Kind.RAA, code=scope.code))
    return []


def daily_cost_on(day: date, organisations: Sequence[Organisation] = ()) -> DailyCostOfCare | None:
    """The daily cost of care in force on `day` for the first of `organisations` that has one in force, else the
    installation's default (one query)."""
    rows = list(DailyCostOfCare.objects.filter(Q(organisation__in=list(organisations)) | Q(organisation__isnull=True),
                                               valid_from__lte=day).order_by("-valid_from"))
    for org in [*organisations, None]:
        found = next((r for r in rows if r.organisation_id == (org.pk if org else None)), None)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------------------------------------
# The one query: a child's milestones, aggregated in SQL (rules.aggregate_milestones is the same aggregation in
# Python; tests/test_milestones_sql keeps the two equal)


MILESTONE_KINDS = [Kind.ENTERED_CARE, Kind.PERMANENCE_PLAN, Kind.PLACEMENT_ORDER, Kind.PO_REVOKED,
                   Kind.MATCH_DECISION, Kind.LINK_ENDED, Kind.PLACED, Kind.EARLY_PERMANENCE, Kind.DISRUPTION,
                   Kind.ADOPTION_ORDER, Kind.PLAN_CHANGED, Kind.SHOULD_BE_PLACED]


def _on(kind: Kind, **extra) -> Q:
    return Q(kind=kind.value, **extra)


MILESTONE_AGGREGATES = {
    "entered_care": Min("date", filter=_on(Kind.ENTERED_CARE)),
    "first_po": Min("date", filter=_on(Kind.PLACEMENT_ORDER)),
    "last_po": Max("date", filter=_on(Kind.PLACEMENT_ORDER)),
    "last_po_revoked": Max("date", filter=_on(Kind.PO_REVOKED)),
    "last_match": Max("date", filter=_on(Kind.MATCH_DECISION)),
    "last_link_ended": Max("date", filter=_on(Kind.LINK_ENDED)),
    "last_placed": Max("date", filter=_on(Kind.PLACED)),
    # The latest placement's details ride along with its date: 'YYYY-MM-DD|{json}' sorts by the date.
    "last_placed_key": Max(Concat(Cast("date", CharField()), Value("|"), Cast("details", TextField()),
                                  output_field=TextField()), filter=_on(Kind.PLACED)),
    "last_early_permanence": Max("date", filter=_on(Kind.EARLY_PERMANENCE)),
    "last_disruption": Max("date", filter=_on(Kind.DISRUPTION)),
    "adoption_order": Max("date", filter=_on(Kind.ADOPTION_ORDER)),
    "last_plan": Max("date", filter=_on(Kind.PERMANENCE_PLAN)),
    "last_plan_changed": Max("date", filter=_on(Kind.PLAN_CHANGED)),
}
_MILESTONE_FIELDS = [k for k in MILESTONE_AGGREGATES if k != "last_placed_key"]


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _milestones(row: dict) -> Milestones:
    details: dict = {}
    key = row.get("last_placed_key")
    if key:
        _, _, text = key.partition("|")
        if "moved_in_with_carers" in text:  # the only detail the measures read: parse only then
            try:
                details = json.loads(text)
            except ValueError:
                details = {}
    return Milestones(child_id=row["child_id"], la_id=row["la_id"], last_placed_details=details,
                      **{k: _as_date(row[k]) for k in _MILESTONE_FIELDS})


milestones_of = _milestones  # one row of milestone_rows as Milestones (for the families registered below)


OTHER_KINDS = [k.value for k in Kind if k not in MILESTONE_KINDS]


def scope_children(scope: Scope):
    """The ids of the scope's children (a subquery): what a scoped query reads first (scope first)."""
    return Child.objects.filter(la_id__in=sorted(scope.la_ids)).values("pk")


def _events(scope: Scope, until: date, *, by_kind: bool = True):
    qs = JourneyEvent.objects.filter(superseded=False, date__lte=until)
    if by_kind:
        qs = qs.filter(kind__in=[k.value for k in MILESTONE_KINDS])
    else:
        qs = qs.exclude(kind__in=OTHER_KINDS)  # NOT IN: the same rows, without steering SQLite to the kind index
    if scope.la_ids is not None:
        # Joined to the child (whose LA the rows carry): both databases start from the LAs' children here.
        qs = qs.filter(child__la_id__in=sorted(scope.la_ids))
    return qs


def _children_with(scope: Scope, kind: Kind, periods: Sequence[Period]):
    """The ids of children with an event of this kind dated in any of the periods (a subquery, not a query).
    Scoped, it starts from the scope's children (child_id IN (children of these LAs)) and reads each one's events
    of the kind through the (child, kind, date, superseded) index – not the country's events of the kind through
    the (kind, date) index, filtered by LA afterwards – so one RAA's figures do not slow as other RAAs grow
    (docs/performance.md, "Scope first")."""
    when = Q()
    for p in periods:
        when |= Q(date__gte=p.start, date__lte=p.end)
    qs = JourneyEvent.objects.filter(when, superseded=False, kind=kind.value)
    if scope.la_ids is not None:
        qs = qs.filter(child_id__in=scope_children(scope))
    return qs.values("child_id")


def milestone_rows(scope: Scope, *, until: date, adopted_in: Sequence[Period] = (),
                   first_po_in: Period | None = None, extra: dict | None = None, having: Q | None = None):
    """One SQL query: per child, the milestones from its events dated on or before `until`."""
    # With a cohort (a few children) or a few LAs, the planner should reach their events through the child index,
    # not scan every event of these kinds: so no kind filter then (the aggregates pick the kinds they need
    # anyway). SQLite otherwise takes the kind index for an RAA's LAs: 0.58 s instead of 0.06 s nationally.
    qs = _events(scope, until, by_kind=scope.la_ids is None and not (adopted_in or first_po_in))
    if adopted_in:
        qs = qs.filter(child_id__in=_children_with(scope, Kind.ADOPTION_ORDER, adopted_in))
    if first_po_in is not None:
        qs = qs.filter(child_id__in=_children_with(scope, Kind.PLACEMENT_ORDER, [first_po_in]))
    # Grouped by the child alone (its LA rides along as an aggregate): SQLite then needs no sort to group.
    qs = qs.order_by().values("child_id").annotate(la_id=Max("child__la_id"), **MILESTONE_AGGREGATES,
                                                    **(extra or {}))
    if having is not None:
        qs = qs.filter(having)
    return qs


def fetch(qs) -> Iterator[dict]:
    """The rows of a milestone query as dicts, straight from the cursor: Django's per-value converters cost
    more than the query's aggregation on a national scorecard, and `_milestones` parses the dates itself
    (SQLite returns the aggregated dates as text, PostgreSQL as dates)."""
    sql, params = qs.query.sql_with_params()
    names = [*qs.query.extra_select, *qs.query.values_select, *qs.query.annotation_select]
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(2000):
            for row in batch:
                yield dict(zip(names, row, strict=True))


# ---------------------------------------------------------------------------------------------
# Families registered by other apps (adopters: A11–A13 and ASGLB adopter measures; later adoption support)

FamilyFunction = Callable[[Scope, Period], list[Figure]]
_FAMILIES: dict[str, list[FamilyFunction]] = {"scorecard": [], "quarterly": []}


_READS_KNOWN: set[FamilyFunction] = set()  # families called with known= (the report's children's figures)
# Quarterly families the dashboard also shows, by the heading of their table ("Adoption support": the support
# apps' figures, the latest complete quarter's).
_DASHBOARD: dict[str, list[FamilyFunction]] = {}
DASHBOARD_CACHE_SECONDS = 300
SUPPORT_DASHBOARD = "Adoption support"


def register_family(report: str, fn: FamilyFunction, *, reads_known: bool = False,
                    dashboard: str | None = None) -> FamilyFunction:
    """Add a family of figures to a report ('scorecard' or 'quarterly'). `fn(scope, period)` returns Figures
    (keys registered with rules.register_measure); for the scorecard, figures for A11–A13 replace the
    'not yet available' placeholders. With `reads_known`, it is called with `known=`: the children's figures the
    report has already worked out, by key, unsuppressed (so a family can build on Q_WAITING_90D's children
    instead of querying them again). With `dashboard`, a quarterly family is also shown on the performance dashboard
    in a table under that heading (dashboard_sections). Usable as a decorator; registering the same function twice
    is a no-op."""
    if fn not in _FAMILIES[report]:
        _FAMILIES[report].append(fn)
    if reads_known:
        _READS_KNOWN.add(fn)
    if dashboard is not None and fn not in _DASHBOARD.setdefault(dashboard, []):
        _DASHBOARD[dashboard].append(fn)
    return fn


def dashboard_sections(scope: Scope, period: Period) -> list[tuple[str, list[Figure]]]:
    """The dashboard's tables of registered families for a quarter: [(heading, figures)], in the order they were
    registered. Kept in Django's cache until anything is recorded (every write to these records writes an audit
    entry: the newest audit id is the version), and at most for five minutes."""
    from django.core.cache import cache
    from django.db.models import Max

    from permanence.core.models import AuditEvent

    if not _DASHBOARD:
        return []
    las = ",".join(map(str, sorted(scope.la_ids))) if scope.la_ids is not None else "*"
    version = AuditEvent.objects.aggregate(n=Max("id"))["n"] or 0
    key = f"dashboard_sections:{scope.kind}:{scope.code}:{las}:{period.start}:{period.end}:{version}"
    found = cache.get(key)
    if found is None:
        found = [(heading, [f for fn in fns for f in fn(scope, period)]) for heading, fns in _DASHBOARD.items()]
        cache.set(key, found, DASHBOARD_CACHE_SECONDS)
    return found


def _registered(report: str, scope: Scope, period: Period, known: dict[str, Figure] | None = None,
                families: Iterable[FamilyFunction] | None = None) -> list[Figure]:
    """The figures of the families registered for `report` (of those in `families` only, when given)."""
    chosen = _FAMILIES[report] if families is None else [fn for fn in _FAMILIES[report] if fn in set(families)]
    return [f for fn in chosen
            for f in (fn(scope, period, known=known or {}) if fn in _READS_KNOWN else fn(scope, period))]


# ---------------------------------------------------------------------------------------------
# Scorecard (retrospective)


def _scorecard_from(rows: Iterable[Milestones], period: Period, facts, scope: Scope | None) -> list[Figure]:
    children = rules.scorecard_child_figures(rows, period, facts)
    extra = _registered("scorecard", scope, period) if scope is not None else []
    by_key = {f.key: f for f in [*children, *extra]}
    out = []
    for key in rules.SCORECARD_KEYS:
        if key in by_key:
            out.append(by_key.pop(key))
        elif key in rules.SCORECARD_ADOPTER_KEYS:
            out.append(rules.unavailable_figure(key, period, note="Adopter measure: not yet available"))
    return out + list(by_key.values())


def scorecard(scope: Scope, year_ending: int, *, years: int = 3) -> list[Figure]:
    """The Adoption Scorecard for the scope: children adopted in the `years` years ending 31 March `year_ending`."""
    period = rules.scorecard_period(year_ending, years)
    rows = [m for m in map(_milestones, fetch(milestone_rows(scope, until=period.end, adopted_in=[period])))
            if scope.includes(m.la_id, m.adoption_order)]
    return _scorecard_from(rows, period, thresholds(), scope)


def scorecard_by_la(year_ending: int, las: Iterable[Organisation] | None = None, *,
                    years: int = 3) -> dict[int, list[Figure]]:
    """The scorecard of every LA (or of `las`), keyed by LA id, from one query. LAs with no adoptions get their
    (empty) figures too."""
    period = rules.scorecard_period(year_ending, years)
    la_list = list(las) if las is not None else list(Organisation.objects.filter(kind=Organisation.Kind.LA))
    scope = scope_for_las(la_list) if las is not None else scope_all()
    grouped: dict[int, list[Milestones]] = {la.pk: [] for la in la_list}
    for row in fetch(milestone_rows(scope, until=period.end, adopted_in=[period])):
        m = _milestones(row)
        grouped.setdefault(m.la_id, []).append(m)
    facts = thresholds()
    by_pk = {la.pk: la for la in la_list}
    return {la_id: _scorecard_from(rows, period, facts, scope_for_la(by_pk[la_id]) if la_id in by_pk else None)
            for la_id, rows in grouped.items()}


def scorecard_with_las(scope: Scope, year_ending: int, las: Iterable[Organisation], *,
                       years: int = 3) -> tuple[list[Figure], dict[int, list[Figure]]]:
    """`scorecard(scope, …)` and `scorecard_by_la(…, las)` together, from one query over the union of their LAs
    (the dashboard shows both): the same figures as the two functions give apart."""
    period = rules.scorecard_period(year_ending, years)
    la_list = list(las)
    if scope.la_ids is None:
        union = scope_all()
    else:
        union = Scope(label=scope.label, kind="las", la_ids=scope.la_ids | {la.pk for la in la_list})
    rows = list(map(_milestones, fetch(milestone_rows(union, until=period.end, adopted_in=[period]))))
    facts = thresholds()
    main = _scorecard_from([m for m in rows if scope.includes(m.la_id, m.adoption_order)], period, facts, scope)
    grouped: dict[int, list[Milestones]] = {la.pk: [] for la in la_list}
    for m in rows:
        if m.la_id in grouped:
            grouped[m.la_id].append(m)
    by_la = {la.pk: _scorecard_from(grouped[la.pk], period, facts, scope_for_la(la)) for la in la_list}
    return main, by_la


# ---------------------------------------------------------------------------------------------
# Prospective cohort


def prospective_cohort(scope: Scope, po_from: date, po_to: date, as_of: date) -> list[Figure]:
    """Children whose first placement order is dated po_from..po_to, as their journeys stood on `as_of`
    (seed 003, "A caution": children still waiting count with their days so far). Labelled 'prospective'."""
    cohort = Period(po_from, po_to, f"First placement order {po_from:%d/%m/%Y} to {po_to:%d/%m/%Y}")
    rows = [m for m in map(_milestones, fetch(milestone_rows(scope, until=as_of, first_po_in=cohort)))
            if scope.includes(m.la_id, m.first_po)]
    return rules.prospective_figures(rows, cohort, as_of, thresholds())


# ---------------------------------------------------------------------------------------------
# ASGLB-style quarterly figures for children


def quarterly_children(scope: Scope, quarter: Period | str, *,
                       families: Iterable[FamilyFunction] | None = None) -> list[Figure]:
    """Counts of children with each event in the quarter, and children waiting with a PO at its end (with how
    long), from one query. Registered families (adopters, support) follow the children's figures: every one, or
    those in `families` (a report that shows only some of them need not work out the rest)."""
    if isinstance(quarter, str):
        quarter = rules.parse_quarter(quarter)
    extra = {f"q_{kind}": Max("date", filter=Q(kind=kind, date__gte=quarter.start))
             for kind in rules.QUARTER_EVENT_KEYS.values()}
    having = Q(last_po__isnull=False)
    for name in extra:
        having |= Q(**{f"{name}__isnull": False})
    rows = []
    for row in fetch(milestone_rows(scope, until=quarter.end, extra=extra, having=having)):
        m = _milestones(row)
        kinds = frozenset(kind for kind in rules.QUARTER_EVENT_KEYS.values()
                          if row[f"q_{kind}"] is not None and scope.includes(m.la_id, _as_date(row[f"q_{kind}"])))
        if not scope.includes(m.la_id, quarter.end):
            m = replace(m, last_po=None)  # not this scope's at the quarter end: not counted as waiting here
        rows.append(rules.QuarterRow(m, kinds))
    children = rules.quarterly_child_figures(rows, quarter)
    return children + _registered("quarterly", scope, quarter, known={f.key: f for f in children}, families=families)


# ---------------------------------------------------------------------------------------------
# Cost (seed 003)


def cost(scope: Scope, period: Period, target_days: int | None = None, baseline: Period | None = None, *,
         daily_cost: Decimal | None = None) -> rules.CostResult:
    """Days in care beyond `target_days` (default: the A1 threshold at the period end) for the children adopted
    in the period – from entering care to moving in with the family who adopted them (A10 basis) – × the cost of
    a day in care (DailyCostOfCare in force at the period end, unless given); with `baseline`, the cost avoided
    against it. One query covers both periods."""
    facts = thresholds()
    if target_days is None:
        t = rules.threshold_on(facts, "A1", period.end)
        if t is None:
            raise ValueError("No A1 threshold is configured for this period: give a target in days.")
        target_days = int(t.value)
    source = "given"
    if daily_cost is None:
        configured = daily_cost_on(period.end, cost_organisations(scope))
        if configured is None:
            raise ValueError("No daily cost of care is configured (performance.DailyCostOfCare): give one.")
        daily_cost, source = configured.amount, configured.source
    periods = [period] + ([baseline] if baseline is not None else [])
    days: dict[str, list[tuple[int, int]]] = {"period": [], "baseline": []}
    until = max(p.end for p in periods)
    for m in map(_milestones, fetch(milestone_rows(scope, until=until, adopted_in=periods))):
        moved_in = rules.a10_date(m)
        if m.entered_care is None or moved_in is None or not scope.includes(m.la_id, m.adoption_order):
            continue
        for name, p in (("period", period), ("baseline", baseline)):
            if p is not None and m.adoption_order in p:
                days[name].append((m.child_id, rules.days_between(m.entered_care, moved_in)))
    return rules.cost_result(days["period"], days["baseline"] if baseline else None, period, baseline, target_days,
                             Decimal(daily_cost), source)


# ---------------------------------------------------------------------------------------------
# Behind the figures: the per-child dates (drill-down) and a trend by quarter


def period_milestones(scope: Scope, period: Period, child_ids: Iterable[int]) -> dict[int, Milestones]:
    """The milestones of the given children adopted in `period`, as the scorecard and the cost read them (one
    query): the dates behind a figure, for a drill-down or a per-child table."""
    ids = list(child_ids)
    if not ids:
        return {}
    rows = milestone_rows(scope, until=period.end, adopted_in=[period]).filter(child_id__in=ids)
    return {m.child_id: m for m in map(_milestones, fetch(rows))}


def scorecard_milestones(scope: Scope, year_ending: int, child_ids: Iterable[int], *,
                         years: int = 3) -> dict[int, Milestones]:
    """The milestones of the given children as the scorecard for `year_ending` read them (one query)."""
    return period_milestones(scope, rules.scorecard_period(year_ending, years), child_ids)


def scorecard_trend(scope: Scope, quarters: Sequence[Period]) -> list[tuple[Period, dict[str, Figure]]]:
    """The children's scorecard figures (A1, A10, A2, A3, children adopted) of the children adopted in each
    quarter, from one query: a trend the board can read beside the three-year scorecard."""
    if not quarters:
        return []
    facts = thresholds()
    until = max(q.end for q in quarters)
    rows = [m for m in map(_milestones, fetch(milestone_rows(scope, until=until, adopted_in=list(quarters))))
            if scope.includes(m.la_id, m.adoption_order)]
    out = []
    for q in quarters:
        in_q = [m for m in rows if m.adoption_order in q]
        out.append((q, {f.key: f for f in rules.scorecard_child_figures(in_q, q, facts)}))
    return out


# ---------------------------------------------------------------------------------------------
# Comparisons of groups over time (seed 000, Figures 1–2)
#
#   case_holding_groups(periods)                         LAs per period by case holding (one query)
#   group_trend(groups, periods, measure="A2")           each group's figure per period + England's (published)


GroupMembers = Scope | Iterable[int] | dict[Period, Iterable[int]]


def case_holding_groups(periods: Sequence[Period]) -> dict[str, dict[Period, frozenset[int]]]:
    """Every LA in the installation by its case holding policy in force on each period's last day: "The RAA holds
    the case from the placement order" (any variant) and "The LA keeps the case" (or no policy recorded). One
    query: the LAs joined to their policy versions."""
    versions: dict[int, list[tuple[date, str]]] = {}
    rows = (Organisation.objects.filter(kind=Organisation.Kind.LA).order_by()
            .values_list("pk", "policies__effective_from", "policies__case_holding"))
    for la_id, effective_from, holding in rows:
        versions.setdefault(la_id, [])
        if effective_from is not None:
            versions[la_id].append((effective_from, holding))
    membership = rules.case_holding_membership(versions, periods)
    return {rules.CASE_HOLDING_GROUP_LABELS[key]: by_period for key, by_period in membership.items()}


def _membership(members: GroupMembers) -> tuple[Callable[[int, Period, date], bool],
                                                  Callable[[Period], int | None], frozenset[int] | None]:
    """(is an LA in the group for the period on this day, how many LAs in the period, every LA id ever (None:
    all))."""
    if isinstance(members, Scope):
        scope = members
        if scope.la_ids is None:
            return (lambda la, p, day: True), (lambda p: None), None
        return ((lambda la, p, day: scope.includes(la, day)),
                (lambda p: sum(1 for la in scope.la_ids if scope.includes(la, p.end))), scope.la_ids)
    if isinstance(members, dict):
        by_period = {p: frozenset(ids) for p, ids in members.items()}
        return ((lambda la, p, day: la in by_period.get(p, ())), (lambda p: len(by_period.get(p, ()))),
                frozenset().union(*by_period.values()))
    fixed = frozenset(members)
    return (lambda la, p, day: la in fixed), (lambda p: len(fixed)), fixed


def _segments(periods: Sequence[Period], groups: Iterable[GroupMembers]) -> list[tuple[date, date, list[int]]]:
    """The days the periods cover, cut wherever a period or an RAA's membership of an LA starts or ends: (first
    day, last day, the periods it lies in). No LA joins or leaves a group within a segment, so one total per LA
    and segment is enough to add up any group."""
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    cuts = {first, last + timedelta(days=1)}
    for p in periods:
        cuts |= {p.start, p.end + timedelta(days=1)}
    for members in groups:
        if isinstance(members, Scope) and members.intervals:
            for intervals in members.intervals.values():
                for start, end in intervals:
                    cuts |= {d for d in (start, end and end + timedelta(days=1)) if d is not None and first < d <= last}
    edges = sorted(cuts)
    out = []
    for start, after in zip(edges, edges[1:], strict=False):
        end = after - timedelta(days=1)
        inside = [i for i, p in enumerate(periods) if p.start <= start and end <= p.end]
        if inside:
            out.append((start, end, inside))
    return out


ADOPTION_DAYS_COLUMNS = {"A1": "a1", "A10": "a10", "A2": "a2"}  # rules.COMPARISON_MEASURES: AdoptionDays' columns


def la_totals(measure: str, segments: Sequence[tuple[date, date, list[int]]],
              la_ids: Iterable[int] | None = None) -> dict[tuple[int, int], tuple[int, int]]:
    """{(LA id, segment): (days added up, children counted)} for `measure` over the children adopted in each segment
    (AdoptionDays): one query, grouped in SQL by LA and segment. Of every LA, or of `la_ids`."""
    column = ADOPTION_DAYS_COLUMNS[measure]
    segment = Case(*[When(adopted_on__gte=start, adopted_on__lte=end, then=Value(i))
                     for i, (start, end, _periods) in enumerate(segments)], output_field=IntegerField())
    qs = AdoptionDays.objects.filter(adopted_on__gte=segments[0][0], adopted_on__lte=segments[-1][1],
                                     **{f"{column}__isnull": False})
    if la_ids is not None:
        qs = qs.filter(la_id__in=list(la_ids))
    rows = (qs.annotate(segment=segment).order_by().values_list("la_id", "segment")
            .annotate(total=Sum(column), n=Count("pk")))
    return {(la, seg): (total, n) for la, seg, total, n in rows if seg is not None}


def group_trend(groups: dict[str, GroupMembers], periods: Sequence[Period], measure: str = "A2", *,
                national: bool = True, per_la: Iterable[Organisation] = ()) -> rules.Comparison:
    """How each group of LAs did in each period against England: figure `measure` (A2 by default – placement order
    to match, as seed 000 compares; or A1, A10) for the children adopted in each period, as the scorecard defines
    it. With `national`, the answer also holds the published England figure for each period (NationalFigure, as
    loaded; an empty figure saying so where none is) and the average of every LA in the installation, labelled
    as that ("All local authorities in Permanence"), never as England.

    `groups` maps a label to its LAs: a Scope (an RAA counts each LA for the dates it belonged), a set of LA ids,
    or {period: LA ids} when membership changes over time (case_holding_groups). `per_la` adds each LA's own
    series (for the user's own LAs). One query reads the totals per LA and period (AdoptionDays, summed in SQL;
    per part of a period where an RAA's membership changes within it), of only the LAs asked for unless every LA
    is; each group's figure is its LAs' days added up over its LAs' children (sums combined, never averages), so
    it is exactly the average of its children. Figures carry no child ids; they are not suppressed: the caller
    decides with rules.disclosed_series."""
    periods = tuple(periods)
    if measure not in rules.COMPARISON_MEASURES:
        raise ValueError(f"Comparisons are of {', '.join(rules.COMPARISON_MEASURES)}, not {measure!r}")
    if not periods:
        raise ValueError("A comparison needs at least one period")
    tests = {label: _membership(members) for label, members in groups.items()}
    per_la = list(per_la)
    every = [ids for _member, _count, ids in tests.values()]
    if national or any(ids is None for ids in every):
        asked = None
    else:
        asked = frozenset().union(*every, (la.pk for la in per_la))
    segments = _segments(periods, groups.values())
    rows_of: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # LA id: [(segment, days, children)]
    for (la, seg), (total, n) in la_totals(measure, segments, asked).items():
        rows_of[la].append((seg, total, n))

    def series(label: str, kind: str, member, count, ids: Iterable[int] | None, code: str = "") -> rules.GroupSeries:
        by_period: list[dict[int, tuple[int, int]]] = [{} for _ in periods]
        for la in rows_of if ids is None else ids:
            for seg, total, n in rows_of.get(la, ()):
                start, _end, inside = segments[seg]
                for i in inside:
                    if member(la, periods[i], start):
                        t, c = by_period[i].get(la, (0, 0))
                        by_period[i][la] = (t + total, c + n)
        return rules.GroupSeries(label, kind, tuple(
            rules.point_from_totals(by_la, p, measure, count(p)) for p, by_la in zip(periods, by_period, strict=True)),
            code)

    out = [series(label, "group", member, count, ids) for label, (member, count, ids) in tests.items()]
    installation = series(rules.INSTALLATION_LABEL, "installation", lambda la, p, day: True,
                          lambda p: None, None) if national else None
    england = rules.national_series(measure, periods, national_figures(measure)) if national else None
    las = [series(str(la), "la", lambda la_id, p, day: True, lambda p: 1, [la.pk], la.code) for la in per_la]
    return rules.Comparison(measure, periods, tuple(out), england, tuple(las), installation)


def national_figures(measure: str | None = None) -> list[rules.NationalFact]:
    """The published England figures loaded (NationalFigure), of one measure or all: one query."""
    qs = NationalFigure.objects.all()
    if measure is not None:
        qs = qs.filter(measure=measure)
    return [f.as_fact() for f in qs]
