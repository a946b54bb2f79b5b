"""The services: a plan needs the adoption order, exchanges are scheduled from the arrangement, each step is
validated and audited, a review sets the next due date, offers and sessions."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from permanence.contact import selectors, services
from permanence.contact.models import ContactPlan, LetterboxExchange
from permanence.core.models import AuditEvent

from .conftest import TODAY


def test_a_plan_needs_the_adoption_order_and_takes_its_date(region, today):
    child = region.child(events=[("entered_care", date(2024, 1, 10))])
    with pytest.raises(ValidationError, match="after the adoption order"):
        services.create_plan(actor=None, child=child, check_role=False)


def test_the_plan_is_due_for_review_a_year_after_the_order(world):
    assert world.plan.adoption_order_date == date(2025, 6, 30)
    assert world.plan.next_review_due == date(2026, 6, 30)
    with pytest.raises(ValidationError, match="already has a contact plan"):
        services.create_plan(actor=None, child=world.north, check_role=False)


def test_exchanges_are_scheduled_both_ways_once(world):
    assert sorted(world.arrangement.exchanges.values_list("direction", "due_on")) == [
        ("from_adopters", date(2026, 1, 1)), ("from_birth_family", date(2026, 1, 1))]
    new = services.schedule_exchanges(world.arrangement, date(2026, 12, 31))
    assert sorted(x.due_on for x in new) == [date(2026, 7, 1)] * 2
    assert services.schedule_exchanges(world.arrangement, date(2026, 12, 31)) == []


def test_steps_through_to_forwarded_are_audited(world):
    manager = world.user("raa_team_manager")
    x = world.exchange
    for step, on in [("received", date(2026, 3, 2)), ("read", date(2026, 3, 3)), ("forwarded", date(2026, 3, 4))]:
        x = services.record_step(actor=manager, exchange=x, step=step, on=on)
    assert (x.received_on, x.read_on, x.forwarded_on) == (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4))
    actions = list(AuditEvent.objects.filter(object_type="contact.letterboxexchange", object_id=str(x.pk))
                   .order_by("id").values_list("action", "actor", "child_id"))
    assert actions == [(f"contact.letterbox_{s}", manager.pk, world.north.pk) for s in ("received", "read",
                                                                                         "forwarded")]


def test_a_step_out_of_order_or_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as e:
        services.record_step(actor=None, exchange=world.exchange, step="forwarded", on=TODAY, check_role=False)
    assert e.value.message_dict == {"on": ["Record that the exchange was received first"]}
    with pytest.raises(ValidationError):
        services.record_step(actor=None, exchange=world.exchange, step="received", on=date(2026, 3, 17),
                             check_role=False)
    services.record_step(actor=None, exchange=world.exchange, step="received", on=TODAY, check_role=False)
    services.record_step(actor=None, exchange=world.exchange, step="read", on=TODAY, check_role=False)
    with pytest.raises(ValidationError) as e:
        services.record_step(actor=None, exchange=world.exchange, step="redacted", on=TODAY, check_role=False)
    assert e.value.message_dict == {"reason": ["Enter the reason for the redaction"]}
    x = services.record_step(actor=None, exchange=world.exchange, step="redacted", on=TODAY, reason="An address",
                             check_role=False)
    assert x.redaction_reason == "An address"


def test_only_support_workers_and_team_managers_record(world):
    for role in ("raa_head_of_service", "raa_family_finder"):
        with pytest.raises(PermissionDenied):
            services.record_step(actor=world.user(role), exchange=world.exchange, step="received", on=TODAY)
    services.record_step(actor=world.user("raa_support_worker"), exchange=world.exchange, step="received", on=TODAY)


def test_a_review_sets_the_next_due_date_two_years_on(world):
    services.record_review(actor=None, plan=world.plan, held_on=date(2026, 2, 27), outcome="continue",
                           check_role=False)
    plan = ContactPlan.objects.get(pk=world.plan.pk)
    assert (plan.last_reviewed_on, plan.next_review_due) == (date(2026, 2, 27), date(2028, 2, 27))
    with pytest.raises(ValidationError, match="what changed"):
        services.record_review(actor=None, plan=plan, held_on=TODAY, outcome="changed", check_role=False)


def test_overdue_exchanges_across_the_raa(world):
    t = selectors.contact_timescales(TODAY)
    assert (t.arrival_grace_days, t.forward_working_days) == (14, 10)  # from the data migration's rows
    both = LetterboxExchange.objects.filter(arrangement__plan__child=world.north)
    rows = selectors.overdue_exchanges(both, TODAY, t)
    assert [r.status for r in rows] == ["overdue_to_arrive"] * 2  # due 1 January, grace to 15 January
    services.record_step(actor=None, exchange=world.exchange, step="received", on=date(2026, 3, 1),
                         check_role=False)  # a Sunday: ten working days to Friday 13 March
    rows = selectors.overdue_exchanges(both, TODAY, t, "forward")
    assert [(r.exchange.pk, r.status, r.forward_by) for r in rows] == [
        (world.exchange.pk, "overdue_to_forward", date(2026, 3, 13))]


def test_offers_responses_and_sessions(world):
    offer = services.record_offer(actor=None, child=world.north, relative_name="Dai Testcase",
                                  relationship="birth_father", offered_on=date(2026, 3, 1), offered_by="Kit",
                                  check_role=False)
    with pytest.raises(ValidationError, match="accepted"):
        services.record_session(actor=None, offer=offer, held_on=TODAY, check_role=False)
    with pytest.raises(ValidationError, match="Enter the date the relative responded"):
        services.record_response(actor=None, offer=offer, response="accepted", response_on=None, check_role=False)
    services.record_response(actor=None, offer=offer, response="accepted", response_on=date(2026, 3, 2),
                             check_role=False)
    services.record_session(actor=None, offer=offer, held_on=date(2026, 3, 9), check_role=False)
    assert list(offer.sessions.values_list("held_on", flat=True)) == [date(2026, 3, 9)]


def test_to_offer_lists_children_whose_birth_parents_have_no_offer(world):
    t = selectors.contact_timescales(TODAY)
    waiting = world.child(events=[("entered_care", date(2025, 1, 6)), ("permanence_plan", date(2026, 2, 2))],
                          first_name="Wyn")
    world.child(events=[("entered_care", date(2025, 1, 6))], first_name="Notyet")  # adoption is not the plan
    rows = selectors.to_offer(world.north.la.children.all(), TODAY, t)
    assert [(r.child.pk, r.plan_date, r.days, r.late) for r in rows] == [(waiting.pk, date(2026, 2, 2), 42, True)]


def test_the_schedule_command_keeps_letterbox_a_year_ahead(world):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("schedule_letterbox", stdout=out)
    # North and South: 1 July 2026 and 1 January 2027, both ways.
    assert out.getvalue().strip() == "Scheduled 8 letterbox exchanges up to 2027-03-16."
    assert sorted(set(world.arrangement.exchanges.values_list("due_on", flat=True))) == [
        date(2026, 1, 1), date(2026, 7, 1), date(2027, 1, 1)]
