"""Contact's and birth relatives' quarterly figures, registered with the performance app (apps.py ready()), so
the quarterly report, its exports, the ASGLB return, the API and the CLI show them beside the others.

"As at" the quarter's end: only steps dated on or before it count (an exchange forwarded after the quarter was
still waiting at its end), with the timescales in force on that day. A row counts for the scope its child's LA
was in on the day counted (the day it was forwarded or offered, or the quarter's end).
"""

from __future__ import annotations

from datetime import date

from permanence.contact import rules, selectors
from permanence.contact.models import BirthRelativeOffer, ContactPlan, ContactReview, LetterboxExchange
from permanence.performance import measures
from permanence.performance import rules as perf
from permanence.performance.rules import RETROSPECTIVE, Figure, Period
from permanence.performance.rules.figures import percent

FORWARDED = "Q_SUPPORT_CONTACT_FORWARDED"
FORWARDED_ON_TIME = "Q_SUPPORT_CONTACT_FORWARDED_ON_TIME"
OVERDUE = "Q_SUPPORT_CONTACT_OVERDUE"
REVIEWS_OVERDUE = "Q_SUPPORT_CONTACT_REVIEWS_OVERDUE"
OFFERED = "Q_SUPPORT_BIRTH_OFFERED"
TAKE_UP = "Q_SUPPORT_BIRTH_TAKE_UP"
OFFER_TIMELY = "Q_SUPPORT_BIRTH_OFFER_TIMELY"

DEFINITIONS = [
    perf.MeasureDef(FORWARDED, "Letterbox exchanges forwarded", perf.Unit.EXCHANGES, direction=perf.NEUTRAL,
                    family="support", kind="count", description="Exchanges forwarded in the quarter."),
    perf.MeasureDef(FORWARDED_ON_TIME, "Letterbox exchanges forwarded within timescale", perf.Unit.PERCENT,
                    direction=perf.HIGHER, family="support", kind="percent",
                    description="Of the exchanges forwarded in the quarter, those forwarded within the working "
                                "days of their arrival the timescale allows."),
    perf.MeasureDef(OVERDUE, "Letterbox exchanges overdue at the quarter end", perf.Unit.EXCHANGES,
                    direction=perf.LOWER, family="support", kind="count",
                    description="On the quarter's last day: overdue to arrive (past the due date and its grace "
                                "period) or overdue to forward."),
    perf.MeasureDef(REVIEWS_OVERDUE, "Contact plans with a review overdue at the quarter end", perf.Unit.CONTACT_PLANS,
                    direction=perf.LOWER, family="support", kind="count",
                    description="Due one year after the adoption order, then every two years after each review."),
    perf.MeasureDef(OFFERED, "Birth relatives offered independent support", perf.Unit.BIRTH_RELATIVES, direction=perf.NEUTRAL,
                    family="support", kind="count", description="Offers made in the quarter."),
    perf.MeasureDef(TAKE_UP, "Take-up of birth relatives' support", perf.Unit.PERCENT, direction=perf.HIGHER,
                    family="support", kind="percent",
                    description="Of the relatives offered support in the quarter, those who accepted by its end."),
    perf.MeasureDef(OFFER_TIMELY, "Birth parents offered support within the timescale of the plan for adoption",
                    perf.Unit.PERCENT, direction=perf.HIGHER, family="support", kind="percent",
                    description="Of the offers to birth parents in the quarter, those made within the timescale "
                                "of the day adoption became the child's plan."),
]
KEYS = tuple(d.key for d in DEFINITIONS)
for _definition in DEFINITIONS:
    perf.register_measure(_definition)


def _figure(key: str, period: Period, value, n: int, child_ids, note: str = "") -> Figure:
    m = perf.MEASURES[key]
    return Figure(key=key, label=m.label, value=value, n=n, unit=m.unit.value, basis=RETROSPECTIVE, period=period,
                  direction=m.direction, note=note, child_ids=tuple(sorted(set(child_ids))))


def _count(key, rows, period, note=""):
    return _figure(key, period, len(rows), len(rows), [c for _, c in rows], note)


def _percent(key, hits, of, period):
    return _figure(key, period, percent(len(hits), len(of)), len(of), [c for _, c in hits])


def _exchanges(scope: measures.Scope, end: date):
    qs = LetterboxExchange.objects.filter(due_on__lte=end)
    if scope.la_ids is not None:
        qs = qs.filter(arrangement__plan__child__la_id__in=scope.la_ids)
    return qs.values_list("pk", "arrangement__plan__child_id", "arrangement__plan__child__la_id", "due_on",
                          "received_on", "read_on", "redacted_on", "forwarded_on")


def figures(scope: measures.Scope, period: Period) -> list[Figure]:
    start, end = period.start, period.end
    t = selectors.contact_timescales(end)
    forwarded, on_time, overdue = [], [], []
    for pk, child, la, due, received, read, redacted, fwd in _exchanges(scope, end):
        x = rules.ExchangeFacts(due_on=due, received_on=received, read_on=read, redacted_on=redacted,
                                forwarded_on=fwd)
        if fwd is not None and start <= fwd <= end and scope.includes(la, fwd):
            forwarded.append((pk, child))
            if rules.forwarded_on_time(x, t):
                on_time.append((pk, child))
        if rules.status(x, end, t) in rules.OVERDUE and scope.includes(la, end):
            overdue.append((pk, child))
    out = [_count(FORWARDED, forwarded, period), _percent(FORWARDED_ON_TIME, on_time, forwarded, period),
           _count(OVERDUE, overdue, period, note=f"On {end:%d/%m/%Y}")]

    plans = ContactPlan.objects.filter(adoption_order_date__lte=end, arrangements__start_on__lte=end).distinct()
    if scope.la_ids is not None:
        plans = plans.filter(child__la_id__in=scope.la_ids)
    plan_rows = list(plans.values_list("pk", "child_id", "child__la_id", "adoption_order_date", "child__la__raa_id"))
    _, own = selectors.review_timescales_by_raa(end)  # an RAA's own review intervals, where it has set them
    held: dict[int, list[date]] = {}
    for plan_id, on in ContactReview.objects.filter(plan__in=[p for p, *_ in plan_rows], held_on__lte=end) \
            .values_list("plan_id", "held_on"):
        held.setdefault(plan_id, []).append(on)
    late = [(pk, child) for pk, child, la, ao, raa in plan_rows
            if rules.review_due(ao, held.get(pk, ()), own.get(raa, t)) < end and scope.includes(la, end)]
    out.append(_count(REVIEWS_OVERDUE, late, period, note=f"On {end:%d/%m/%Y}"))

    offers = BirthRelativeOffer.objects.filter(offered_on__gte=start, offered_on__lte=end)
    if scope.la_ids is not None:
        offers = offers.filter(child__la_id__in=scope.la_ids)
    rows = [r for r in offers.values_list("pk", "child_id", "child__la_id", "offered_on", "relationship", "response",
                                          "response_on") if scope.includes(r[2], r[3])]
    offered = [(r[0], r[1]) for r in rows]
    accepted = [(r[0], r[1]) for r in rows if r[5] == rules.Response.ACCEPTED and r[6] is not None and r[6] <= end]
    out += [_count(OFFERED, offered, period), _percent(TAKE_UP, accepted, offered, period)]
    plan_dates = _plan_dates_as_at({r[1] for r in rows if r[4] in rules.BIRTH_PARENTS}, end)
    to_parents = [r for r in rows if r[4] in rules.BIRTH_PARENTS and r[1] in plan_dates]
    timely = [(r[0], r[1]) for r in to_parents if (r[3] - plan_dates[r[1]]).days <= t.offer_days]
    out.append(_percent(OFFER_TIMELY, timely, [(r[0], r[1]) for r in to_parents], period))
    return out


def _plan_dates_as_at(child_ids: set[int], end: date) -> dict[int, date]:
    """The day adoption became the plan for these children, from their journey events dated by `end`."""
    from permanence.children.models import JourneyEvent

    events: dict[int, list] = {}
    for child, kind, day in (JourneyEvent.objects.filter(child_id__in=child_ids, superseded=False, date__lte=end,
                                                         kind__in=rules.PLAN_KINDS | rules.PLAN_ENDS)
                             .order_by("date", "pk").values_list("child_id", "kind", "date")):
        events.setdefault(child, []).append((kind, day))
    return {c: d for c, e in events.items() if (d := rules.adoption_plan_date(e)) is not None}


def register() -> None:
    measures.register_family("quarterly", figures, dashboard=measures.SUPPORT_DASHBOARD)

