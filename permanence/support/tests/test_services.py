"""Recording a referral and its steps: the snapshot, corrections, the audit trail."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permanence.core.models import AuditEvent
from permanence.support import services
from permanence.support.models import SupportCase

TODAY = date(2025, 9, 1)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)
    return TODAY


def referral(region, **over):
    values = dict(referrer_type="adoptive_family", referred_on=date(2025, 6, 2), family_name="Hartley family",
                  referrer_name="Jo Hartley", referrer_relationship="Adoptive mother", reason="Violence at home",
                  urgency="standard", child_name="Sam Hartley", child_date_of_birth=date(2016, 4, 1),
                  family_la=region.la_keeps)
    values.update(over)
    return services.create_referral(actor=region.user("raa_support_worker"), raa=region.raa, **values)


def test_referral_creates_a_case_with_its_first_event(region, today):
    case = referral(region)
    assert case.stage == "referred" and case.reference.startswith("S")
    assert case.next_due_label == "Record the duty outcome" and case.next_due_date == date(2025, 6, 9)
    assert AuditEvent.objects.filter(action="support_case.referred", object_id=str(case.pk)).exists()
    assert AuditEvent.objects.filter(action="support_event.recorded").exists()
    assert not AuditEvent.objects.filter(child_id__isnull=False).filter(action__startswith="support").exists()


def test_held_child_gives_the_placing_la_and_the_order_date(region, today):
    from django.utils import timezone

    from permanence.children.models import JourneyEvent

    child = region.child(dob=date(2017, 3, 1))
    # Only the order's date is read here (the child's whole journey to adoption is the children app's tests').
    JourneyEvent.objects.create(child=child, kind="adoption_order", date=date(2019, 9, 2), recorded_at=timezone.now())
    case = referral(region, child=child, child_name="")
    assert case.placing_la == region.la and case.adoption_order_date == date(2019, 9, 2)


def test_referral_problems(region, today):
    with pytest.raises(ValidationError) as refused:
        referral(region, referrer_type="special_guardianship", safeguarding=True, child_name="")
    messages = refused.value.message_dict
    assert set(messages) == {"referrer_type", "safeguarding_la", "safeguarding_told_on", "child_name"}
    services.save_settings(actor=region.user("raa_team_manager"), raa=region.raa, offers_special_guardianship=True,
                           placing_la_years=3)
    assert referral(region, referrer_type="special_guardianship").referrer_type == "special_guardianship"


def test_only_the_raa_support_team_records(region, today):
    with pytest.raises(ValidationError):
        services.create_referral(actor=region.user("raa_family_finder"), raa=region.raa, referred_on=TODAY,
                                 referrer_type="adoptive_family", family_name="X", referrer_name="Y", reason="Z",
                                 child_name="C")
    with pytest.raises(ValidationError):
        services.create_referral(actor=region.user("raa_support_worker", region.other_raa), raa=region.raa,
                                 referred_on=TODAY, referrer_type="adoptive_family", family_name="X",
                                 referrer_name="Y", reason="Z", child_name="C")


def test_steps_snapshot_correct_and_withdraw(region, today):
    case = referral(region, urgency="urgent")
    worker = region.user("raa_support_worker")
    rec = lambda kind, day, **d: services.record_event(case=case, kind=kind, date=day, actor=worker, details=d)  # noqa: E731
    rec("duty_outcome", date(2025, 6, 3), outcome="for_assessment")
    rec("assessment_requested", date(2025, 6, 4))
    rec("interim_support", date(2025, 6, 10), offered="Parenting group")
    case.refresh_from_db()
    assert case.stage == "requested" and case.requested_on == date(2025, 6, 4) and case.interim_offers == 1
    assert case.next_due_date == date(2025, 7, 16)
    with pytest.raises(ValidationError):
        rec("allocated", date(2025, 6, 11), worker=str(region.user("raa_family_finder").pk))
    allocated = rec("allocated", date(2025, 6, 11), worker=str(worker.pk))
    case.refresh_from_db()
    assert case.worker == worker and allocated.details["worker_name"]
    started = rec("assessment_started", date(2025, 6, 16))
    services.correct_event(event=started, actor=worker, reason="Typo", date=date(2025, 6, 17))
    case.refresh_from_db()
    assert case.started_on == date(2025, 6, 17)
    replacement = case.events.get(kind="assessment_started", superseded=False)
    services.correct_event(event=replacement, actor=worker, reason="In error", withdraw=True)
    case.refresh_from_db()
    assert case.stage == "allocated" and case.started_on is None
    with pytest.raises(ValidationError):
        services.correct_event(event=case.events.get(kind="referral_received"), actor=worker, reason="x",
                               date=date(2025, 6, 1))
    assert AuditEvent.objects.filter(action="support_event.withdrawn").count() == 1


def test_refresh_all_snapshots(region, today):
    case = referral(region)
    SupportCase.objects.filter(pk=case.pk).update(stage="closed", next_due_date=None)
    assert services.refresh_all_snapshots(on=TODAY) == (1, 1)
    case.refresh_from_db()
    assert case.stage == "referred" and case.next_due_date == date(2025, 6, 9)
