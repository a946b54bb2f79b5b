"""Who sees which links and shortlists, and who sees a household by name (the child's LA sees an anonymised
profile). Missing and not-yours: the same 404."""

from datetime import date

import pytest
from django.http import Http404

from permanence import access
from permanence.adopters.models import HouseholdMember
from permanence.family_finding import selectors, services
from permanence.organisations.models import Role

from .conftest import TODAY, approved_household


@pytest.fixture
def links(world):
    ff = world.user(Role.RAA_FAMILY_FINDER)
    world.south = approved_household(world.other_raa, "Southgate", postcode="SE1 7PB")
    world.own_link = services.open_link(actor=ff, child=world.child_at_po, household=world.household,
                                        on=date(2025, 7, 1))
    world.inter_agency = services.open_link(actor=ff, child=world.child_at_po, household=world.south,
                                            on=date(2025, 7, 1))
    south_child = world.child(world.other_la, events=[("entered_care", date(2024, 1, 10)),
                                                      ("should_be_placed", date(2024, 7, 3))])
    world.south_link = services.open_link(actor=world.user(Role.RAA_FAMILY_FINDER, world.other_raa),
                                          child=south_child, household=world.south, on=date(2025, 7, 1))
    return world


def visible(world, role, org):
    seen = set(access.links_visible_to(world.user(role, org)).values_list("pk", flat=True))
    return {name for name in ("own_link", "inter_agency", "south_link") if getattr(world, name).pk in seen}


@pytest.mark.parametrize(("role", "org", "expected"), [
    (Role.RAA_FAMILY_FINDER, "raa", {"own_link", "inter_agency"}),
    (Role.RAA_ASSESSING_SOCIAL_WORKER, "raa", {"own_link", "inter_agency"}),
    (Role.RAA_TEAM_MANAGER, "raa", {"own_link", "inter_agency"}),
    (Role.PANEL_ADVISER, "raa", {"own_link", "inter_agency"}),
    (Role.AGENCY_DECISION_MAKER, "raa", {"own_link", "inter_agency"}),
    (Role.BOARD_MEMBER, "raa", set()),
    (Role.SYSTEM_ADMINISTRATOR, "raa", set()),
    # the household's agency sees its household's link with another RAA's child
    (Role.RAA_ASSESSING_SOCIAL_WORKER, "other_raa", {"inter_agency", "south_link"}),
    (Role.RAA_FAMILY_FINDER, "other_raa", {"inter_agency", "south_link"}),
    # the child's LA sees the links on its children; other LAs none
    (Role.LA_SOCIAL_WORKER, "la", {"own_link", "inter_agency"}),
    (Role.LA_TEAM_MANAGER, "la", {"own_link", "inter_agency"}),
    (Role.AGENCY_DECISION_MAKER, "la", {"own_link", "inter_agency"}),
    (Role.DATA_OFFICER, "la", {"own_link", "inter_agency"}),
    (Role.LA_SOCIAL_WORKER, "la_keeps", set()),
    (Role.LA_SOCIAL_WORKER, "other_la", {"south_link"}),
])
def test_who_sees_which_links(links, role, org, expected):
    assert visible(links, role, getattr(links, org)) == expected


def test_not_yours_and_missing_are_the_same_404(links):
    keeps = links.user(Role.LA_SOCIAL_WORKER, links.la_keeps)
    for pk in (links.own_link.pk, 999999, "x"):
        with pytest.raises(Http404, match="No link found"):
            access.get_link_for(keeps, pk)
    assert access.get_link_for(links.user(Role.LA_SOCIAL_WORKER), links.own_link.pk) == links.own_link
    event = links.own_link.events.get()
    assert access.get_link_event_for(links.user(Role.RAA_FAMILY_FINDER), links.own_link, event.pk) == event
    with pytest.raises(Http404):
        access.get_link_event_for(links.user(Role.RAA_FAMILY_FINDER), links.south_link, event.pk)
    with pytest.raises(Http404):
        access.get_link_event_for(keeps, links.own_link, event.pk)


def test_the_childs_la_sees_households_anonymised(links):
    assert not access.sees_household_by_name(links.user(Role.LA_SOCIAL_WORKER), links.household)
    assert access.sees_household_by_name(links.user(Role.RAA_FAMILY_FINDER), links.household)
    assert not access.sees_household_by_name(links.user(Role.RAA_FAMILY_FINDER), links.south)  # another agency's
    HouseholdMember.objects.create(household=links.south, name="Birth child", relationship="Son",
                                   date_of_birth=date(2015, 2, 2))
    links.south.approved_on = date(2025, 6, 27)
    seen = selectors.anonymised_household(links.south, TODAY)
    assert seen["reference"] == links.south.reference and seen["agency"] == "South RAA"
    assert seen["area"] == "SE" and seen["approved"] == "June 2025" and seen["other_children"] == 1
    assert seen["applicants"] == [{"age": 39, "ethnicity": "Information not yet obtained (NOBT)", "religion": "",
                                   "languages": ""}]
    text = repr(seen)
    for secret in ("Southgate", "Sam", "SE1 7PB", "1986", "Birth child"):
        assert secret not in text


def test_shortlists_are_seen_by_the_childs_raa_and_la(links):
    saved = services.shortlist(child=links.child_at_po, actor=links.user(Role.RAA_FAMILY_FINDER), spread=False)
    for role, org, sees in ((Role.RAA_FAMILY_FINDER, links.raa, True), (Role.LA_SOCIAL_WORKER, links.la, True),
                            (Role.RAA_FAMILY_FINDER, links.other_raa, False),
                            (Role.LA_SOCIAL_WORKER, links.la_keeps, False), (Role.BOARD_MEMBER, links.raa, False)):
        assert access.shortlists_visible_to(links.user(role, org)).filter(pk=saved.pk).exists() is sees
    with pytest.raises(Http404):
        access.get_shortlist_for(links.user(Role.LA_SOCIAL_WORKER, links.la_keeps), saved.pk)


def test_a_childs_and_a_households_links(links):
    ff = links.user(Role.RAA_FAMILY_FINDER)
    seen = access.links_visible_to(ff)
    assert set(selectors.child_links(seen, links.child_at_po)) == {links.own_link, links.inter_agency}
    assert list(selectors.household_links(seen, links.south)) == [links.inter_agency]  # not South's own link
    south_worker = access.links_visible_to(links.user(Role.RAA_ASSESSING_SOCIAL_WORKER, links.other_raa))
    assert set(selectors.household_links(south_worker, links.south)) == {links.inter_agency, links.south_link}
