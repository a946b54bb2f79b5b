"""Adoption support's quarterly figures: referrals received (and by whom they were about), assessments of need
completed and the share within the completion timescale, the average days from the request to the start, and the
families waiting at the quarter's end (and those waiting 16 weeks or more). Registered with the performance app
from apps.py, so the quarterly report, its exports, the ASGLB-style return and the API show them.

"As at" the quarter's end: from each case's steps in force dated on or before it (never the snapshot columns,
which say where each case stands today). Whose figures: an RAA's are its own support cases; an LA's (or a group
of LAs') the cases that LA was responsible for on the quarter's end (the responsible-LA rule, support.rules);
England's every case. The figures are counts of cases: they drill to no child's record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from permanence.performance import measures
from permanence.performance import rules as perf
from permanence.performance.rules import RETROSPECTIVE, Figure, Period
from permanence.performance.rules.figures import average, percent
from permanence.support import rules
from permanence.support.models import SupportCase, SupportEvent, SupportSettings
from permanence.timescales.selectors import timescales_by_day

REFERRALS = "Q_SUPPORT_REFERRALS"
REFERRALS_BY_TYPE = {t: f"Q_SUPPORT_REFERRALS_{t.upper()}" for t in rules.REFERRER_TYPES}
COMPLETED = "Q_SUPPORT_ASSESSMENTS_COMPLETED"
WITHIN = "Q_SUPPORT_ASSESSMENTS_IN_TIMESCALE"
DAYS_TO_START = "Q_SUPPORT_DAYS_TO_START"
WAITING = "Q_SUPPORT_WAITING"
WAITING_LONG = "Q_SUPPORT_WAITING_16W"

DEFINITIONS = [
    perf.MeasureDef(REFERRALS, "Adoption support referrals received", perf.Unit.CASES, direction=perf.NEUTRAL,
                    family="support", kind="count", description="Referrals made in the quarter."),
    *[perf.MeasureDef(key, f"… of which: {rules.REFERRER_TYPES[t].lower()}", perf.Unit.CASES,
                      direction=perf.NEUTRAL, family="support", kind="count")
      for t, key in REFERRALS_BY_TYPE.items()],
    perf.MeasureDef(COMPLETED, "Assessments of need completed", perf.Unit.CASES, direction=perf.NEUTRAL,
                    family="support", kind="count", description="Completed in the quarter."),
    perf.MeasureDef(WITHIN, "Assessments of need completed within the timescale", perf.Unit.PERCENT,
                    direction=perf.HIGHER, family="support", kind="percent",
                    description="Of those completed in the quarter: completed within the completion timescale "
                                "(working days from the start) in force when completed."),
    perf.MeasureDef(DAYS_TO_START, "Average days from the assessment being requested to its start", perf.Unit.DAYS,
                    direction=perf.LOWER, family="support", kind="average",
                    description="Assessments of need started in the quarter."),
    perf.MeasureDef(WAITING, "Families waiting for an assessment of need to start", perf.Unit.CASES,
                    direction=perf.LOWER, family="support", kind="count",
                    description="At the quarter end: requested and not yet started."),
    perf.MeasureDef(WAITING_LONG, f"… of which: waiting {rules.LONG_WAIT_WEEKS} weeks or more", perf.Unit.CASES,
                    direction=perf.LOWER, family="support", kind="count",
                    description=f"At the quarter end, {rules.LONG_WAIT_WEEKS} weeks or more since the request "
                                "(seed 001 calls a 16-week wait unacceptable)."),
]
KEYS = tuple(d.key for d in DEFINITIONS)


@dataclass(frozen=True)
class CaseAsAt:
    case_id: int
    referrer_type: str
    referred_on: date
    responsible_la_id: int | None
    state: rules.SupportState


def cases_as_at(scope: measures.Scope, day: date) -> list[CaseAsAt]:
    """Every support case in the scope referred by `day`, replayed from its steps in force dated on or before it."""
    cases = SupportCase.objects.filter(referred_on__lte=day)
    if scope.kind == "raa":
        cases = cases.filter(raa__code=scope.code)
    years = dict(SupportSettings.objects.values_list("raa_id", "placing_la_years"))
    rows = {}
    for pk, raa_id, referrer, referred, placing, family, order in cases.values_list(
            "pk", "raa_id", "referrer_type", "referred_on", "placing_la_id", "family_la_id", "adoption_order_date"):
        responsible = rules.responsible_la(placing, family, order, day, years.get(raa_id, rules.PLACING_LA_YEARS))
        if scope.kind != "raa" and scope.la_ids is not None and not (
                responsible is not None and scope.includes(responsible, day)):
            continue
        rows[pk] = (referrer, referred, responsible)
    if not rows:
        return []
    facts: dict[int, list] = defaultdict(list)
    ids = list(rows)
    for start in range(0, len(ids), 5000):
        for pk, case_id, kind, on, details in SupportEvent.objects.filter(
                case_id__in=ids[start:start + 5000], superseded=False, date__lte=day).values_list(
                "pk", "case_id", "kind", "date", "details"):
            facts[case_id].append(rules.EventFact(kind=rules.Kind(kind), date=on, seq=pk, details=details))
    return [CaseAsAt(pk, referrer, referred, responsible, rules.replay(facts[pk]))
            for pk, (referrer, referred, responsible) in rows.items() if facts[pk]]


def _figure(key: str, value, n: int, period: Period, note: str = "") -> Figure:
    m = perf.MEASURES[key]
    return Figure(key=key, label=m.label, value=value, n=n, unit=m.unit.value, basis=RETROSPECTIVE, period=period,
                  direction=m.direction, note=note)


def figures(scope: measures.Scope, period: Period) -> list[Figure]:
    cases = cases_as_at(scope, period.end)

    def within(day: date | None) -> bool:
        return day is not None and period.start <= day <= period.end

    referred = [c for c in cases if within(c.referred_on)]
    out = [_figure(REFERRALS, len(referred), len(referred), period)]
    for referrer, key in REFERRALS_BY_TYPE.items():
        n = sum(1 for c in referred if c.referrer_type == referrer)
        out.append(_figure(key, n, n, period))
    completed = [c for c in cases if within(c.state.completed)]
    out.append(_figure(COMPLETED, len(completed), len(completed), period))
    in_force = timescales_by_day(rules.SUBJECT)  # one query, whatever the number of days

    hits = sum(1 for c in completed if rules.completed_within(c.state, in_force(c.state.completed)))
    out.append(_figure(WITHIN, percent(hits, len(completed)), len(completed), period))
    started = [rules.days_waiting(c.state.requested, c.state.started) for c in cases
               if within(c.state.started) and c.state.requested]
    out.append(_figure(DAYS_TO_START, average(started), len(started), period))
    waiting = [c for c in cases if c.state.waiting]
    long = [c for c in waiting if rules.long_wait(c.state.requested, period.end)]
    note = f"On {period.end:%d/%m/%Y}"
    out.append(_figure(WAITING, len(waiting), len(waiting), period, note))
    out.append(_figure(WAITING_LONG, len(long), len(long), period, note))
    return out


def register() -> None:
    for definition in DEFINITIONS:
        if definition.key not in perf.MEASURES:
            perf.register_measure(definition)
    measures.register_family("quarterly", figures, dashboard=measures.SUPPORT_DASHBOARD)
