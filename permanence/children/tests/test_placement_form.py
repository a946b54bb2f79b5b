"""The placed-for-adoption form: the carers the child already lived with (foster or early permanence) and the
date it moved in with them, which A10 counts to."""

from datetime import date

import pytest
from django.urls import reverse

from permanence.children.models import JourneyEvent
from permanence.organisations.models import Role

D = date


def d(name: str, day: date) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


@pytest.fixture
def matched(client, region):
    client.force_login(region.user(Role.LA_SOCIAL_WORKER, region.la_keeps))
    return region.child(region.la_keeps, dob=D(2022, 1, 1), events=[
        ("entered_care", D(2023, 1, 10)), ("permanence_plan", D(2023, 3, 1)), ("should_be_placed", D(2023, 5, 2)),
        ("early_permanence_placement", D(2023, 5, 20), {"placement_type": "ffa"}),
        ("placement_order", D(2023, 9, 4)), ("match_decision", D(2023, 11, 1))])


def post(client, child, **fields):
    return client.post(reverse("children:record-event", args=[child.pk, "placed_for_adoption"]),
                       {**d("date", D(2023, 12, 1)), **fields}, follow=True)


def placed(child) -> dict:
    return JourneyEvent.objects.get(child=child, kind="placed_for_adoption").details


def test_the_form_says_it_covers_early_permanence_carers(client, matched):
    page = client.get(reverse("children:record-event", args=[matched.pk, "placed_for_adoption"])).content.decode()
    assert "early permanence carers" in page and "fostering for adoption or concurrent planning" in page
    # Each field shows its own hint (the event's rule is said once, above the form).
    assert "For example, 27 3 2024" in page and "The day the foster or early permanence placement" in page
    assert page.count("A child is placed for adoption after the match decision.") == 1
    # The carers' date is offered as the early permanence placement's start, 20/05/2023.
    for part, value in (("day", "20"), ("month", "5"), ("year", "2023")):
        assert f'name="moved_in_with_carers_{part}" type="text" inputmode="numeric" value="{value}"' in page, part


def test_adopted_by_the_ffa_carers_records_the_ffa_move_in(client, matched):
    post(client, matched, by_foster_carers="on", **d("moved_in_with_carers", D(2023, 5, 20)))
    assert placed(matched) == {"by_foster_carers": True, "moved_in_with_carers": "2023-05-20"}


def test_no_early_permanence_no_date_offered(client, region):
    client.force_login(region.user(Role.LA_SOCIAL_WORKER, region.la_keeps))
    child = region.child(region.la_keeps, dob=D(2022, 1, 1), events=[
        ("entered_care", D(2023, 1, 10)), ("permanence_plan", D(2023, 3, 1)), ("should_be_placed", D(2023, 5, 2)),
        ("placement_order", D(2023, 9, 4)), ("match_decision", D(2023, 11, 1))])
    page = client.get(reverse("children:record-event", args=[child.pk, "placed_for_adoption"])).content.decode()
    assert 'name="moved_in_with_carers_day" type="text" inputmode="numeric">' in page


def test_ticked_without_a_date_is_refused_with_a_message(client, matched):
    response = post(client, matched, by_foster_carers="on")
    assert "Enter the date the child moved in with these carers" in response.content.decode()
    assert not JourneyEvent.objects.filter(child=matched, kind="placed_for_adoption").exists()


def test_a_date_without_the_box_ticked_is_not_kept(client, matched):
    """Adopted by other adopters: the date alone would make the export say 'the same carers'."""
    post(client, matched, **d("moved_in_with_carers", D(2023, 5, 20)))
    assert placed(matched) == {}
