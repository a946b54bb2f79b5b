"""The write skeleton (journeys/services.JourneyWriter), through the child's journey: bulk_apply writes what the
one-at-a-time services would, refuses a journey that does not replay, and refresh_snapshots reads the events of
many records in one query."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from permanence.children import rules
from permanence.children import services as child_services
from permanence.children.models import Child, JourneyEvent
from permanence.core.models import AuditEvent
from permanence.journeys.services import NewEvent
from permanence.testing import PLACEMENT_ORDER_JOURNEY

K = rules.Kind
AT = datetime(2025, 1, 6, 9, 30, tzinfo=UTC)
ON = date(2025, 1, 6)


def _facts(journey) -> list[rules.EventFact]:
    return [rules.EventFact(K(kind), day) for kind, day in journey]


def _snapshot(child: Child) -> dict:
    return {k: getattr(child, k) for k in child_services.SNAPSHOT_FIELDS}


def test_bulk_apply_writes_new_records_and_their_events_as_the_services_would(region):
    a = Child(la=region.la, la_child_id="B1", first_name="Ada", last_name="Bulk", date_of_birth=date(2022, 3, 1))
    b = Child(la=region.la_keeps, la_child_id="B2", first_name="Bo", last_name="Bulk", date_of_birth=date(2021, 5, 1))
    first, second = _facts(PLACEMENT_ORDER_JOURNEY), _facts(PLACEMENT_ORDER_JOURNEY[:2])
    # Interleaved: the ids follow the order given, not the records.
    events = [NewEvent(a, first[0], "ssda903", AT), NewEvent(b, second[0], "ssda903", AT, note="b"),
              NewEvent(a, first[1], "ssda903", AT), *[NewEvent(a, f, "ssda903", AT) for f in first[2:]],
              NewEvent(b, second[1], "ssda903", AT, note="b")]
    with transaction.atomic():
        child_services.WRITER.bulk_apply([a, b], events, on=ON)
    assert a.pk and b.pk
    stored = list(JourneyEvent.objects.order_by("id").values_list("child_id", "kind", "note", "source"))
    assert stored == [(e.record.pk, e.fact.kind.value, e.note, "ssda903") for e in events]
    for child, journey in ((a, first), (b, second)):
        written = _snapshot(Child.objects.get(pk=child.pk))
        assert written["stage"] == rules.replay(journey).stage.value
        refreshed = child_services.refresh_snapshot(Child.objects.select_related("la").get(pk=child.pk), on=ON)
        assert written == _snapshot(refreshed)


def test_bulk_apply_refuses_a_new_journey_that_does_not_replay(region):
    child = Child(la=region.la, la_child_id="B3", first_name="Cy", last_name="Bulk", date_of_birth=date(2022, 3, 1))
    wrong = [NewEvent(child, rules.EventFact(K.SHOULD_BE_PLACED, date(2024, 7, 3)), "ssda903", AT)]
    with pytest.raises(ValidationError, match="does not replay"), transaction.atomic():
        child_services.WRITER.bulk_apply([child], wrong, on=ON)
    assert not Child.objects.filter(la_child_id="B3").exists()
    assert not JourneyEvent.objects.exists()


def test_bulk_apply_supersedes_and_refuses_an_existing_journey_left_impossible(region):
    child = region.child(events=PLACEMENT_ORDER_JOURNEY)
    entered = child.events.get(kind=K.ENTERED_CARE)
    moved = rules.EventFact(K.ENTERED_CARE, date(2024, 1, 3))
    with transaction.atomic():
        child_services.WRITER.bulk_apply(
            [child], [NewEvent(child, moved, "ssda903", AT, corrects_id=entered.pk, correction_reason="903")],
            on=ON, supersede=[entered.pk])
    entered.refresh_from_db()
    assert entered.superseded
    assert child.events.get(kind=K.ENTERED_CARE, superseded=False).corrects_id == entered.pk
    assert Child.objects.get(pk=child.pk).entered_care_date == date(2024, 1, 3)

    current = child.events.get(kind=K.ENTERED_CARE, superseded=False)
    with pytest.raises(ValidationError, match="does not replay"), transaction.atomic():
        child_services.WRITER.bulk_apply([child], [], on=ON, supersede=[current.pk])  # a journey with no entry
    assert not JourneyEvent.objects.get(pk=current.pk).superseded


def test_refresh_snapshots_reads_many_records_in_a_fixed_number_of_queries(region, django_assert_num_queries):
    few = [region.child(events=PLACEMENT_ORDER_JOURNEY) for _ in range(2)]
    many = few + [region.child(la=region.la_keeps, events=PLACEMENT_ORDER_JOURNEY[:2]) for _ in range(6)]
    right = {c.pk: _snapshot(c) for c in many}
    for records in (few, many):
        Child.objects.update(stage="tracking", next_due_date=None, next_due_label="", case_holder=None)
        records = list(Child.objects.filter(pk__in=[c.pk for c in records]).select_related("la"))
        # The policies, the timescales, the events and one update, however many records; then the comparisons' days
        # of the records (performance.AdoptionDays, registered as derived from the child's journey): the events of
        # those with an adoption order (none here), and their old rows deleted.
        with django_assert_num_queries(6):
            changed = child_services.WRITER.refresh_snapshots(records, only_changed=True)
        assert changed == len(records)
    assert {c.pk: _snapshot(c) for c in Child.objects.all()} == right
    assert child_services.WRITER.refresh_snapshots(Child.objects.select_related("la"),
                                                   only_changed=True) == 0


def test_withdraw_supersedes_with_nothing_and_audits(region):
    child = region.child(events=PLACEMENT_ORDER_JOURNEY)
    last = child.events.get(kind=K.SHOULD_BE_PLACED)
    actor = region.user("la_team_manager")
    assert child_services.WRITER.withdraw(last, actor=actor, reason="Recorded in error") is None
    last.refresh_from_db()
    assert last.superseded and not JourneyEvent.objects.filter(corrects=last).exists()
    child.refresh_from_db()
    assert child.stage == rules.replay(_facts(PLACEMENT_ORDER_JOURNEY[:3])).stage.value
    entry = AuditEvent.objects.get(action="event.withdrawn")
    assert (entry.object_id, entry.child_id, entry.after, entry.reason) == (str(last.pk), child.pk, None,
                                                                            "Recorded in error")
    assert entry.before["stage"] == rules.Stage.SHOULD_BE_PLACED.value
