"""Contact and birth relatives' support for the demo (and the national set): a contact plan for each adopted
child (letterbox both ways with a birth parent, sometimes direct or sibling contact too), its letterbox exchanges
at every step – forwarded on time or late, read and waiting, received and overdue to forward, awaited, overdue to
arrive – its reviews (some overdue), and offers of independent support to birth parents from the day adoption
became the plan (accepted with sessions, declined, no response; some children not offered yet).

Synthetic names only. Written with bulk_create (seconds for the national set); no audit entries, as for the rest of
the demo's loading."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import connection, transaction

from permanence.children.models import Child, JourneyEvent
from permanence.contact import rules
from permanence.contact.models import (
    BirthRelativeOffer,
    BirthRelativeSession,
    ContactArrangement,
    ContactPlan,
    ContactReview,
    LetterboxExchange,
)
from permanence.timescales.rules import add_working_days

WOMEN = ["Kerry", "Shannon", "Jade", "Stacey", "Leanne", "Tasha", "Chantelle", "Paige"]
MEN = ["Dean", "Lee", "Wayne", "Craig", "Ryan", "Gary", "Jamie", "Darren"]
FIRST = WOMEN + MEN
OFFERED_BY = ["Birth Ties (independent)", "Family Voices (independent)", "The RAA's birth relatives worker"]
T = rules.Timescales()


def delete_demo_contact(children) -> None:
    """Every contact row of these children (before they are deleted)."""
    plans = ContactPlan.objects.filter(child__in=children)
    arrangements = ContactArrangement.objects.filter(plan__in=plans)
    offers = BirthRelativeOffer.objects.filter(child__in=children)
    for qs in (LetterboxExchange.objects.filter(arrangement__in=arrangements), arrangements,
               ContactReview.objects.filter(plan__in=plans), plans,
               BirthRelativeSession.objects.filter(offer__in=offers), offers):
        qs.model.objects.filter(pk__in=list(qs.values_list("pk", flat=True)))._raw_delete(connection.alias)


def _exchange(rng: random.Random, x: LetterboxExchange, today: date) -> None:
    """Take one exchange due on or before today through some of its steps."""
    late = (today - x.due_on).days
    roll = rng.random()
    if late < 30 and roll < 0.5 or roll < 0.1:
        return  # awaited, or (due long ago) overdue to arrive
    received = x.due_on + timedelta(days=rng.randint(-10, 12))
    if received > today:
        return
    x.received_on = received
    if rng.random() < 0.1 and (today - received).days > 3:
        return  # received, waiting to be read (overdue to forward once past the timescale)
    x.read_on = min(today, received + timedelta(days=rng.randint(0, 3)))
    if rng.random() < 0.12:
        x.redacted_on = min(today, x.read_on + timedelta(days=rng.randint(0, 2)))
        x.redaction_reason = rng.choice(["The adopters' town", "A school's name", "A surname", "A photograph "
                                                                                             "showing the street"])
    forward = add_working_days(received, rng.choice([2, 4, 6, 8, 9, 12, 16]))
    if forward <= today and rng.random() < 0.93:
        x.forwarded_on = max(forward, x.redacted_on or x.read_on)


@transaction.atomic
def load_contact(*, seed: int, today: date, children=None) -> dict[str, int]:
    """Contact plans for adopted children without one, and offers of support for children whose plan became
    adoption. `children`: a queryset to draw from (default: every child)."""
    children = Child.objects.all() if children is None else children
    aos = dict(JourneyEvent.objects.filter(child__in=children, kind="adoption_order", superseded=False)
               .exclude(child__contact_plan__isnull=False).values_list("child_id", "date"))
    plans = [ContactPlan(child_id=c, adoption_order_date=ao, next_review_due=rules.review_due(ao, (), T))
             for c, ao in sorted(aos.items())]
    arrangements, reviews = [], []
    for plan in plans:
        r = random.Random(f"{seed}/contact/{plan.child_id}")
        start = plan.adoption_order_date + timedelta(days=r.randint(14, 60))
        mother = f"{r.choice(WOMEN)} Demo-{r.randint(100, 999)}"
        pattern = r.random()
        arrangements.append(ContactArrangement(
            plan=plan, kind="letterbox", with_name=mother, relationship="birth_mother", start_on=start,
            times_a_year=None if pattern < 0.4 else r.choice([1, 2, 2]),
            months="" if pattern >= 0.4 else r.choice(["3,9", "6", "12", "4,10"]),
            day_of_month=r.choice([1, 1, 15]), letterbox_ways="both" if r.random() < 0.8 else "from_adopters"))
        if r.random() < 0.2:
            arrangements.append(ContactArrangement(plan=plan, kind="direct", with_name=f"{r.choice(FIRST)} Demo",
                                                   relationship="grandparent", start_on=start, times_a_year=1))
        if r.random() < 0.25:
            arrangements.append(ContactArrangement(plan=plan, kind="sibling", with_name=f"{r.choice(FIRST)} Demo",
                                                   relationship="sibling", start_on=start, times_a_year=4))
        held: list[date] = []
        due = rules.review_due(plan.adoption_order_date, held, T)
        while due <= today and r.random() < 0.85:  # some reviews left overdue
            on = min(today, due + timedelta(days=r.randint(-30, 20)))
            held.append(on)
            reviews.append(ContactReview(plan=plan, held_on=on, outcome=r.choice(["continue", "continue",
                                                                                  "changed"])))
            due = rules.review_due(plan.adoption_order_date, held, T)
        plan.last_reviewed_on = max(held) if held else None
        plan.next_review_due = due
    ContactPlan.objects.bulk_create(plans, batch_size=2000)
    ContactArrangement.objects.bulk_create(arrangements, batch_size=2000)
    for review in reviews:
        if review.outcome == "changed":
            review.changes = "Letterbox once a year instead of twice."
    ContactReview.objects.bulk_create(reviews, batch_size=2000)

    exchanges = []
    until = today + timedelta(days=120)
    for a in arrangements:
        if a.kind != "letterbox":
            continue
        r = random.Random(f"{seed}/letterbox/{a.plan.child_id}")
        months = rules.parse_months(a.months) if a.months else ()
        for day in rules.due_dates(a.start_on, until, times_a_year=a.times_a_year, months=months,
                                   day=a.day_of_month):
            for direction in a.directions:
                x = LetterboxExchange(arrangement=a, direction=direction, due_on=day)
                if day <= today:
                    _exchange(r, x, today)
                exchanges.append(x)
    LetterboxExchange.objects.bulk_create(exchanges, batch_size=5000)

    offers, sessions = _offers(seed, today, children)
    return {"plans": len(plans), "arrangements": len(arrangements), "exchanges": len(exchanges),
            "reviews": len(reviews), "offers": len(offers), "sessions": len(sessions)}


def _offers(seed: int, today: date, children):
    events: dict[int, list] = {}
    have = BirthRelativeOffer.objects.values("child_id")
    for child, kind, day in (JourneyEvent.objects.filter(child__in=children.exclude(pk__in=have), superseded=False,
                                                         kind__in=rules.PLAN_KINDS | rules.PLAN_ENDS)
                             .order_by("date", "pk").values_list("child_id", "kind", "date")):
        events.setdefault(child, []).append((kind, day))
    offers = []
    for child, evs in sorted(events.items()):
        plan_date = rules.adoption_plan_date(evs)
        if plan_date is None:
            continue
        r = random.Random(f"{seed}/birth/{child}")
        offered = plan_date + timedelta(days=r.choice([3, 7, 14, 21, 27, 35, 60]))
        if offered > today or r.random() < 0.12:
            continue  # not offered yet: on the "to offer" list
        for relationship in ["birth_mother"] + (["birth_father"] if r.random() < 0.45 else []):
            roll = r.random()
            response = "accepted" if roll < 0.6 else "declined" if roll < 0.85 else "no_response"
            response_on = None if response == "no_response" else min(today, offered + timedelta(days=r.randint(0, 30)))
            offers.append(BirthRelativeOffer(
                child_id=child,
                relative_name=f"{r.choice(WOMEN if relationship == 'birth_mother' else MEN)} Demo-{r.randint(100, 999)}",
                relationship=relationship, offered_on=offered, offered_by=r.choice(OFFERED_BY), response=response,
                response_on=response_on))
    BirthRelativeOffer.objects.bulk_create(offers, batch_size=2000)
    sessions = []
    for o in offers:
        if o.response != "accepted":
            continue
        r = random.Random(f"{seed}/session/{o.pk}")
        day = o.response_on
        for _ in range(r.randint(0, 4)):
            day = day + timedelta(days=r.randint(7, 28))
            if day > today:
                break
            sessions.append(BirthRelativeSession(offer=o, held_on=day))
    BirthRelativeSession.objects.bulk_create(sessions, batch_size=2000)
    return offers, sessions
