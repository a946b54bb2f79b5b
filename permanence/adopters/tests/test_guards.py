"""Allowed but probably wrong (issue 14, item 8): a panel after the date the decision is due, a target panel date
in the past or after that date, a match booked after the child's match is due. The first submission shows the
reason as a warning and saves nothing; the second, with "Yes, I understand" ticked, saves; input that is fine
saves at once."""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse

from permanence.adopters import guards, services
from permanence.adopters.tests.conftest import TO_STAGE_2, make_household
from permanence.adopters.tests.match_world import PANEL_DATE
from permanence.adopters.tests.test_pages import d
from permanence.organisations.models import Role
from permanence.testing import confirmed, current_version

# TO_STAGE_2: the adopters' notice to proceed on 17 March 2025, so the decision is due 4 months later.
DECISION_DUE = date(2025, 7, 17)


def _box(body: str) -> str | None:
    match = re.search(r'name="confirmed" type="checkbox" value="(\w+)"', body)
    return match.group(1) if match else None


def test_the_decision_due_date_is_the_stage_2_timescale(region, today):
    household = make_household(region.raa, "Duedate", events=TO_STAGE_2)
    assert guards.decision_due(household, today) == DECISION_DUE
    assert guards.decision_due(make_household(region.raa, "Notyet"), today) is None


def test_booking_on_a_panel_after_the_decision_is_due_asks_first(client, region, today):
    household = make_household(region.raa, "Latepanel", events=TO_STAGE_2)
    panel = services.create_panel(actor=None, raa=region.raa, date=date(2025, 9, 17))
    client.force_login(region.staff[("NR", Role.PANEL_ADVISER)])
    url = reverse("adopters:panel-book", args=[panel.pk])
    body = client.post(url, {"household": household.pk}).content.decode()
    assert "The panel on 17 September 2025 is after the date the decision on Latepanel&#x27;s approval is due " \
           "(17 July 2025)." in body
    assert "govuk-warning-text" in body and "Yes, I understand – book it anyway" in body
    assert "There is a problem" not in body and "<title>Error:" not in body  # a warning, not an error
    assert not panel.items.exists()
    # A confirmation of other reasons does not count.
    client.post(url, {"household": household.pk, "confirmed": "0" * 16})
    assert not panel.items.exists()
    response = client.post(url, {"household": household.pk, "confirmed": _box(body)}, follow=True)
    assert b"Latepanel has been booked on this panel." in response.content
    assert panel.items.get().household == household


def test_a_confirmation_holds_for_the_input_it_confirmed_only(client, region, today):
    """Two households with the same reason (a panel that has already met): ticking the box for one does not book
    the other."""
    later = [*TO_STAGE_2[:3], ("stage_2_started", date(2025, 8, 1))]  # the decisions are due on 1 December 2025
    first = make_household(region.raa, "Firstone", events=later)
    second = make_household(region.raa, "Secondone", events=later)
    panel = services.create_panel(actor=None, raa=region.raa, date=date(2025, 8, 20))  # met before TODAY
    client.force_login(region.staff[("NR", Role.PANEL_ADVISER)])
    url = reverse("adopters:panel-book", args=[panel.pk])
    reasons = guards.approval_panel(panel.date, first, today)
    assert reasons == guards.approval_panel(panel.date, second, today) and reasons  # the same words for both
    box = _box(client.post(url, {"household": first.pk}).content.decode())
    assert box is not None
    again = client.post(url, {"household": second.pk, "confirmed": box}).content.decode()
    assert not panel.items.exists() and _box(again) not in (None, box)
    client.post(url, {"household": first.pk, "confirmed": box})
    assert panel.items.get().household == first


def test_booking_on_a_panel_before_the_decision_is_due_saves_at_once(client, region, today):
    later = [*TO_STAGE_2[:3], ("stage_2_started", date(2025, 8, 1))]  # the decision is due on 1 December 2025
    household = make_household(region.raa, "Ontime", events=later)
    panel = services.create_panel(actor=None, raa=region.raa, date=date(2025, 9, 17))
    assert guards.approval_panel(date(2025, 12, 1), household, today) == []  # on the day is in time
    client.force_login(region.staff[("NR", Role.PANEL_ADVISER)])
    response = client.post(reverse("adopters:panel-book", args=[panel.pk]), {"household": household.pk},
                           follow=True)
    assert b"Ontime has been booked on this panel." in response.content and b"govuk-warning-text" not in \
        response.content


def test_the_reasons_name_the_target_panel_date_and_a_panel_that_has_met(region, today):
    household = make_household(region.raa, "Reasons", events=TO_STAGE_2)
    services.set_target_panel_date(actor=None, household=household, target=date(2025, 9, 17))
    household.refresh_from_db()
    assert guards.approval_panel(date(2025, 9, 18), household, today) == [
        "The panel on 18 September 2025 is after the date the decision on Reasons's approval is due (17 July 2025).",
        "The panel on 18 September 2025 is after Reasons's target panel date (17 September 2025)."]
    assert guards.approval_panel(date(2025, 7, 2), household, today) == [
        "The panel on 2 July 2025 has already met."]


def test_a_target_panel_date_in_the_past_or_after_the_decision_is_due_asks_first(client, region, today):
    household = make_household(region.raa, "Target", events=TO_STAGE_2)
    client.force_login(region.staff[("NR", Role.RAA_ASSESSING_SOCIAL_WORKER)])
    url = reverse("adopters:target-panel-date", args=[household.pk])
    body = client.post(url, d("target", date(2025, 8, 20)) | current_version(client, url)).content.decode()
    assert "The target panel date, 20 August 2025, is in the past." in body
    assert "is after the date the decision on Target&#x27;s approval is due (17 July 2025)." in body
    household.refresh_from_db()
    assert household.target_panel_date is None
    response = client.post(url, {**d("target", date(2025, 8, 20)), **current_version(client, url),
                                 "confirmed": _box(body)}, follow=True)
    assert b"The target panel date has been set." in response.content
    household.refresh_from_db()
    assert household.target_panel_date == date(2025, 8, 20)


def test_a_target_panel_date_that_is_fine_saves_at_once(client, region, today):
    household = make_household(region.raa, "Fine", events=TO_STAGE_2)
    assert guards.target_panel_date(date(2025, 7, 10), household, date(2025, 7, 1)) == []
    client.force_login(region.staff[("NR", Role.RAA_ASSESSING_SOCIAL_WORKER)])
    fresh = make_household(region.raa, "Freshtarget")
    url = reverse("adopters:target-panel-date", args=[fresh.pk])
    response = client.post(url, d("target", date(2025, 12, 3)) | current_version(client, url), follow=True)
    assert b"The target panel date has been set." in response.content


def test_a_match_booked_after_the_child_s_match_is_due_asks_first(client, match_world):
    w = match_world
    assert guards.match_due(w.child, PANEL_DATE) is not None and guards.match_due(w.child, PANEL_DATE) < PANEL_DATE
    client.force_login(w.region.staff[("NR", Role.PANEL_ADVISER)])
    url = reverse("adopters:panel-book-match", args=[w.panel.pk])
    data = {"subject": f"child-{w.child.pk}", "household": w.household.pk}
    body = client.post(url, data).content.decode()
    assert "The panel on 17 September 2025 is after the date Ava Marsh&#x27;s match is due" in body
    assert not w.panel.items.exists()
    response = confirmed(client, url, data, follow=True)
    assert b"has been booked on this panel." in response.content
    assert w.panel.items.count() == 1
