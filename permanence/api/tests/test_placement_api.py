"""The placement details through the API's child events: the early permanence household (checked as on the page)
and a disruption's cause (a person must give one)."""

from datetime import date

from django.urls import reverse

from permanence.api.tests.conftest import token_client
from permanence.children.models import JourneyEvent
from permanence.children.tests.test_placement_pages import TO_PO, household
from permanence.organisations.models import Role

D = date


def test_the_household_and_the_cause_through_the_api(region):
    child = region.child(region.la_keeps, events=[*TO_PO, ("placement_order", D(2023, 9, 4))])
    willing = household(region.raa, "Achebe", early_permanence=True)
    unwilling = household(region.raa, "Brontë", early_permanence=False)
    api = token_client(region.staff[("902", Role.LA_SOCIAL_WORKER)])
    url = reverse("api:child-event-list", args=[child.pk])
    ep = {"kind": "early_permanence_placement", "date": "2023-10-01",
          "details": {"placement_type": "ffa", "carer": "other"}}
    missing = api.post(url, ep, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0] == {"field": "household", "code": "invalid",
                                           "message": "Select the household the child is placed with"}
    refused = api.post(url, {**ep, "details": {**ep["details"], "household": unwilling.pk}}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"].startswith(
        f"Household {unwilling.reference} is not approved for early permanence")
    made = api.post(url, {**ep, "details": {**ep["details"], "household": willing.pk}}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["details"]["household"] == willing.pk
    for kind, day in (("match_decision", "2023-11-01"), ("placed_for_adoption", "2023-12-01")):
        assert api.post(url, {"kind": kind, "date": day}, format="json").status_code == 201
    disruption = {"kind": "disruption", "date": "2024-01-10", "details": {"reason": "It ended."}}
    no_cause = api.post(url, disruption, format="json")
    assert no_cause.status_code == 400 and no_cause.json()["errors"][0]["field"] == "cause"
    made = api.post(url, {**disruption, "details": {"reason": "It ended.", "cause": "relationship"}}, format="json")
    assert made.status_code == 201, made.json()
    assert JourneyEvent.objects.get(child=child, kind="disruption").details["cause"] == "relationship"
