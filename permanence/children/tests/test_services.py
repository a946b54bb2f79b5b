"""The child's journey through the services: validation, all-or-nothing saves, corrections, audit."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permanence.children import services
from permanence.children.models import Child, JourneyEvent
from permanence.core.models import AppendOnlyError, AuditEvent
from permanence.organisations import services as org_services
from permanence.organisations.models import Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY


def test_recording_a_po_moves_the_case_to_the_raa_where_the_policy_says_so(region):
    child = region.child(events=PLACEMENT_ORDER_JOURNEY)
    assert child.case_holder == region.la
    services.record_event(child=child, kind="placement_order", date=date(2024, 9, 4),
                          actor=region.user(Role.LA_SOCIAL_WORKER))
    child.refresh_from_db()
    assert child.stage == "placement_order"
    assert child.case_holder == region.raa
    assert child.po_date == date(2024, 9, 4)


def test_in_an_la_that_keeps_the_case_the_po_changes_nothing(region):
    child = region.child(region.la_keeps, events=[*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 4))])
    assert child.case_holder == region.la_keeps


def test_age_limit_policy_through_the_service(region):
    org_services.set_policy(actor=None, la=region.la, effective_from=date(2021, 1, 1),
                            case_holding="raa_at_po_age_limit", age_limit=2)
    po = ("placement_order", date(2024, 9, 4))
    aged_1 = region.child(dob=date(2023, 6, 1), events=[*PLACEMENT_ORDER_JOURNEY, po])
    aged_3 = region.child(dob=date(2021, 6, 1), events=[*PLACEMENT_ORDER_JOURNEY, po])
    assert aged_1.case_holder == region.raa
    assert aged_3.case_holder == region.la


def test_a_policy_change_moves_existing_children(region):
    child = region.child(region.la_keeps, events=[*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 4))])
    admin = region.user(Role.SYSTEM_ADMINISTRATOR, region.raa)
    org_services.set_policy(actor=admin, la=region.la_keeps, effective_from=date(2025, 4, 1),
                            case_holding="raa_at_po")
    child.refresh_from_db()
    assert child.case_holder == region.raa
    assert AuditEvent.objects.filter(action="policy.created", actor=admin).exists()


def test_a_refused_event_leaves_nothing_behind(region):
    child = region.child(events=PLACEMENT_ORDER_JOURNEY[:1])
    events_before = JourneyEvent.objects.count()
    audit_before = AuditEvent.objects.count()
    snapshot_before = Child.objects.values().get(pk=child.pk)
    for kind, day in [("adoption_order", date(2024, 3, 1)),  # AO before placement
                      ("placement_order", date(2023, 12, 1)),  # PO before entering care
                      ("placement_order", date(2099, 1, 1)),  # in the future
                      ("linked", date(2024, 3, 1))]:  # not allowed at this stage
        with pytest.raises(ValidationError):
            services.record_event(child=child, kind=kind, date=day, actor=region.user(Role.LA_SOCIAL_WORKER),
                                  check_role=False)
    assert JourneyEvent.objects.count() == events_before
    assert AuditEvent.objects.count() == audit_before
    assert Child.objects.values().get(pk=child.pk) == snapshot_before


def test_roles_are_checked(region):
    child = region.child(events=PLACEMENT_ORDER_JOURNEY)
    with pytest.raises(ValidationError, match="Your role cannot record"):
        services.record_event(child=child, kind="placement_order", date=date(2024, 9, 4),
                              actor=region.user(Role.RAA_FAMILY_FINDER))
    with pytest.raises(ValidationError, match="do not have access"):
        services.record_event(child=child, kind="placement_order", date=date(2024, 9, 4),
                              actor=region.user(Role.LA_SOCIAL_WORKER, region.other_la))


def test_a_correction_needs_a_reason_keeps_the_original_and_is_audited(region):
    child = region.child(events=[*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 4))])
    po = child.events.get(kind="placement_order")
    sw = region.user(Role.LA_SOCIAL_WORKER)
    with pytest.raises(ValidationError):
        services.correct_event(event=po, actor=sw, reason=" ", date=date(2024, 9, 5))
    new = services.correct_event(event=po, actor=sw, reason="Typo: sealed order is dated 5 September",
                                 date=date(2024, 9, 5))
    po.refresh_from_db()
    assert po.superseded and new.corrects == po and new.date == date(2024, 9, 5)
    child.refresh_from_db()
    assert child.po_date == date(2024, 9, 5)
    entry = AuditEvent.objects.get(action="event.corrected")
    assert entry.actor == sw and entry.reason.startswith("Typo")
    assert entry.before["date"] == "2024-09-04" and entry.after["date"] == "2024-09-05"


def test_a_correction_that_breaks_the_journey_is_refused(region):
    child = region.child(events=[*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 4))])
    entered = child.events.get(kind="entered_care")
    with pytest.raises(ValidationError):
        services.correct_event(event=entered, actor=region.user(Role.LA_SOCIAL_WORKER),
                               reason="wrong", date=date(2024, 10, 1))
    with pytest.raises(ValidationError, match="impossible"):
        services.correct_event(event=entered, actor=region.user(Role.LA_SOCIAL_WORKER), reason="wrong",
                               withdraw=True)
    assert not JourneyEvent.objects.filter(superseded=True).exists()


def test_withdrawing_the_last_event_rolls_the_stage_back(region):
    child = region.child(events=[*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 4))])
    po = child.events.get(kind="placement_order")
    services.correct_event(event=po, actor=region.user(Role.LA_SOCIAL_WORKER), reason="Wrong child", withdraw=True)
    child.refresh_from_db()
    assert child.stage == "should_be_placed" and child.case_holder == region.la


def test_audit_entries_cannot_be_changed(region):
    region.child(events=PLACEMENT_ORDER_JOURNEY[:1])
    entry = AuditEvent.objects.first()
    entry.reason = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(reason="x")


def test_child_validation_messages(region):
    with pytest.raises(ValidationError) as err:
        services.create_child(actor=None, la=region.la, la_child_id="", first_name="", last_name="")
    assert set(err.value.message_dict) >= {"first_name", "last_name", "la_child_id", "date_of_birth"}
    region.child(la_child_id="X1") if False else None
    services.create_child(actor=None, la=region.la, la_child_id="DUP", first_name="A", last_name="B",
                          date_of_birth=date(2023, 1, 1))
    with pytest.raises(ValidationError, match="already has a child with ID DUP"):
        services.create_child(actor=None, la=region.la, la_child_id="DUP", first_name="C", last_name="D",
                              date_of_birth=date(2023, 1, 1))


def test_an_unborn_child_can_be_tracked(region):
    child = services.create_child(actor=None, la=region.la, la_child_id="UNB1", first_name="Baby", last_name="Doe",
                                  expected_date_of_birth=date(2027, 1, 15))
    services.record_event(child=child, kind="identified", date=date(2026, 10, 1), actor=None, check_role=False)
    child.refresh_from_db()
    assert child.is_unborn and child.stage == "tracking" and child.case_holder == region.la
