"""Adopted adults' quarterly figures: requests received (by type), first interviews held and the average days
from the request to the first interview, requests waiting at the quarter end (and those waiting past the target
wait), and the agencies' records requests outstanding past their chase date. Registered with the performance
app (apps.py) so the quarterly report, its downloads, the ASGLB return, the API and the CLI show them.

"As at" the quarter end: each request is replayed from its steps in force dated on or before that day (never its
snapshot columns, which say where it stands today), with the timescales in force that day. A request counts for
an RAA's scope when it is that RAA's; for an LA's (or chosen LAs') scope when that LA arranged the adoption
(its historic cases, seed 002 table 1.3); everywhere for all LAs. The figures are requests, not children: no
child's record sits behind them (the drill-down lists none).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from permanence.adopted_adults import rules as adult_rules
from permanence.adopted_adults.models import AdultRequest, AdultRequestEvent
from permanence.performance import measures, rules
from permanence.performance.rules import RETROSPECTIVE, Figure, Period
from permanence.performance.rules.figures import average

RECEIVED = "Q_SUPPORT_ADULT_RECEIVED"
RECEIVED_BY_TYPE = {adult_rules.ACCESS: "Q_SUPPORT_ADULT_RECEIVED_RECORDS",
                    adult_rules.INTERMEDIARY: "Q_SUPPORT_ADULT_RECEIVED_INTERMEDIARY"}
FIRST_INTERVIEWS = "Q_SUPPORT_ADULT_FIRST_INTERVIEWS"
DAYS_TO_INTERVIEW = "Q_SUPPORT_ADULT_DAYS_TO_INTERVIEW"
WAITING = "Q_SUPPORT_ADULT_WAITING"
WAITING_OVER_TARGET = "Q_SUPPORT_ADULT_WAITING_OVER_TARGET"
CHASES_OVERDUE = "Q_SUPPORT_ADULT_CHASES_OVERDUE"

DEFINITIONS = [
    rules.MeasureDef(RECEIVED, "Adopted adults' requests received", rules.Unit.REQUESTS, direction=rules.NEUTRAL,
                     family="support", kind="count", description="Requests received in the quarter, of both types."),
    rules.MeasureDef(RECEIVED_BY_TYPE[adult_rules.ACCESS], "… of which: access to birth records", rules.Unit.REQUESTS,
                     direction=rules.NEUTRAL, family="support", kind="count"),
    rules.MeasureDef(RECEIVED_BY_TYPE[adult_rules.INTERMEDIARY], "… of which: intermediary service",
                     rules.Unit.REQUESTS, direction=rules.NEUTRAL, family="support", kind="count"),
    rules.MeasureDef(FIRST_INTERVIEWS, "Adopted adults' first interviews held", rules.Unit.REQUESTS,
                     direction=rules.NEUTRAL, family="support", kind="count",
                     description="Requests whose first interview was in the quarter."),
    rules.MeasureDef(DAYS_TO_INTERVIEW, "Average days from an adopted adult's request to the first interview",
                     rules.Unit.DAYS, direction=rules.LOWER, family="support", kind="average",
                     description="Requests whose first interview was in the quarter."),
    rules.MeasureDef(WAITING, "Adopted adults waiting for a first interview (at the quarter end)", rules.Unit.REQUESTS,
                     direction=rules.LOWER, family="support", kind="count",
                     description="Open requests received by the quarter end with no first interview by then."),
    rules.MeasureDef(WAITING_OVER_TARGET, "… of which: waiting longer than the target wait", rules.Unit.REQUESTS,
                     direction=rules.LOWER, family="support", kind="count",
                     description="Past the target date for the first interview (the timescale in force then)."),
    rules.MeasureDef(CHASES_OVERDUE, "Records requested from other agencies outstanding past their chase date",
                     rules.Unit.REQUESTS, direction=rules.LOWER, family="support", kind="count",
                     description="At the quarter end, on open requests: agencies' records requests not yet "
                                 "answered whose chase date had passed."),
]
KEYS = tuple(d.key for d in DEFINITIONS)
for _definition in DEFINITIONS:
    rules.register_measure(_definition)


@dataclass(frozen=True)
class RequestAsAt:
    request_id: int
    request_type: str
    state: adult_rules.RequestState


def in_scope(scope: measures.Scope):
    """The requests a scope counts (see the module's docstring)."""
    qs = AdultRequest.objects.all()
    if scope.kind == "raa":
        return qs.filter(raa__kind="raa", raa__code=scope.code)
    if scope.la_ids is None:
        return qs
    return qs.filter(adoption_agency_id__in=scope.la_ids)


def requests_as_at(scope: measures.Scope, day: date) -> list[RequestAsAt]:
    """Every request of the scope received by `day`, replayed from its steps in force dated on or before it."""
    requests = in_scope(scope).filter(received_on__lte=day)
    types = dict(requests.values_list("pk", "request_type"))
    if not types:
        return []
    facts: dict[int, list] = defaultdict(list)
    steps = AdultRequestEvent.objects.filter(adult_request__in=requests, superseded=False, date__lte=day)
    for pk, request_id, kind, on, details in steps.values_list("pk", "adult_request_id", "kind", "date", "details"):
        facts[request_id].append(adult_rules.EventFact(kind=adult_rules.Kind(kind), date=on, seq=pk,
                                                       details=details))
    return [RequestAsAt(pk, kind, adult_rules.replay(facts[pk])) for pk, kind in types.items() if facts[pk]]


def _count(key: str, n: int, period: Period, note: str = "") -> Figure:
    m = rules.MEASURES[key]
    return Figure(key=key, label=m.label, value=n, n=n, unit=m.unit.value, basis=RETROSPECTIVE, period=period,
                  direction=m.direction, note=note)


def figures(scope: measures.Scope, period: Period) -> list[Figure]:
    from permanence.adopted_adults.services import timescales

    requests = requests_as_at(scope, period.end)
    rules_then = timescales(period.end)

    def within(day: date | None) -> bool:
        return day is not None and period.start <= day <= period.end

    received = [r for r in requests if within(r.state.received)]
    out = [_count(RECEIVED, len(received), period)]
    for kind, key in RECEIVED_BY_TYPE.items():
        out.append(_count(key, sum(r.request_type == kind for r in received), period))
    interviewed = [r for r in requests if within(r.state.first_interview)]
    out.append(_count(FIRST_INTERVIEWS, len(interviewed), period))
    m = rules.MEASURES[DAYS_TO_INTERVIEW]
    days = [(r.state.first_interview - r.state.received).days for r in interviewed]
    out.append(Figure(key=DAYS_TO_INTERVIEW, label=m.label, value=average(days), n=len(days), unit=m.unit.value,
                      basis=RETROSPECTIVE, period=period, direction=m.direction))
    on = f"On {period.end:%d/%m/%Y}"
    waiting = [r for r in requests if r.state.waiting]
    out.append(_count(WAITING, len(waiting), period, note=on))
    target = adult_rules.interview_rule(rules_then)
    over = [r for r in waiting if adult_rules.waiting_over_target(r.state, rules_then, period.end)]
    out.append(_count(WAITING_OVER_TARGET, len(over), period,
                      note=f"{on}; target: first interview within {target.amount} {target.unit.replace('_', ' ')}"))
    overdue = sum(c.overdue_on(period.end) for r in requests for c in adult_rules.chases(r.state, rules_then))
    out.append(_count(CHASES_OVERDUE, overdue, period, note=on))
    return out


def register() -> None:
    measures.register_family("quarterly", figures, dashboard=measures.SUPPORT_DASHBOARD)
