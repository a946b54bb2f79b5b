"""The placement kinds through the services and the pages: the early permanence household (offered from the RAA's
households approved for it, refused with a clear message otherwise), its end and its conversion, the adoption
placement report, plan and reviews (due on the child's page, and overdue), and a disruption's cause and the
learning review prompt."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from permanence.adopters import services as household_services
from permanence.adopters.models import Household
from permanence.children import services
from permanence.children.models import JourneyEvent
from permanence.organisations.models import Role

D = date
TODAY = D(2024, 3, 20)
APPROVAL = [
    ("roi_decision", D(2023, 1, 10), {"outcome": "accepted"}),
    ("stage_1_started", D(2023, 1, 13)),
    ("stage_1_completed", D(2023, 3, 10)),
    ("stage_2_started", D(2023, 3, 17)),
    ("par_completed", D(2023, 6, 2)),
    ("panel_recommendation", D(2023, 6, 20), {"recommendation": "approve"}),
    ("adm_decision", D(2023, 6, 27), {"decision": "approved"}),
]
TO_PO = [("entered_care", D(2023, 1, 10)), ("permanence_plan", D(2023, 3, 1)), ("should_be_placed", D(2023, 5, 2))]


def household(raa, name, *, approved=True, **capacity):
    h = household_services.register_interest(
        actor=None, raa=raa, name=name, roi_date=D(2023, 1, 6),
        applicants=[{"first_name": "Sam", "last_name": name, "date_of_birth": D(1986, 4, 2)}])
    for kind, day, *details in APPROVAL if approved else APPROVAL[:4]:
        household_services.record_event(household=h, kind=kind, date=day, actor=None, check_role=False,
                                        details=details[0] if details else None)
    if capacity:
        household_services.set_capacity(actor=None, household=h, **capacity)
    # Early permanence carers are approved as foster carers too (the household's record says so).
    Household.objects.filter(pk=h.pk).update(approved_foster_carers=capacity.get("early_permanence", False))
    h.refresh_from_db()
    return h


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def homes(region):
    """North RAA's households: one approved for early permanence, one approved without it, one not yet approved
    (though willing), one approved with no capacity profile; and South RAA's approved for it."""
    region.ep = household(region.raa, "Achebe", early_permanence=True)
    region.no_ep = household(region.raa, "Brontë", early_permanence=False)
    region.assessing = household(region.raa, "Calder", approved=False, early_permanence=True)
    region.no_profile = household(region.raa, "Dunmore")
    region.south = household(region.other_raa, "Elgar", early_permanence=True)
    return region


@pytest.fixture
def sw(region):
    return region.user(Role.LA_SOCIAL_WORKER, region.la_keeps)


def ep(child, actor, **details):
    return services.record_event(child=child, kind="early_permanence_placement", date=D(2023, 5, 20), actor=actor,
                                 details={"placement_type": "ffa", "carer": "other", **details},
                                 check_role=actor is not None)


# ---------------------------------------------------------------------------------------------
# The early permanence household through the service


def test_a_household_approved_for_early_permanence_is_named(region, homes, sw, today):
    child = region.child(region.la_keeps, events=TO_PO)
    event = ep(child, sw, household=str(homes.ep.pk))
    assert event.details["household"] == str(homes.ep.pk)


@pytest.mark.parametrize(("which", "message"), [
    ("no_ep", "Household H{pk:06d} is not approved for early permanence: early permanence carers are approved as "
              "both foster carers and adopters, and this household is not approved as foster carers."),
    ("no_profile", "Household H{pk:06d} is not approved for early permanence"),
    ("assessing", "Household H{pk:06d} is not approved as adopters (its stage is “stage 2”)."),
    ("south", "Household H{pk:06d} is not one of North RAA's households."),
])
def test_a_household_not_approved_for_it_is_refused_with_a_clear_message(region, homes, sw, today, which, message):
    child = region.child(region.la_keeps, events=TO_PO)
    pk = getattr(homes, which).pk
    with pytest.raises(ValidationError) as refused:
        ep(child, sw, household=pk)
    assert refused.value.message_dict["household"][0].startswith(message.format(pk=pk))
    assert not JourneyEvent.objects.filter(child=child, kind="early_permanence_placement").exists()


def test_a_person_must_name_the_household_an_import_need_not(region, homes, sw, today):
    child = region.child(region.la_keeps, events=TO_PO)
    with pytest.raises(ValidationError) as refused:
        ep(child, sw)
    assert refused.value.message_dict == {"household": ["Select the household the child is placed with"]}
    ep(child, None)  # the system (an SSDA903 import says U2/U5, never the household)
    assert JourneyEvent.objects.filter(child=child, kind="early_permanence_placement").count() == 1


def test_a_role_that_cannot_record_it_hears_that_first(region, homes, today):
    child = region.child(region.la_keeps, events=TO_PO)
    with pytest.raises(ValidationError) as refused:
        ep(child, region.user(Role.DATA_OFFICER, region.la_keeps))
    assert refused.value.messages == ["Your role cannot record “early permanence placement”."]


# ---------------------------------------------------------------------------------------------
# The pages


def form(client, child, kind):
    return client.get(reverse("children:record-event", args=[child.pk, kind])).content.decode()


def post(client, child, kind, day, **fields):
    data = {"date_day": str(day.day), "date_month": str(day.month), "date_year": str(day.year), **fields}
    return client.post(reverse("children:record-event", args=[child.pk, kind]), data, follow=True).content.decode()


def page(client, child):
    return client.get(reverse("children:detail", args=[child.pk])).content.decode()


def test_the_form_offers_only_the_raas_households_approved_for_it(client, region, homes, sw, today):
    child = region.child(region.la_keeps, events=TO_PO)
    client.force_login(sw)
    la_view = form(client, child, "early_permanence_placement")
    offered = re.findall(r'name="household" type="radio" value="(\d+)"', la_view)
    assert offered == [str(homes.ep.pk)]  # not Brontë (no early permanence), Calder, Dunmore, nor South's Elgar
    assert f">{homes.ep.reference}, approved 27 June 2023</label>" in la_view
    assert "Achebe" not in la_view  # the child's LA sees households by reference only
    client.force_login(region.user(Role.RAA_FAMILY_FINDER))
    raa_view = form(client, child, "early_permanence_placement")
    assert f"Achebe ({homes.ep.reference}), approved 27 June 2023" in raa_view


def test_no_household_approved_for_it_says_so(client, region, sw, today):
    child = region.child(region.la_keeps, events=TO_PO)
    client.force_login(sw)
    assert "No household of North RAA is approved for early permanence yet" in form(
        client, child, "early_permanence_placement")


def test_recording_the_placement_its_end_and_the_page(client, region, homes, sw, today):
    child = region.child(region.la_keeps, events=TO_PO)
    client.force_login(sw)
    post(client, child, "early_permanence_placement", D(2023, 5, 20), placement_type="concurrent", carer="other",
         household=str(homes.ep.pk))
    shown = page(client, child)
    assert "Concurrent planning, from 20 May 2023" in shown
    assert f'id="ep-household">{homes.ep.reference}<' in shown and 'id="ep-status">In force<' in shown
    assert f"Household: {homes.ep.reference}" in shown  # the timeline
    refused = post(client, child, "early_permanence_ended", D(2023, 8, 1))
    assert "Select why the early permanence placement ended" in refused
    post(client, child, "early_permanence_ended", D(2023, 8, 1), end_reason="broke_down")
    shown = page(client, child)
    assert 'id="ep-status">Ended on 1 August 2023: the placement broke down<' in shown
    assert "Early permanence: ended" in shown and "Why it ended: The placement broke down" in shown
    # RAA staff see the household by name, with a link to it.
    client.force_login(region.user(Role.RAA_FAMILY_FINDER))
    assert f'<a class="govuk-link" href="/adopters/households/{homes.ep.pk}/">Achebe ({homes.ep.reference})</a>' \
        in page(client, child)


def test_a_household_not_offered_is_refused_on_the_page_with_the_services_message(client, region, homes, sw, today):
    child = region.child(region.la_keeps, events=TO_PO)
    client.force_login(sw)
    refused = post(client, child, "early_permanence_placement", D(2023, 5, 20), placement_type="ffa",
                   carer="other", household=str(homes.no_ep.pk))
    assert f"Household {homes.no_ep.reference} is not approved for early permanence" in refused
    assert not JourneyEvent.objects.filter(child=child, kind="early_permanence_placement").exists()


def test_the_move_in_with_the_carers_converts_it(client, region, homes, sw, today):
    child = region.child(region.la_keeps, events=[
        *TO_PO, ("early_permanence_placement", D(2023, 5, 20), {"placement_type": "ffa", "household": homes.ep.pk}),
        ("placement_order", D(2023, 9, 4)), ("match_decision", D(2023, 11, 1))])
    client.force_login(sw)
    post(client, child, "placed_for_adoption", D(2023, 12, 1), by_foster_carers="on", moved_in_with_carers_day="20",
         moved_in_with_carers_month="5", moved_in_with_carers_year="2023")
    shown = page(client, child)
    assert 'id="ep-status">Converted into the adoptive placement on 1 December 2023<' in shown
    assert "Early permanence: converted" in shown
    # A10 still counts to the move-in with the carers.
    assert services.derive(services.event_facts(child), [], None, []).state.moved_in_with_carers == D(2023, 5, 20)


def test_report_plan_and_reviews_through_the_pages_with_their_due_dates(client, region, sw, today):
    child = region.child(region.la_keeps, events=[*TO_PO, ("placement_order", D(2023, 9, 4)),
                                                  ("linked", D(2023, 10, 2))])
    client.force_login(sw)
    post(client, child, "adoption_placement_report", D(2023, 10, 20))
    post(client, child, "match_decision", D(2023, 11, 1))
    post(client, child, "placement_plan", D(2023, 11, 20))
    post(client, child, "placed_for_adoption", D(2023, 12, 1))
    shown = page(client, child)
    assert 'id="apr-date">20 October 2023<' in shown and 'id="placement-plan-date">20 November 2023<' in shown
    assert 'id="placement-reviews">None yet<' in shown
    # 4 weeks after 1 December 2023: 29 December 2023; on 20 March 2024 that is 82 days ago.
    assert "Hold the first adoption placement review" in shown and "29 December 2023" in shown
    assert "Overdue by 82 days" in shown
    child.refresh_from_db()
    assert (child.next_due_label, child.next_due_date) == ("Hold the first adoption placement review",
                                                           D(2023, 12, 29))
    post(client, child, "placement_review", D(2024, 1, 3))
    shown = page(client, child)
    # The second: 3 months after the first review, 3 April 2024 (14 days left on 20 March 2024).
    assert "Hold the first adoption placement review" not in shown
    assert "Hold the second adoption placement review" in shown and "3 April 2024" in shown
    assert "14 days left" in shown and 'id="placement-reviews">3 January 2024<' in shown
    post(client, child, "placement_review", D(2024, 3, 18))
    shown = page(client, child)
    # Then 6 months after the latest: 18 September 2024.
    assert "Hold the next adoption placement review" in shown and "18 September 2024" in shown
    assert "3 January 2024<br>18 March 2024" in shown
    assert JourneyEvent.objects.filter(child=child, kind="placement_review").count() == 2


def test_a_disruption_needs_its_cause_and_prompts_a_learning_review(client, region, sw, today):
    child = region.child(region.la_keeps, events=[*TO_PO, ("placement_order", D(2023, 9, 4)),
                                                  ("match_decision", D(2023, 11, 1)),
                                                  ("placed_for_adoption", D(2023, 12, 1))])
    client.force_login(sw)
    shown = form(client, child, "disruption")
    assert shown.index("Why did the placement disrupt?") < shown.index("What happened")
    assert "Not recorded (imported" not in shown  # nobody chooses "not recorded"
    refused = post(client, child, "disruption", D(2024, 2, 1), reason="The adopters separated.")
    assert "Select why the placement disrupted" in refused
    assert "Open a learning review of this disruption" not in page(client, child)
    post(client, child, "disruption", D(2024, 2, 1), reason="The adopters separated.",
         cause="adopters_circumstances")
    event = JourneyEvent.objects.get(child=child, kind="disruption")
    assert event.details == {"reason": "The adopters separated.", "cause": "adopters_circumstances"}
    shown = page(client, child)
    assert 'id="learning-review"' in shown and "Open a learning review of this disruption" in shown
    assert ("The adoptive placement disrupted on 1 February 2024. Cause: The adopters' circumstances changed "
            "(health, relationship, family). The adopters separated.") in shown.replace("&#x27;", "'")
    assert "Hold the first adoption placement review" not in shown  # no placement, no review due


def test_an_imported_disruption_prompts_too_and_a_person_can_add_its_cause(client, region, sw, today):
    child = region.child(region.la_keeps, events=[
        *TO_PO, ("placement_order", D(2023, 9, 4)), ("match_decision", D(2023, 11, 1)),
        ("placed_for_adoption", D(2023, 12, 1)),
        ("disruption", D(2024, 2, 1), {"reason": "The adoptive placement ended before an adoption order."})])
    client.force_login(sw)
    assert "Cause: Not recorded (imported, or recorded before the cause was asked)." in page(client, child)
    event = JourneyEvent.objects.get(child=child, kind="disruption")
    client.post(reverse("children:correct-event", args=[child.pk, event.pk]),
                {"action": "correct", "reason": "The cause, from the review", "cause": "child_needs"})
    replacement = JourneyEvent.objects.get(child=child, kind="disruption", superseded=False)
    assert replacement.details["cause"] == "child_needs"
    assert "Cause: The child&#x27;s needs were more than the adopters could meet." in page(client, child)


def test_a_correction_can_name_the_household_of_an_imported_placement(client, region, homes, sw, today):
    child = region.child(region.la_keeps, events=[
        *TO_PO, ("early_permanence_placement", D(2023, 5, 20), {"placement_type": "not_recorded", "carer": "other"})])
    client.force_login(sw)
    event = JourneyEvent.objects.get(child=child, kind="early_permanence_placement")
    url = reverse("children:correct-event", args=[child.pk, event.pk])
    assert re.findall(r'name="household" type="radio" value="(\d+)"', client.get(url).content.decode()) == [
        str(homes.ep.pk)]
    kept = {"action": "correct", "reason": "Named", "placement_type": "not_recorded", "carer": "other"}
    refused = client.post(url, {**kept, "household": str(homes.no_ep.pk)}).content
    assert f"Household {homes.no_ep.reference} is not approved for early permanence" in refused.decode()
    client.post(url, {**kept, "household": str(homes.ep.pk)})
    replacement = JourneyEvent.objects.get(child=child, kind="early_permanence_placement", superseded=False)
    assert replacement.details["household"] == str(homes.ep.pk)
