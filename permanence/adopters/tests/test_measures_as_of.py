"""Adopter measures read each household as it stood at the period end: what happened later changes nothing."""

from datetime import date

from permanence.adopters.models import Enquiry, Household
from permanence.adopters.tests.conftest import TO_PANEL, make_household
from permanence.performance import adopter_measures as measures

D = date
APPROVED = [*TO_PANEL, ("panel_recommendation", D(2025, 6, 20), {"recommendation": "approve"}),
            ("adm_decision", D(2025, 6, 27), {"decision": "approved"})]


def figures(region, start, end):
    return measures.adopter_measures(Household.objects.filter(raa=region.raa), Enquiry.objects.filter(raa=region.raa),
                                     start, end)


def test_a_match_that_ended_after_the_period_still_counts_in_it(region):
    h = make_household(region.raa, "Matchedthen", events=[
        *APPROVED, ("matched", D(2025, 8, 1)), ("match_ended", D(2025, 11, 1), {"reason": "link ended"})])
    summer = figures(region, D(2025, 7, 1), D(2025, 9, 30))
    assert summer["matched"].household_ids == (h.pk,) and summer["approved_waiting"].value == 0
    autumn = figures(region, D(2025, 10, 1), D(2025, 12, 31))
    assert autumn["matched"].value == 0 and autumn["approved_waiting"].household_ids == (h.pk,)


def test_a_household_approved_after_the_period_was_in_assessment_at_its_end(region):
    h = make_household(region.raa, "Laterapproved", events=APPROVED)
    spring = figures(region, D(2025, 4, 1), D(2025, 6, 1))
    assert spring["in_assessment"].household_ids == (h.pk,) and spring["approvals"].value == 0
    summer = figures(region, D(2025, 4, 1), D(2025, 6, 30))
    assert summer["in_assessment"].value == 0 and summer["approvals"].household_ids == (h.pk,)


def test_the_months_in_the_adopter_measures_are_configuration(region):
    from permanence.performance import services as performance_services

    h = make_household(region.raa, "Slowerapproval", roi=D(2025, 1, 6), events=APPROVED)  # approved 27/06/2025
    summer = figures(region, D(2025, 4, 1), D(2025, 6, 30))
    assert summer["approved_within_6_months"].household_ids == (h.pk,)  # 6 months after 06/01 is 06/07
    performance_services.add_threshold(actor=None, key="ADOPTER_APPROVAL_MONTHS", value=5, unit="months",
                                       valid_from=D(2025, 4, 1), source="A stricter local definition")
    summer = figures(region, D(2025, 4, 1), D(2025, 6, 30))
    assert summer["approved_within_6_months"].value == 0
    assert summer["approved_within_6_months"].label == "Approved within 5 months of registration"

