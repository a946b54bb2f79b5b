"""The measures' milestone query (measures.milestone_rows, the one SQL every children's figure reads) gives, child
by child and date by date, what `rules.aggregate_milestones` gives from the same events in Python – the function
test_milestones_agree checks against replaying the journey. Together: the SQL agrees with the journey.

The children are generated journeys (the demo simulator) recorded through the services, one event at a time;
two events are then corrected and one withdrawn, so superseded rows are there to be left out.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from permanence.children import rules as child_rules
from permanence.children import services as child_services
from permanence.children.models import JourneyEvent
from permanence.demo import journeys
from permanence.organisations.models import Role
from permanence.performance import measures, rules

D = date
TODAY = D(2025, 9, 30)  # the generator's today: no event after it


def _record(region, generated, la):
    n = len(region.__dict__.setdefault("_children", [])) + 1
    child = child_services.create_child(
        actor=None, la=la, la_child_id=f"G{n:05d}", first_name=generated.first_name, last_name=generated.last_name,
        date_of_birth=generated.dob, expected_date_of_birth=generated.expected_dob)
    region._children.append(child)
    for e in child_rules.sort_events(generated.events):
        child_services.record_event(child=child, kind=e.kind.value, date=e.date, actor=None, check_role=False,
                                    details=e.details or None, on=TODAY)
    return child


def _correct_some(region, children) -> int:
    """Correct two events' dates and withdraw one, trying kinds and children in turn until the journey allows it."""
    sw = region.user(Role.LA_SOCIAL_WORKER)
    done = 0
    plans = [(("entered_care",), -7, False), (("placement_order",), -3, False),
             (("adoption_order", "plan_changed", "po_revoked", "disruption"), 0, True)]
    for kinds, shift, withdraw in plans:
        for child in [c for kind in kinds for c in children if c.events.filter(kind=kind).exists()]:
            event = child.events.filter(kind__in=kinds, superseded=False).order_by("-date").first()
            if event is None:
                continue
            try:
                child_services.correct_event(event=event, actor=sw, reason="Test: the order is dated differently",
                                             date=None if withdraw else event.date + timedelta(days=shift),
                                             withdraw=withdraw, on=TODAY)
            except ValidationError:
                continue
            done += 1
            break
    return done


@pytest.fixture
def recorded(region):
    generated = journeys.generate(4, TODAY, [("901", 18)])
    children = [_record(region, g, region.la) for g in generated]
    assert _correct_some(region, children) == 3
    return children


def _sql(scope, until: date) -> dict[int, rules.Milestones]:
    return {row["child_id"]: measures._milestones(row)
            for row in measures.fetch(measures.milestone_rows(scope, until=until))}


def _python(children, until: date) -> dict[int, rules.Milestones]:
    events = {c.pk: list(JourneyEvent.objects.filter(child=c)) for c in children}  # superseded rows included
    out = {}
    for c in children:
        m = rules.aggregate_milestones(c.pk, c.la_id, events[c.pk], until)
        if m is not None:
            out[c.pk] = m
    return out


def test_the_query_and_the_python_read_the_same_kinds_and_dates():
    assert {k.value for k in measures.MILESTONE_KINDS} == rules.MILESTONE_KINDS
    assert set(measures._MILESTONE_FIELDS) == set(rules.MILESTONE_AGGREGATION)


def test_the_milestone_query_is_the_python_aggregation(recorded, region):
    assert JourneyEvent.objects.filter(superseded=True).count() == 3
    days = sorted({d for e in JourneyEvent.objects.all() for d in (e.date, e.date - timedelta(days=1))} | {TODAY})
    # Every date where a value changes would be ~300 queries: take every third, and the corrected events' dates.
    corrected = {d for e in JourneyEvent.objects.filter(superseded=True) for d in (e.date, e.date - timedelta(days=1))}
    checked = sorted(set(days[::3]) | corrected | {TODAY})
    # Both plans of the query: every LA (events picked by kind) and one LA (events reached through the child).
    scopes = [measures.scope_all(), measures.scope_for_la(region.la)]
    rows_seen = 0
    for day in checked:
        expected = _python(recorded, day)
        for scope in scopes:
            got = _sql(scope, day)
            assert got == expected, day
            # Milestones' equality leaves the placement's details out: compare what the measures read of them.
            assert {k: m.moved_in_with_carers for k, m in got.items()} == \
                {k: m.moved_in_with_carers for k, m in expected.items()}, day
            rows_seen += len(got)
    assert rows_seen > len(checked)  # not a comparison of empty answers
    final = _python(recorded, TODAY)
    assert any(m.moved_in_with_carers for m in final.values())
    assert any(m.match_date for m in final.values()) and any(m.plan_changed for m in final.values())
