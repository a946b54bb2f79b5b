"""The quarterly figures, as at the quarter's end, against counts worked out by hand (and by plain Python over the
rows made here) for a region where every exchange's, plan's and offer's story is known."""

from datetime import date, timedelta

import pytest

from permanence.contact import figures
from permanence.contact.models import BirthRelativeOffer, ContactArrangement, ContactPlan, ContactReview
from permanence.contact.models import LetterboxExchange as X
from permanence.performance import measures, reports
from permanence.performance.rules import parse_quarter

QUARTER = "2025Q3"  # October to December 2025
PERIOD = parse_quarter(QUARTER)
END = date(2025, 12, 31)


def arrangement(plan, start=date(2025, 1, 1)):
    return ContactArrangement.objects.create(plan=plan, kind="letterbox", with_name="Tess Testcase",
                                             relationship="birth_mother", times_a_year=1, start_on=start)


def plan_for(child, ao=date(2024, 6, 3), start=date(2024, 7, 1), reviews=()):
    plan = ContactPlan.objects.create(child=child, adoption_order_date=ao, next_review_due=ao)
    arrangement(plan, start)
    for day in reviews:
        ContactReview.objects.create(plan=plan, held_on=day, outcome="continue")
    return plan


@pytest.fixture
def story(world):
    s = world
    plan = s.plan  # the North child's (adoption order 30 June 2025); its scheduled exchanges are due in 2026
    ex = {}
    for n, (due, received, read, forwarded) in {
        1: (date(2025, 10, 1), date(2025, 10, 2), date(2025, 10, 3), date(2025, 10, 10)),  # on time (by 16 Oct)
        2: (date(2025, 10, 1), date(2025, 10, 2), date(2025, 10, 20), date(2025, 10, 20)),  # late
        3: (date(2025, 9, 1), date(2025, 9, 1), date(2025, 9, 2), date(2025, 9, 5)),  # forwarded before the quarter
        4: (date(2025, 12, 1), None, None, None),  # overdue to arrive from 16 December
        5: (date(2025, 12, 20), None, None, None),  # in its grace until 3 January
        6: (date(2025, 11, 1), date(2025, 11, 3), None, None),  # to forward by 17 November
        7: (date(2025, 11, 15), date(2025, 12, 1), date(2025, 12, 1), date(2026, 1, 5)),  # late at the end
        8: (date(2025, 11, 1), date(2026, 1, 2), None, None),  # not there at the quarter end
    }.items():
        ex[n] = X.objects.create(arrangement=arrangement(plan), direction="from_adopters", due_on=due,
                                 received_on=received, read_on=read, forwarded_on=forwarded)
    X.objects.create(arrangement=arrangement(s.south_plan), direction="from_adopters", due_on=date(2025, 10, 1),
                     received_on=date(2025, 10, 2), read_on=date(2025, 10, 2), forwarded_on=date(2025, 10, 3))
    s.ex = ex
    kid = lambda name: s.child(events=[("entered_care", date(2024, 1, 10))], first_name=name)  # noqa: E731
    s.plans = {
        "due_unreviewed": plan_for(kid("P2")),  # due 3 June 2025
        "reviewed": plan_for(kid("P3"), reviews=[date(2025, 5, 1)]),  # next due 1 May 2027
        "reviewed_after": plan_for(kid("P4"), reviews=[date(2026, 1, 10)]),  # not yet reviewed at the end
        "not_started": plan_for(kid("P5"), start=date(2026, 2, 1)),
    }
    plan_for(s.child(s.other_la, events=[("entered_care", date(2024, 1, 10))], first_name="SouthP"))
    x = s.child(events=[("entered_care", date(2025, 1, 6)), ("permanence_plan", date(2025, 10, 1))], first_name="X")
    y = s.child(events=[("entered_care", date(2025, 1, 6)), ("should_be_placed", date(2025, 9, 1))], first_name="Y")
    mk = BirthRelativeOffer.objects.create
    s.offers = [
        mk(child=x, relative_name="M", relationship="birth_mother", offered_on=date(2025, 10, 20), offered_by="W",
           response="accepted", response_on=date(2025, 11, 1)),  # 19 days after the plan
        mk(child=x, relative_name="F", relationship="birth_father", offered_on=date(2025, 12, 1), offered_by="W",
           response="accepted", response_on=date(2026, 1, 10)),  # 61 days; accepted after the quarter
        mk(child=y, relative_name="G", relationship="grandparent", offered_on=date(2025, 10, 5), offered_by="W",
           response="declined", response_on=date(2025, 10, 6)),
        mk(child=y, relative_name="E", relationship="birth_mother", offered_on=date(2025, 9, 15), offered_by="W"),
    ]
    mk(child=s.south, relative_name="S", relationship="birth_mother", offered_on=date(2025, 11, 1), offered_by="W")
    return s


def by_key(scope):
    return {f.key: f for f in figures.figures(scope, PERIOD)}


def test_the_north_raas_quarter_against_plain_counts(story):
    s = story
    f = by_key(measures.scope_for_raa(s.raa))
    north = X.objects.filter(arrangement__plan__child__la__raa=s.raa)
    # Plain Python over the rows: forwarded in the quarter; on time by the hand-worked dates above.
    forwarded = {x.pk for x in north if x.forwarded_on and PERIOD.start <= x.forwarded_on <= END}
    assert forwarded == {s.ex[1].pk, s.ex[2].pk}
    assert f[figures.FORWARDED].value == len(forwarded)
    assert f[figures.FORWARDED_ON_TIME].value == 50 and f[figures.FORWARDED_ON_TIME].n == 2
    assert f[figures.OVERDUE].value == 4  # 4, 6, 7 and 8 (the scheduled 2026 ones are not yet due)
    assert f[figures.REVIEWS_OVERDUE].value == 2  # the unreviewed plan and the one reviewed after the end
    assert set(f[figures.REVIEWS_OVERDUE].child_ids) == {s.plans["due_unreviewed"].child_id,
                                                          s.plans["reviewed_after"].child_id}
    in_quarter = [o for o in BirthRelativeOffer.objects.filter(child__la__raa=s.raa)
                  if PERIOD.start <= o.offered_on <= END]
    assert f[figures.OFFERED].value == len(in_quarter) == 3
    accepted = [o for o in in_quarter if o.response == "accepted" and o.response_on <= END]
    assert f[figures.TAKE_UP].value == round(100 * len(accepted) / len(in_quarter)) == 33
    assert f[figures.OFFER_TIMELY].value == 50 and f[figures.OFFER_TIMELY].n == 2  # the birth parents only


def test_the_south_and_the_timescale_in_force(story):
    f = by_key(measures.scope_for_raa(story.other_raa))
    assert (f[figures.FORWARDED].value, f[figures.FORWARDED_ON_TIME].value, f[figures.OFFERED].value) == (1, 100, 1)
    assert f[figures.REVIEWS_OVERDUE].value == 1
    from permanence.timescales.models import Timescale

    Timescale.objects.create(key="letterbox_forward", label="Forward", subject="contact", start_event="r",
                             end_events="f", amount=15, unit="working_days", source="Test",
                             valid_from=END - timedelta(days=30))
    f = by_key(measures.scope_for_raa(story.raa))
    assert f[figures.FORWARDED_ON_TIME].value == 100  # 20 October is within 15 working days of 2 October


def test_the_figures_are_on_the_quarterly_report(story):
    report = reports.quarterly_report(measures.scope_for_raa(story.raa), QUARTER, suppress=False)
    keys = {fig["key"] for fig in report["figures"]}
    assert set(figures.KEYS) <= keys


def test_an_raas_own_review_intervals_count_for_its_plans_only(story):
    from permanence.contact.models import ContactSettings

    ContactSettings.objects.create(raa=story.raa, first_review_months=48, later_review_months=24, source="Test")
    assert by_key(measures.scope_for_raa(story.raa))[figures.REVIEWS_OVERDUE].value == 0  # first due in 2028
    assert by_key(measures.scope_for_raa(story.other_raa))[figures.REVIEWS_OVERDUE].value == 1
