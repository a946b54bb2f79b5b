"""Every role × own organisation / another organisation × every family-finding page. Links are the RAA's, the
household's agency's and the child's LA's; nobody else's (404); the LA never sees a household's name."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from permanence import access
from permanence.core.models import AuditEvent
from permanence.family_finding.models import ChildMatchingProfile, Link, MatchingWeights, Shortlist
from permanence.navigation import navigation
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import current_version, each_case

from .access_urls import (
    CHILD_PAGES,
    HOUSEHOLD_PAGES,
    LINK_PAGES,
    LIST_PAGES,
    PROFILE_PAGES,
    SHORTLIST_PAGES,
    SUFFICIENCY_PAGES,
    WEIGHTS_PAGES,
)
from .conftest import approved_household, with_links_both_sides
from .test_household_fit import household_children_url

USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]


@pytest.fixture
def pages(world):
    w = world
    return with_links_both_sides(w)


def link_url(name, link: Link) -> str:
    if name == "family_finding:record-event":
        return reverse(name, args=[link.pk, "note"])
    if name == "family_finding:correct-event":
        return reverse(name, args=[link.pk, link.events.get(kind="contact").pk])
    return reverse(name, args=[link.pk])


def sees(user, link: Link) -> bool:
    if not access.can_see_links(user):
        return False
    org = user.organisation
    return org.pk in (link.raa_id, link.household.raa_id) if org.kind == "raa" else org.pk == link.la_id


def sees_papers(user) -> bool:
    """Shortlists and matching profiles hold special-category data (religion): not for data officers."""
    return user.role != Role.DATA_OFFICER


def sees_child(user, child) -> bool:
    return access.can_see_links(user) and user.organisation_id in (child.la_id, child.la.raa_id)


def test_family_finding_pages(client, pages):
    def check(code, role):
        user = pages.staff[(code, role)]
        client.force_login(user)
        assert client.get(reverse(LIST_PAGES[0])).status_code == (200 if access.can_see_links(user) else 404)
        for link, child, shortlist, name in ((pages.north_link, pages.child_at_po, pages.north_shortlist, "Okafor-Reid"),
                                             (pages.south_link, pages.south_child, pages.south_shortlist, "Zanzibar")):
            want = 200 if sees(user, link) else 404
            for page in LINK_PAGES:
                response = client.get(link_url(page, link))
                assert response.status_code == want, page
                if want == 200 and user.organisation.kind == "la":
                    assert name.encode() not in response.content, page  # anonymised for the child's LA
            child_want = 200 if sees_child(user, child) else 404
            for page in CHILD_PAGES + SHORTLIST_PAGES:
                target = child.pk if page in CHILD_PAGES else shortlist.pk
                response = client.get(reverse(page, args=[target]))
                # A shortlist (the engine's reasons: religion, heritage) is a matching paper: not for data officers.
                assert response.status_code == (child_want if page in CHILD_PAGES or sees_papers(user) else 404), page
                if page in CHILD_PAGES and child_want == 200:
                    assert (b'id="matching-profile-link"' in response.content) is sees_papers(user)
                if child_want == 200 and user.organisation.kind == "la":
                    assert name.encode() not in response.content, page
                if child_want == 404:
                    assert child.first_name.encode() not in response.content

    each_case(USERS, check, client=client)


def test_only_the_childs_raas_family_finders_run_shortlists_and_open_links(client, pages):
    def check(code, role):
        user = pages.staff[(code, role)]
        client.force_login(user)
        child = pages.child_at_po
        allowed = access.can_family_find_for(user, child)
        before = (Shortlist.objects.count(), Link.objects.count())
        response = client.post(reverse("family_finding:run-shortlist", args=[child.pk]))
        assert response.status_code == (302 if allowed else 404)
        entry = pages.north_shortlist.entries.get(household=pages.second)
        response = client.post(reverse("family_finding:open-link", args=[pages.north_shortlist.pk, entry.pk]))
        visible = access.shortlists_visible_to(user).filter(pk=pages.north_shortlist.pk).exists()
        assert response.status_code == (302 if allowed else 404) and (visible or not allowed)
        after = (Shortlist.objects.count(), Link.objects.count())
        assert after == ((before[0] + 1, before[1] + 1) if allowed else before)

    each_case(USERS, check, client=client)


def test_missing_and_not_yours_are_the_same_404(client, pages):
    client.force_login(pages.user(Role.LA_SOCIAL_WORKER, pages.la_keeps))
    missing = client.get(reverse("family_finding:link", args=[999999]))
    forbidden = client.get(reverse("family_finding:link", args=[pages.north_link.pk]))
    assert missing.status_code == forbidden.status_code == 404
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", missing.content) == token.sub(b"", forbidden.content)


PROFILE_EDITORS = {"raa": {Role.RAA_FAMILY_FINDER, Role.RAA_TEAM_MANAGER},
                   "la": {Role.LA_SOCIAL_WORKER, Role.LA_TEAM_MANAGER}}
WEIGHT_SETTERS = {Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE}


def test_the_matching_profile_is_seen_with_the_family_finding_page_and_changed_by_its_editors(client, pages):
    def check(code, role):
        user = pages.staff[(code, role)]
        client.force_login(user)
        for child in (pages.child_at_po, pages.south_child):
            seen = sees_child(user, child) and sees_papers(user)  # the child's religion: special-category data
            edits = seen and role in PROFILE_EDITORS[user.organisation.kind]
            view, change = (reverse(name, args=[child.pk]) for name in PROFILE_PAGES)
            response = client.get(view)
            assert response.status_code == (200 if seen else 404)
            assert (child.first_name.encode() in response.content) is seen
            assert (b'id="change-profile"' in response.content) is edits
            assert client.get(change).status_code == (200 if edits else 404)
            response = client.post(change, {"religion": "Quaker", "avoid_places": "LS6",
                                            **current_version(client, change)})
            assert response.status_code == (302 if edits else 404)
            saved = ChildMatchingProfile.objects.filter(child=child, religion="Quaker")
            assert saved.exists() is edits
            assert AuditEvent.objects.filter(action="matching_profile.created", child_id=child.pk).exists() is edits
            saved.delete()

    each_case(USERS, check, client=client)


def test_only_the_raas_team_managers_and_heads_of_service_see_and_set_its_weights(client, pages):
    def check(code, role):
        user = pages.staff[(code, role)]
        client.force_login(user)
        allowed = role in WEIGHT_SETTERS and user.organisation.kind == "raa"
        for name in WEIGHTS_PAGES:
            response = client.get(reverse(name))
            assert response.status_code == (200 if allowed else 404), name
            if allowed:
                assert user.organisation.name.encode() in response.content
        data = {factor: "5" for factor in ("needs_margin", "heritage", "religion", "language", "contact",
                                            "early_permanence", "experience", "distance", "household_waiting",
                                            "child_waiting", "decline")}
        response = client.post(reverse(WEIGHTS_PAGES[1]), {**data, "source": "Panel", "valid_from_day": "1",
                                                           "valid_from_month": "9", "valid_from_year": "2025",
                                                           **current_version(client, reverse(WEIGHTS_PAGES[1]))})
        assert response.status_code == (302 if allowed else 404)
        rows = MatchingWeights.objects.exclude(raa=None)
        assert list(rows.values_list("raa", flat=True)) == ([user.organisation_id] if allowed else [])

    each_case(USERS, check, client=client)


FIT_ROLES = {Role.RAA_ASSESSING_SOCIAL_WORKER, Role.RAA_FAMILY_FINDER, Role.RAA_TEAM_MANAGER}


def test_who_sees_a_households_children_who_might_fit(client, fit):
    def check(code, role):
        south = approved_household(fit.other_raa, "Zanzibar")
        user = fit.staff[(code, role)]
        client.force_login(user)
        for household in (fit.fitter, south):
            allowed = role in FIT_ROLES and code == household.raa.code
            response = client.get(reverse(HOUSEHOLD_PAGES[0], args=[household.pk]))
            assert response.status_code == (200 if allowed else 404), household.name
            if not allowed:
                assert household.name.encode() not in response.content
            link = household_children_url(household).encode() in client.get(
                reverse("adopters:household-detail", args=[household.pk])).content
            assert link == allowed

    each_case(USERS, check, client=client)


SUFFICIENCY_ROLES = {Role.RAA_FAMILY_FINDER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE, Role.BOARD_MEMBER}


def test_who_sees_the_sufficiency_page_and_its_downloads(client, fit):
    """RAA family finders, team managers, heads of service and board members, each for their own RAA: North
    has 4 waiting children (Robin, Wren, Otto, and Ada and Bea as one), South 1 (Quentin). No names."""
    def check(code, role):
        user = fit.staff[(code, role)]
        client.force_login(user)
        allowed = role in SUFFICIENCY_ROLES and code in ("NR", "SR")
        for page in SUFFICIENCY_PAGES:
            assert client.get(reverse(page)).status_code == (200 if allowed else 404), page
        body = client.get(reverse(SUFFICIENCY_PAGES[0])).content.decode()
        assert re.search(r"Robin|Wren|Otto|Ada|Bea|Quentin|Okafor|Achterberg", body) is None
        if allowed:
            assert re.search(rf'id="total-children">{4 if code == "NR" else 1}<', body)
        request = RequestFactory().get("/")
        request.user = user
        assert (reverse(SUFFICIENCY_PAGES[0]) in [i["url"] for i in navigation(request)["nav_items"]]) == allowed

    each_case(USERS, check, client=client)
