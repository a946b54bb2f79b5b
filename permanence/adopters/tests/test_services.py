"""The adopters' journey through the services, and the recruitment measures on a hand-built cohort."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from permanence.adopters import services
from permanence.adopters.models import Enquiry, EnquirySource, Household, HouseholdEvent
from permanence.core.models import AuditEvent
from permanence.organisations.models import Role
from permanence.performance.adopter_measures import adopter_measures


def applicant(first="Ada", last="Testperson"):
    return {"first_name": first, "last_name": last, "date_of_birth": date(1985, 5, 1), "ethnicity": "WBRI"}


def household(region, roi=date(2025, 1, 6), **kw):
    return services.register_interest(actor=None, raa=region.raa, name=kw.pop("name", "Testperson"),
                                      applicants=[applicant()], roi_date=roi, **kw)


def walk(h, actor, steps):
    for kind, day, *details in steps:
        services.record_event(household=h, kind=kind, date=day, actor=actor, details=details[0] if details else None,
                              check_role=False)
    h.refresh_from_db()
    return h


TO_STAGE_2 = [("roi_decision", date(2025, 1, 10), {"outcome": "accepted"}),
              ("stage_1_started", date(2025, 1, 13)),
              ("stage_1_completed", date(2025, 3, 10)),
              ("stage_2_started", date(2025, 3, 17))]
TO_APPROVAL = [*TO_STAGE_2, ("par_completed", date(2025, 6, 2)),
               ("panel_recommendation", date(2025, 6, 20), {"recommendation": "approve"}),
               ("adm_decision", date(2025, 6, 27), {"decision": "approved"})]


def test_registration_creates_household_event_and_audit(region):
    source = EnquirySource.objects.get(code="website")
    enquiry = services.record_enquiry(actor=None, raa=region.raa, received_on=date(2025, 1, 2), source=source,
                                      first_name="Ada", last_name="Testperson")
    h = household(region, enquiry=enquiry)
    enquiry.refresh_from_db()
    assert enquiry.outcome == Enquiry.Outcome.ROI_RECEIVED and enquiry.household == h
    assert h.stage == "roi" and h.roi_date == date(2025, 1, 6)
    assert h.next_due_label.startswith("Decide on the registration")
    assert AuditEvent.objects.filter(action="household.created").exists()


def test_couples_need_two_applicants(region):
    with pytest.raises(ValidationError, match="both applicants"):
        household(region, relationship=Household.Relationship.MARRIED)


def test_roles_are_checked(region):
    h = household(region)
    with pytest.raises(ValidationError, match="Your role cannot record"):
        services.record_event(household=h, kind="roi_decision", date=date(2025, 1, 8),
                              actor=region.user(Role.RAA_FAMILY_FINDER), details={"outcome": "accepted"})
    with pytest.raises(ValidationError, match="do not have access"):
        services.record_event(household=h, kind="roi_decision", date=date(2025, 1, 8),
                              actor=region.user(Role.RAA_ASSESSING_SOCIAL_WORKER, region.other_raa),
                              details={"outcome": "accepted"})
    services.record_event(household=h, kind="roi_decision", date=date(2025, 1, 8),
                          actor=region.user(Role.RAA_ASSESSING_SOCIAL_WORKER), details={"outcome": "accepted"})


def test_refused_event_leaves_nothing(region):
    h = household(region)
    before = (HouseholdEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError):
        services.record_event(household=h, kind="adm_decision", date=date(2025, 2, 1), actor=None,
                              details={"decision": "approved"}, check_role=False)
    assert (HouseholdEvent.objects.count(), AuditEvent.objects.count()) == before


def test_target_panel_date_moves_only_with_a_reason(region):
    h = walk(household(region), None, TO_STAGE_2[:2])
    services.set_target_panel_date(actor=None, household=h, target=date(2025, 7, 17))
    with pytest.raises(ValidationError):
        services.set_target_panel_date(actor=None, household=h, target=date(2025, 8, 21))
    services.set_target_panel_date(actor=None, household=h, target=date(2025, 8, 21), reason="Medical delayed")
    entry = AuditEvent.objects.filter(action="household.target_panel_date").first()
    assert entry.reason == "Medical delayed" and entry.before == {"target_panel_date": "2025-07-17"}


def test_a_full_panel_names_the_next_panel_with_room(region):
    a = walk(household(region, name="A"), None, TO_STAGE_2)
    b = walk(household(region, name="B"), None, TO_STAGE_2)
    full = services.create_panel(actor=None, raa=region.raa, date=date(2025, 6, 20), capacity=1)
    services.create_panel(actor=None, raa=region.raa, date=date(2025, 7, 18), capacity=2)
    services.book_item(actor=None, panel=full, household=a)
    with pytest.raises(ValidationError, match="next panel with room is on 18/07/2025"):
        services.book_item(actor=None, panel=full, household=b)


def test_panel_recommendation_and_decision_approve_the_household(region):
    h = walk(household(region), None, [*TO_STAGE_2, ("par_completed", date(2025, 6, 2))])
    panel = services.create_panel(actor=None, raa=region.raa, date=date(2025, 6, 20))
    item = services.book_item(actor=None, panel=panel, household=h)
    services.record_recommendation(actor=None, item=item, recommendation="approve", minutes="Unanimous")
    with pytest.raises(ValidationError, match="Only the agency decision maker"):
        services.record_decision(actor=region.user(Role.PANEL_ADVISER), item=item, decision="approved",
                                 on=date(2025, 6, 27))
    services.record_decision(actor=region.user(Role.AGENCY_DECISION_MAKER), item=item, decision="approved",
                             on=date(2025, 6, 27))
    h.refresh_from_db()
    assert h.stage == "approved" and h.approved_on == date(2025, 6, 27)


def test_measures_on_a_hand_built_cohort(region):
    web = EnquirySource.objects.get(code="website")
    event = EnquirySource.objects.get(code="information_event")
    e1 = services.record_enquiry(actor=None, raa=region.raa, received_on=date(2025, 1, 2), source=web,
                                 first_name="A", last_name="One")
    services.record_enquiry(actor=None, raa=region.raa, received_on=date(2025, 1, 3), source=web,
                            first_name="B", last_name="Two")
    services.record_enquiry(actor=None, raa=region.raa, received_on=date(2025, 1, 4), source=event,
                            first_name="C", last_name="Three")
    # Approved 172 days after registration (6 Jan -> 27 Jun 2025): within 6 months.
    approved = walk(household(region, enquiry=e1, name="Approved"), None, TO_APPROVAL)
    # Registered 6 Jan, withdrew in stage 1.
    walk(household(region, name="Withdrew"), None,
         [*TO_STAGE_2[:2], ("closed", date(2025, 2, 3), {"reason": "withdrew"})])
    # Another RAA's household never counts.
    services.register_interest(actor=None, raa=region.other_raa, name="Elsewhere", applicants=[applicant()],
                               roi_date=date(2025, 1, 6))
    m = adopter_measures(Household.objects.filter(raa=region.raa), Enquiry.objects.filter(raa=region.raa),
                         date(2025, 1, 1), date(2025, 12, 31))
    assert m["enquiries"].value == 3
    assert m["registrations"].value == 2
    assert m["approvals"].value == 1 and m["approvals"].household_ids == (approved.pk,)
    assert m["roi_to_approval_days"].value == 172 and m["roi_to_approval_days"].n == 1
    assert m["approved_within_6_months"].value == 100.0
    assert m["stage_1_days"].value == 56  # 13 Jan -> 10 Mar 2025
    assert m["stage_2_days"].value == 102  # 17 Mar -> 27 Jun 2025
    assert m["approved_waiting"].value == 1
    assert m["waiting_over_3_months"].value == 1  # approved 27 Jun, still waiting on 31 Dec
    assert m["withdrawals"].value == 1 and m.withdrawals == {("stage_1", "withdrew"): 1}
    web_row = next(r for r in m.by_source if r.source == "Website")
    assert (web_row.enquiries, web_row.rois, web_row.approved) == (2, 1, 1) and web_row.roi_rate == 50.0
    # As at the end of June the approved household had waited under 3 months.
    june = adopter_measures(Household.objects.filter(raa=region.raa), Enquiry.objects.filter(raa=region.raa),
                            date(2025, 1, 1), date(2025, 6, 30))
    assert june["approved_waiting"].value == 1 and june["waiting_over_3_months"].value == 0
