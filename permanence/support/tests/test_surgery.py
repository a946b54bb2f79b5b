"""Support cases on the performance surgery: a team manager of the RAA runs a surgery on the waiting list."""

from datetime import date

from django.urls import reverse

from permanence.organisations import services as org_services

from .conftest import TO_WAITING, make_case


def test_surgery_lists_the_teams_waiting_cases_longest_first(client, region, today):
    team = org_services.create_team(actor=None, organisation=region.raa, name="Adoption support")
    worker = region.user("raa_support_worker")
    worker.team = team
    worker.save()
    allocated = [("allocated", date(2025, 6, 20), {"worker": str(worker.pk)})]
    newer = make_case(region, referred_on=date(2025, 7, 1), family_name="Newer family", steps=[
        ("duty_outcome", date(2025, 7, 2), {"outcome": "for_assessment"}),
        ("assessment_requested", date(2025, 7, 3)), ("allocated", date(2025, 7, 4), {"worker": str(worker.pk)})])
    older = make_case(region, family_name="Older family", steps=[*TO_WAITING, *allocated])
    unallocated = make_case(region, family_name="Nobody's family", steps=TO_WAITING)
    other = make_case(region, region.other_raa, family_name="Southern family", steps=TO_WAITING)

    client.force_login(region.user("raa_team_manager"))
    page = client.get(reverse("performance:surgery"), {"scope": f"team-{team.pk}"}).content.decode()
    assert 'id="support-waiting"' in page
    assert page.index(older.reference) < page.index(newer.reference)
    assert unallocated.reference not in page and other.reference not in page
    page = client.get(reverse("performance:surgery"), {"scope": "unallocated"}).content.decode()
    assert unallocated.reference in page and older.reference not in page and other.reference not in page
    # Another RAA's manager, and a family finder of this one, see none of it.
    client.force_login(region.user("raa_team_manager", region.other_raa))
    page = client.get(reverse("performance:surgery"), {"scope": "unallocated"}).content.decode()
    assert other.reference in page and unallocated.reference not in page
    client.force_login(region.user("raa_family_finder"))
    page = client.get(reverse("performance:surgery")).content.decode()
    assert 'id="support-waiting"' not in page
