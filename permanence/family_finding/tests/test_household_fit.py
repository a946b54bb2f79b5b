"""The household's "children who might fit" page: its RAA's waiting children ranked as matching.rank_children
ranks them (checked by hand on a small world: the `fit` fixture) and those left out with every rule. Who may see
it: test_pages_access.py."""

import re
from datetime import date

from django.urls import reverse

from permanence.adopters import services as household_services
from permanence.family_finding import matching, profiles
from permanence.organisations.models import Role

from .conftest import TODAY


def household_children_url(household, **query):
    url = reverse("family_finding:household-children", args=[household.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _keys(body: str, table: str) -> list[str]:
    part = body.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'data-key="([PS]\d+)"', part)


def test_the_ranking_is_the_engines_and_worked_out_by_hand(fit):
    found = profiles.children_for_household(fit.fitter, TODAY)
    ranking = found.ranking
    robin, wren = profiles.child_key(fit.child_at_po.pk), profiles.child_key(fit.baby.pk)
    # By hand: nothing is recorded on either side but the waiting times. The household was approved on
    # 27 June 2025 (2 whole months by 1 September: 10 × 2/24 = 0.8); Robin's placement order was on 2 September
    # 2024 (11 whole months: 10 × 11/24 = 4.6); Wren, identified only, has no waiting date (0).
    assert [(r.key, r.score) for r in ranking.ranked] == [(robin, 5.4), (wren, 0.8)]
    texts = [str(c) for c in ranking.ranked[0].contributions if c.points]
    assert texts == ["+0.8 household waiting: approved 2 months ago (27 June 2025)",
                     "+4.6 child waiting: waiting 11 months (since 2 September 2024)"]
    # Otto is 10, the household takes children up to 4; Ada and Bea are placed together and it takes one child.
    left_out = {e.key: [(x.rule, x.reason) for x in e.reasons] for e in ranking.excluded}
    assert left_out == {
        profiles.child_key(fit.older.pk): [("age_range", "approved for children aged 0 to 4; the child is 10 years "
                                                         "4 months")],
        profiles.group_key(fit.group.pk): [("number_of_children", "approved for up to 1 child; this is a sibling "
                                                                  "group of 2")],
    }
    # The same profiles through the engine directly give the same ranking.
    kids = profiles.child_profiles(profiles.waiting_children(fit.raa), TODAY)
    direct = matching.rank_children(found.household, kids, matching.DEFAULT_WEIGHTS, TODAY)
    assert [(r.key, r.score) for r in direct.ranked] == [(r.key, r.score) for r in ranking.ranked]
    assert [(e.key, e.rules) for e in direct.excluded] == [(e.key, e.rules) for e in ranking.excluded]


def test_the_page_shows_the_ranking_and_those_left_out(client, fit):
    client.force_login(fit.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    body = client.get(household_children_url(fit.fitter)).content.decode()
    robin, wren = profiles.child_key(fit.child_at_po.pk), profiles.child_key(fit.baby.pk)
    assert _keys(body, "ranked") == [robin, wren]
    assert "+4.6 child waiting: waiting 11 months (since 2 September 2024)" in body
    assert "±0 heritage" not in body  # only the factors that scored are listed, as on a shortlist
    assert reverse("family_finding:child", args=[fit.child_at_po.pk]) in body and "Robin Testcase" in body
    assert "Might fit (2)" in body and "Left out (2)" in body and "Quentin" not in body
    out = client.get(household_children_url(fit.fitter, show="left-out")).content.decode()
    assert _keys(out, "excluded") == sorted([profiles.child_key(fit.older.pk), profiles.group_key(fit.group.pk)])
    assert "Age range: approved for children aged 0 to 4; the child is 10 years 4 months" in out
    assert "Number of children: approved for up to 1 child; this is a sibling group of 2" in out
    assert "Sibling group of 2, placed together" in out and "Ada Testcase" in out and "Bea Testcase" in out
    assert "Age range: 1 child" in out and "Number of children: 1 child" in out
    # The household's page links here.
    detail = client.get(reverse("adopters:household-detail", args=[fit.fitter.pk])).content.decode()
    assert household_children_url(fit.fitter) in detail


def test_the_lists_are_paginated(client, fit, monkeypatch):
    from permanence.family_finding import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(fit.user(Role.RAA_FAMILY_FINDER))
    first = client.get(household_children_url(fit.fitter, show="left-out")).content.decode()
    second = client.get(household_children_url(fit.fitter, show="left-out", page=2)).content.decode()
    assert len(_keys(first, "excluded")) == len(_keys(second, "excluded")) == 1
    assert _keys(first, "excluded") != _keys(second, "excluded") and "Showing 1 to 1 of 2" in first


def test_a_household_not_approved_or_closed_gets_a_message(client, fit):
    assessing = household_services.register_interest(
        actor=None, raa=fit.raa, name="Brennan", applicants=[{"first_name": "Kit", "last_name": "Brennan"}],
        roi_date=date(2025, 8, 1))
    client.force_login(fit.user(Role.RAA_TEAM_MANAGER))
    response = client.get(household_children_url(assessing))
    body = response.content.decode()
    assert response.status_code == 200 and 'id="not-approved"' in body and "not approved yet" in body
    assert 'id="ranked"' not in body
    household_services.record_event(household=fit.fitter, kind="closed", date=date(2025, 8, 20), actor=None,
                                     check_role=False, details={"reason": "withdrew"})
    closed = client.get(household_children_url(fit.fitter)).content.decode()
    assert "record is closed" in closed and 'id="ranked"' not in closed


def test_an_on_hold_household_says_why_every_child_is_left_out(client, fit):
    household_services.set_capacity(actor=None, household=fit.fitter, on_hold=True, on_hold_reason="Moving house")
    client.force_login(fit.user(Role.RAA_ASSESSING_SOCIAL_WORKER))
    body = client.get(household_children_url(fit.fitter)).content.decode()
    assert 'id="not-taking-links"' in body and "Might fit (0)" in body and "Left out (4)" in body
