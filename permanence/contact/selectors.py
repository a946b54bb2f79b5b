"""Reads across contact and birth relatives' rows. Callers pass querysets already scoped by access."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from permanence.children.models import Child, JourneyEvent
from permanence.contact import rules
from permanence.contact.models import BirthRelativeOffer, ContactPlan, ContactSettings, LetterboxExchange
from permanence.timescales.selectors import timescales_in_force

SUBJECT = "contact"
KEYS = {
    "letterbox_arrival_grace": "arrival_grace_days",
    "letterbox_forward": "forward_working_days",
    "contact_review_first": "first_review_months",
    "contact_review_later": "later_review_months",
    "birth_relative_offer": "offer_days",
}


def contact_timescales(on: date, raa=None) -> rules.Timescales:
    """The contact timescales in force on `on` (the Timescale rows of subject 'contact', else the defaults), with
    the RAA's own review intervals if it has set them (ContactSettings)."""
    found = {KEYS[t.key]: t.amount for t in timescales_in_force(on, SUBJECT) if t.key in KEYS}
    own = ContactSettings.objects.filter(raa=raa).first() if raa is not None else None
    if own is not None:
        found |= {"first_review_months": own.first_review_months, "later_review_months": own.later_review_months}
    return rules.Timescales(**found)


def review_timescales_by_raa(on: date) -> tuple[rules.Timescales, dict[int, rules.Timescales]]:
    """The timescales in force, and each RAA's own where it has set review intervals (raa id -> timescales)."""
    from dataclasses import replace

    base = contact_timescales(on)
    return base, {s.raa_id: replace(base, first_review_months=s.first_review_months,
                                    later_review_months=s.later_review_months)
                  for s in ContactSettings.objects.all()}


def adoption_order_date(child: Child) -> date | None:
    """The adoption order in force on the child's journey (the latest one not corrected away)."""
    return (JourneyEvent.objects.filter(child=child, kind="adoption_order", superseded=False)
            .order_by("-date").values_list("date", flat=True).first())


def adoption_plan_dates(children: QuerySet[Child]) -> dict[int, date]:
    """child id -> the date adoption became the plan in force (rules.adoption_plan_date), for those it is."""
    events: dict[int, list] = defaultdict(list)
    rows = (JourneyEvent.objects.filter(child__in=children, superseded=False,
                                        kind__in=rules.PLAN_KINDS | rules.PLAN_ENDS)
            .order_by("date", "pk").values_list("child_id", "kind", "date"))
    for child_id, kind, day in rows:
        events[child_id].append((kind, day))
    return {c: d for c, e in events.items() if (d := rules.adoption_plan_date(e)) is not None}


@dataclass(frozen=True)
class ExchangeRow:
    exchange: LetterboxExchange
    status: rules.Status
    forward_by: date | None
    overdue_from: date

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.status]

    @property
    def overdue(self) -> bool:
        return self.status in rules.OVERDUE


def exchange_row(exchange: LetterboxExchange, today: date, t: rules.Timescales) -> ExchangeRow:
    return ExchangeRow(exchange, rules.status(exchange.facts(), today, t),
                       rules.forward_by(exchange.received_on, t.forward_working_days) if exchange.received_on else None,
                       rules.arrival_overdue_from(exchange.due_on, t.arrival_grace_days))


def exchange_rows(exchanges, today: date, t: rules.Timescales) -> list[ExchangeRow]:
    return [exchange_row(x, today, t) for x in exchanges]


def with_child(exchanges: QuerySet[LetterboxExchange]) -> QuerySet[LetterboxExchange]:
    return exchanges.select_related("arrangement__plan__child__la")


def overdue_exchanges(exchanges: QuerySet[LetterboxExchange], today: date, t: rules.Timescales,
                      which: str = "") -> list[ExchangeRow]:
    """The exchanges overdue today (to arrive, or to forward), the longest overdue first. `which`: 'arrive' or
    'forward' for one kind only."""
    late_arrival = Q(received_on__isnull=True, due_on__lt=today - timedelta(days=t.arrival_grace_days))
    # N working days are at least N calendar days: anything overdue to forward arrived before this.
    late_forward = Q(received_on__isnull=False, received_on__lt=today - timedelta(days=t.forward_working_days))
    q = {"arrive": late_arrival, "forward": late_forward}.get(which, late_arrival | late_forward)
    rows = exchange_rows(with_child(exchanges.filter(q, forwarded_on__isnull=True)), today, t)
    rows = [r for r in rows if r.overdue]
    return sorted(rows, key=lambda r: (r.forward_by or r.overdue_from, r.exchange.pk))


def reviews_due(plans: QuerySet[ContactPlan], today: date, within_days: int | None = 90) -> QuerySet[ContactPlan]:
    """Plans whose next review is overdue or due within `within_days` (None: every plan), soonest first."""
    qs = plans.select_related("child__la")
    if within_days is not None:
        qs = qs.filter(next_review_due__lte=today + timedelta(days=within_days))
    return qs.order_by("next_review_due", "pk")


@dataclass(frozen=True)
class ToOffer:
    child: Child
    plan_date: date
    days: int
    offer_by: date

    @property
    def late(self) -> bool:
        return self.days > (self.offer_by - self.plan_date).days


def to_offer(children: QuerySet[Child], today: date, t: rules.Timescales) -> list[ToOffer]:
    """Children whose plan is adoption and whose birth parents have no offer of support recorded, the longest
    waiting first, with the days since the plan."""
    offered = BirthRelativeOffer.objects.filter(relationship__in=rules.BIRTH_PARENTS).values("child_id")
    candidates = children.exclude(pk__in=offered).exclude(stage="plan_changed")
    dates = adoption_plan_dates(candidates)
    kids = {c.pk: c for c in candidates.filter(pk__in=dates).select_related("la")}
    rows = [ToOffer(kids[pk], d, (today - d).days, d + timedelta(days=t.offer_days))
            for pk, d in dates.items() if pk in kids and d <= today]
    return sorted(rows, key=lambda r: (r.plan_date, r.child.pk))
