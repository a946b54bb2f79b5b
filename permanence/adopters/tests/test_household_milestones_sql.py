"""The adopter measures' SQL (adopter_measures.household_milestone_rows, the one query every adopter figure reads)
gives, household by household and date by date, what `aggregate_household_milestones` gives from the same events
in Python – the function test_household_milestones_agree checks against replaying the journey. Together: the SQL
agrees with the journey. And the figures from the SQL equal the figures from replaying every household.

The households are random walks over the transition table, recorded through the services one event at a time;
some events are then corrected or withdrawn, so superseded rows are there to be left out.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from permanence.adopters import rules, services
from permanence.adopters.models import Enquiry, Household, HouseholdEvent
from permanence.adopters.tests.walks import dates_that_matter, walk
from permanence.performance import adopter_measures
from permanence.performance.rules.households import HouseholdMilestones, aggregate_household_milestones

D = date
START = D(2020, 1, 6)  # the walks' first day: 41 steps of at most 40 days end before today


def _record(raa, seed):
    events, fast = walk(seed, start=START, steps=25)
    household = services.register_interest(actor=None, raa=raa, name=f"Walk{seed}", roi_date=START,
                                           applicants=[{"first_name": "Sam", "last_name": f"Walk{seed}"}],
                                           previous_adopters=fast)
    for e in events[1:]:
        services.record_event(household=household, kind=e.kind.value, date=e.date, actor=None, check_role=False,
                              details=e.details or None)
    return household


def _correct_some(households) -> int:
    """Move two events' dates and withdraw two, where the journey allows it."""
    done = 0
    for n, household in enumerate(households):
        for event in household.events.filter(superseded=False).exclude(kind="roi_received").order_by("-date")[:3]:
            try:
                services.correct_event(event=event, actor=None, reason="Test: recorded on the wrong day",
                                       date=None if n % 2 else event.date - timedelta(days=1), withdraw=bool(n % 2))
            except ValidationError:
                continue
            done += 1
            break
        if done == 4:
            break
    return done


def _world(region, count=40):
    households = [_record(region.raa, seed) for seed in range(count)]
    assert _correct_some(households) == 4
    assert HouseholdEvent.objects.filter(superseded=True).exists()
    return Household.objects.filter(raa=region.raa)


def test_the_sql_milestones_are_the_python_aggregation_on_every_date_that_matters(region):
    households = _world(region)
    facts = {h.pk: services.event_facts(h) for h in households}
    days = sorted({d for events in facts.values() for d in dates_that_matter(events)})
    for day in [*days[::7], None]:
        got = adopter_measures.household_milestones(households, until=day)
        for pk, events in facts.items():
            # No row for a household with no event by then: the measures read it as one with no dates.
            assert got.get(pk, HouseholdMilestones(pk)) == aggregate_household_milestones(pk, events, day), (day, pk)


def test_the_figures_from_the_sql_equal_the_figures_from_replaying_every_household(region):
    households = _world(region, count=60)
    enquiries = Enquiry.objects.filter(raa=region.raa)
    facts = {h.pk: (services.event_facts(h), h.fast_track) for h in households}
    compared = 0
    for start, end in [(D(2020, 1, 1), D(2020, 12, 31)), (D(2021, 4, 1), D(2021, 6, 30)),
                       (D(2020, 7, 1), D(2022, 6, 30)), (D(2023, 1, 1), D(2024, 12, 31))]:
        states = {pk: rules.replay(events, fast_track=fast, until=end) for pk, (events, fast) in facts.items()}
        expected = adopter_measures.measures_from(states, enquiries, start, end)
        got = adopter_measures.adopter_measures(households, enquiries, start, end)
        for key, figure in expected.figures.items():
            assert (got[key].value, got[key].n, got[key].household_ids) == (figure.value, figure.n,
                                                                             figure.household_ids), (start, key)
            compared += bool(figure.n)
        assert got.withdrawals == expected.withdrawals
    assert compared > 20  # figures with households behind them, not only zeros


def test_the_adopter_measures_read_two_queries_whatever_the_number_of_households(region):
    households = _world(region, count=5)
    enquiries = Enquiry.objects.filter(raa=region.raa)

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            adopter_measures.adopter_measures(households, enquiries, D(2020, 1, 1), D(2022, 12, 31))
        return len(seen)

    few = queries()
    for seed in range(100, 120):
        _record(region.raa, seed)
    assert queries() == few <= 3  # the households' milestones, the enquiries by source, the thresholds
