"""Recording a request and its steps through the services: the snapshot after record, correct and withdraw,
the audit entries, and the refusals (role, another RAA, dates)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permanence.adopted_adults import services
from permanence.adopted_adults.models import AdultRequest
from permanence.adopted_adults.tests.conftest import TODAY, make_request
from permanence.core.models import AuditEvent
from permanence.organisations.models import Role


def _create(region, actor, **kw):
    values = dict(actor=actor, raa=region.raa, request_type="access_records", first_name="Cora", last_name="Testwood",
                  date_of_birth=date(1950, 1, 2), received_on=date(2025, 8, 1), contact_method="phone")
    return services.create_request(**{**values, **kw})


def test_a_support_worker_records_a_request_and_its_receipt(region, today):
    worker = region.user(Role.RAA_SUPPORT_WORKER)
    made = _create(region, worker, worker=worker)
    assert made.reference == f"R{made.pk:06d}" and made.stage == "received" and made.received_on == date(2025, 8, 1)
    assert made.priority == "" and made.priority_rank == 1 and made.interview_due == date(2025, 11, 1)
    [event] = made.events.all()
    assert event.kind == "received" and event.details == {"type": "access_records"} and event.recorded_by == worker
    actions = set(AuditEvent.objects.filter(object_id__in=[str(made.pk), str(event.pk)]).values_list("action",
                                                                                                    flat=True))
    assert {"adult_request.created", "adult_request_event.recorded"} <= actions


@pytest.mark.parametrize("role", [Role.RAA_HEAD_OF_SERVICE, Role.RAA_FAMILY_FINDER, Role.RAA_ASSESSING_SOCIAL_WORKER])
def test_other_roles_do_not_record_a_request(region, today, role):
    with pytest.raises(ValidationError, match="support workers and team managers"):
        _create(region, region.user(role))


def test_another_raas_worker_does_not_record_for_this_raa(region, today):
    with pytest.raises(ValidationError):
        _create(region, region.user(Role.RAA_SUPPORT_WORKER, region.other_raa))
    assert not AdultRequest.objects.exists()


def test_the_request_is_checked(region, today):
    worker = region.user(Role.RAA_SUPPORT_WORKER)
    with pytest.raises(ValidationError) as refused:
        _create(region, worker, received_on=date(2025, 9, 2), date_of_birth=date(2010, 1, 1), adoption_year=1900,
                contact_method="pigeon")
    assert set(refused.value.message_dict) == {"received_on", "date_of_birth", "adoption_year", "contact_method"}
    with pytest.raises(ValidationError) as refused:
        _create(region, worker, worker=region.user(Role.RAA_FAMILY_FINDER))
    assert "worker" in refused.value.message_dict


def test_the_snapshot_follows_record_correct_and_withdraw(world):
    north, worker = world.north, world.worker
    assert (north.stage, north.priority, north.records_outstanding, north.chase_due) == (
        "waiting", "standard", 1, date(2025, 4, 3))
    services.record_event(adult=north, kind="records_received", date=date(2025, 4, 10), actor=worker,
                          details={"agency": "Northshire County Council"})
    interview = services.record_event(adult=north, kind="first_interview", date=date(2025, 5, 1), actor=worker)
    services.record_event(adult=north, kind="counselling_session", date=date(2025, 5, 8), actor=worker)
    north.refresh_from_db()
    assert (north.stage, north.records_outstanding, north.chase_due, north.first_interview_on, north.sessions,
            north.interview_due) == ("in_progress", 0, None, date(2025, 5, 1), 1, None)

    services.correct_event(event=interview, actor=worker, reason="Typed the wrong day", date=date(2025, 4, 30))
    north.refresh_from_db()
    assert north.first_interview_on == date(2025, 4, 30)
    assert AuditEvent.objects.filter(action="adult_request_event.corrected", object_id=str(interview.pk)).exists()

    with pytest.raises(ValidationError, match="would leave the journey impossible"):  # the session needs it
        services.correct_event(event=interview.__class__.objects.get(corrects=interview), actor=worker,
                               reason="Recorded in error", withdraw=True)
    session = north.events.get(kind="counselling_session")
    services.correct_event(event=session, actor=worker, reason="Recorded in error", withdraw=True)
    north.refresh_from_db()
    assert north.sessions == 0 and north.stage == "in_progress"

    services.record_event(adult=north, kind="closed", date=date(2025, 6, 1), actor=worker,
                          details={"outcome": "records_shared"})
    north.refresh_from_db()
    assert (north.stage, north.ended_on, north.outcome) == ("closed", date(2025, 6, 1), "records_shared")


def test_refusals_from_the_journey_and_the_access_rules(world):
    north, south = world.north, world.south
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.record_event(adult=north, kind="first_interview", date=date(2025, 9, 2), actor=world.worker)
    with pytest.raises(ValidationError, match="access to this request"):
        services.record_event(adult=south, kind="first_interview", date=date(2025, 5, 1), actor=world.worker)
    with pytest.raises(ValidationError, match="support workers and team managers"):
        services.record_event(adult=north, kind="first_interview", date=date(2025, 5, 1),
                              actor=world.user(Role.RAA_HEAD_OF_SERVICE))
    with pytest.raises(ValidationError, match="cannot be withdrawn"):
        services.correct_event(event=north.events.get(kind="received"), actor=world.worker, reason="Oops",
                               withdraw=True)
    services.correct_event(event=north.events.get(kind="received"), actor=world.worker, reason="It came a day "
                           "earlier", date=date(2025, 3, 2))
    north.refresh_from_db()
    assert north.received_on == date(2025, 3, 2)


def test_allocating_a_worker_is_audited(world):
    manager = world.user(Role.RAA_TEAM_MANAGER)
    services.allocate(actor=manager, request=world.north, worker=manager)
    world.north.refresh_from_db()
    assert world.north.worker == manager
    assert AuditEvent.objects.filter(action="adult_request.allocated", object_id=str(world.north.pk)).exists()
    with pytest.raises(ValidationError):
        services.allocate(actor=manager, request=world.south, worker=manager)


def test_refresh_all_snapshots_restores_drift(world):
    AdultRequest.objects.filter(pk=world.north.pk).update(stage="closed", chase_due=None)
    assert services.refresh_all_snapshots(on=TODAY) == (1, 2)
    world.north.refresh_from_db()
    assert (world.north.stage, world.north.chase_due) == ("waiting", date(2025, 4, 3))


def test_make_request_helper_records_steps_in_order(region, today):
    made = make_request(region.raa, kind="intermediary", steps=[("triaged", date(2025, 3, 4), {"priority":
                                                                                               "standard"})])
    assert made.request_type == "intermediary" and made.stage == "waiting"


def test_the_timescales_are_data_an_raa_changes(world):
    from permanence.timescales import services as timescale_services
    from permanence.timescales.models import Timescale

    rows = dict(Timescale.objects.filter(subject="adult").values_list("key", "amount"))
    assert rows == {"adult_records_chase": 20, "adult_first_interview": 3}  # the app's data migration
    timescale_services.set_timescale(actor=None, key="adult_records_chase", amount=5, unit="working_days",
                                     valid_from=date(2025, 1, 1), source="Local procedure (synthetic)")
    timescale_services.set_timescale(actor=None, key="adult_first_interview", amount=6, unit="weeks",
                                     valid_from=date(2025, 1, 1), source="Local procedure (synthetic)")
    services.refresh_all_snapshots(on=TODAY)
    world.north.refresh_from_db()
    # Requested Thursday 6 March: 5 working days on is Thursday 13 March; received 3 March + 6 weeks.
    assert (world.north.chase_due, world.north.interview_due) == (date(2025, 3, 13), date(2025, 4, 14))
