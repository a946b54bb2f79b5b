"""The API's access matrix: every role × own organisation / another × every endpoint, against the pages' rules.

The expected answers come from the same place as the pages' matrix (tests/test_access_matrix.py):
access.children_visible_to and las_visible_to. For every role, the API shows a child exactly
when the child's page does.
"""

import json
from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from permanence import access
from permanence.api.tests.conftest import AdopterRecords, token_client
from permanence.core.models import RecordView
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY, each_case

USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]


@pytest.fixture
def world(region):
    own = region.child(region.la, first_name="Ownchild", events=[*PLACEMENT_ORDER_JOURNEY,
                                                                 ("placement_order", date(2024, 9, 4))])
    sister_la = region.child(region.la_keeps, first_name="Sisterchild", events=PLACEMENT_ORDER_JOURNEY)
    other = region.child(region.other_la, first_name="Otherchild", events=PLACEMENT_ORDER_JOURNEY)
    return region, own, sister_la, other


def page_status(client, user, child) -> int:
    client.force_login(user)
    return client.get(reverse("children:detail", args=[child.pk])).status_code


def test_child_endpoints_match_the_pages(client, world):
    def check(code, role):
        region, *children = world
        user = region.staff[(code, role)]
        api = token_client(user)
        listed = api.get(reverse("api:child-list"), {"include_closed": "true"})
        if access.can_see_child_records(user):
            assert listed.status_code == 200
            names = {c["first_name"] for c in listed.json()["results"]}
        else:
            assert listed.status_code == 404 and listed.json()["errors"][0]["code"] == "not_found"
            names = set()
        assert names == set(access.children_visible_to(user).values_list("first_name", flat=True))
        for child in children:
            expected = page_status(client, user, child)  # what the child's page answers
            event = child.events.first()
            for name, args in [("api:child-detail", [child.pk]), ("api:child-event-list", [child.pk]),
                               ("api:child-event-detail", [child.pk, event.pk])]:
                response = api.get(reverse(name, args=args))
                assert response.status_code == expected, (name, child.first_name)
                if expected == 404:
                    assert child.first_name.encode() not in response.content
                    assert response.json() == {"errors": [{"field": None, "message": "Not found.", "code": "not_found"}]}
            # Writes: a child you cannot see is a 404 before anything is checked.
            write = api.post(reverse("api:child-event-list", args=[child.pk]),
                             {"kind": "visit_that_does_not_exist", "date": "2024-10-01"}, format="json")
            correct = api.post(reverse("api:child-event-correct", args=[child.pk, event.pk]),
                               {"reason": "Wrong date", "date": "2024-01-11"}, format="json")
            if expected == 404:
                assert write.status_code == correct.status_code == 404
                assert child.events.count() == len(PLACEMENT_ORDER_JOURNEY) + (child.first_name == "Ownchild")
            else:
                assert write.status_code == 400  # the unknown kind, not access
                assert correct.status_code in (200, 400)  # the service's own role check decides
                if correct.status_code == 400:
                    assert correct.json()["errors"]

    each_case(USERS, check, client=client)


def test_organisations_and_me(world):
    def check(code, role):
        region, *_ = world
        user = region.staff[(code, role)]
        api = token_client(user)
        visible = set(access.las_visible_to(user).values_list("code", flat=True))
        listed = api.get(reverse("api:organisation-list"))
        assert listed.status_code == 200
        assert {o["code"] for o in listed.json()["results"]} == visible
        for code_ in ("901", "902", "903"):
            response = api.get(reverse("api:organisation-detail", args=[code_]))
            assert response.status_code == (200 if code_ in visible else 404)
        me = api.get(reverse("api:me")).json()
        assert me["role"] == role and me["organisation"] == code
        assert set(me["local_authorities"]) == visible
        assert me["can_export"] == access.can_export(user)
        assert api.get(reverse("api:schema")).status_code == 200

    each_case(USERS, check)


def test_adding_a_child_follows_the_pages(world):
    def check(code, role):
        region, *_ = world
        user = region.staff[(code, role)]
        api = token_client(user)
        body = {"la": "901", "la_child_id": f"NEW-{code}-{role}"[:40], "first_name": "Newchild", "last_name": "Api",
                "date_of_birth": "2023-05-01"}
        response = api.post(reverse("api:child-list"), body, format="json")
        can_create = access.can_see_child_records(user) and role in access.CHILD_CREATE_ROLES
        if not access.can_see_child_records(user):
            assert response.status_code == 404
        elif not can_create:
            assert response.status_code == 403
        elif "901" in set(access.las_visible_to(user).values_list("code", flat=True)):
            assert response.status_code == 201, response.json()
            assert response.json()["la"] == "901"
        else:  # somebody else's LA
            assert response.status_code == 400
            assert response.json()["errors"][0]["field"] == "la"

    each_case(USERS, check)


def test_missing_and_not_yours_are_the_same_404(world):
    region, own, sister_la, other = world
    api = token_client(region.staff[("901", Role.LA_SOCIAL_WORKER)])
    missing = api.get(reverse("api:child-detail", args=[999999]))
    forbidden = api.get(reverse("api:child-detail", args=[other.pk]))
    assert missing.status_code == forbidden.status_code == 404
    assert missing.content == forbidden.content


def test_nobody_gets_in_without_credentials(world):
    region, own, *_ = world
    anonymous = APIClient()
    for name, args in [("api:me", []), ("api:child-list", []), ("api:child-detail", [own.pk]),
                       ("api:child-event-list", [own.pk]), ("api:organisation-list", []), ("api:schema", [])]:
        response = anonymous.get(reverse(name, args=args))
        assert response.status_code == 401, name  # never a redirect to the sign-in page
        assert json.loads(response.content)["errors"][0]["code"] == "not_authenticated"
        assert response["WWW-Authenticate"].startswith("Bearer")
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer pmn_000000000000_nope")
    assert bad.get(reverse("api:me")).status_code == 401
    # The documentation page is for people: it sends them to sign in.
    docs = anonymous.get(reverse("api:docs"))
    assert docs.status_code == 302 and docs.url.startswith("/sign-in/")


def test_docs_page_for_signed_in_staff(client, world):
    region, *_ = world
    client.force_login(region.staff[("NR", Role.RAA_FAMILY_FINDER)])
    assert client.get(reverse("api:docs")).status_code == 200


def test_inactive_staff_and_staff_without_an_organisation_are_refused(world):
    region, own, *_ = world
    user = region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    api = token_client(user)
    assert api.get(reverse("api:child-detail", args=[own.pk])).status_code == 200
    user.is_active = False
    user.save()
    assert api.get(reverse("api:child-detail", args=[own.pk])).status_code == 401
    user.is_active = True
    user.organisation = None
    user.save()
    assert api.get(reverse("api:child-detail", args=[own.pk])).status_code == 403


def test_session_authentication_needs_csrf_for_writes(world):
    region, own, *_ = world
    user = region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get(reverse("api:child-detail", args=[own.pk])).status_code == 200
    response = browser.post(reverse("api:child-event-list", args=[own.pk]),
                            {"kind": "linked", "date": "2024-10-01"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["errors"][0]["message"]


def test_every_api_view_of_a_child_is_logged(world):
    region, own, *_ = world
    user = region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    api = token_client(user)
    before = RecordView.objects.filter(child_id=own.pk, viewer=user).count()
    api.get(reverse("api:child-detail", args=[own.pk]))
    api.get(reverse("api:child-event-list", args=[own.pk]))
    views = RecordView.objects.filter(child_id=own.pk, viewer=user)
    assert views.count() == before + 2
    assert {v.path for v in views} == {f"/api/v1/children/{own.pk}/", f"/api/v1/children/{own.pk}/events/"}


# ---------------------------------------------------------------------------------------------
# Households, their events and panels: the RAA's (access.households_visible_to, panels_visible_to), as
# the adopters pages. LA staff, board members and the other RAA get a 404; missing and not-yours look the same.


@pytest.fixture
def adopters_world(region, adopters_today):
    return region, AdopterRecords(region.raa, "North"), AdopterRecords(region.other_raa, "South")


def adopters_page_status(client, user, name, args) -> int:
    """What the adopters' page answers."""
    client.force_login(user)
    return client.get(reverse(name, args=args)).status_code


def test_household_and_panel_endpoints_match_the_pages(client, adopters_world):
    def check(code, role):
        region, north, south = adopters_world
        user = region.staff[(code, role)]
        api = token_client(user)
        sees = access.can_see_adopter_records(user)
        for name, expected_names in [
            ("api:household-list", set(access.households_visible_to(user).values_list("name", flat=True))),
            ("api:panel-list", set(access.panels_visible_to(user).values_list("pk", flat=True))),
        ]:
            listed = api.get(reverse(name), {"include_closed": "true"})
            if sees:
                assert listed.status_code == 200
                key = "name" if name == "api:household-list" else "id"
                assert {r[key] for r in listed.json()["results"]} == expected_names
            else:
                assert listed.status_code == 404 and listed.json()["errors"][0]["code"] == "not_found"
        assert adopters_page_status(client, user, "adopters:pipeline", []) == (200 if sees else 404)
        assert adopters_page_status(client, user, "adopters:panel-list", []) == (200 if sees else 404)
        if role == Role.BOARD_MEMBER or code not in ("NR", "SR"):
            assert not sees  # adopters are the RAA's: LA staff and board members never see them here
        for rec, owner in ((north, region.raa), (south, region.other_raa)):
            household, panel = rec.household, rec.panel
            visible = access.households_visible_to(user).filter(pk=household.pk).exists()
            assert visible == (sees and owner.pk == user.organisation_id)
            expected = 200 if visible else 404
            assert adopters_page_status(client, user, "adopters:household-detail", [household.pk]) == expected
            assert adopters_page_status(client, user, "adopters:panel-detail", [panel.pk]) == expected
            for name, args in [("api:household-detail", [household.pk]),
                               ("api:household-event-list", [household.pk]),
                               ("api:household-event-detail", [household.pk, rec.event.pk]),
                               ("api:panel-detail", [panel.pk])]:
                response = api.get(reverse(name, args=args))
                assert response.status_code == expected, (name, owner.code)
                if expected == 404:
                    assert household.name.encode() not in response.content
                    assert response.json() == {"errors": [{"field": None, "message": "Not found.", "code": "not_found"}]}
            # Writes: a household or panel you cannot see is a 404 before anything is checked.
            events = household.events.count()
            write = api.post(reverse("api:household-event-list", args=[household.pk]),
                             {"kind": "visit_that_does_not_exist", "date": "2025-08-01"}, format="json")
            correct = api.post(reverse("api:household-event-correct", args=[household.pk, rec.event.pk]),
                               {"reason": "Wrong date", "date": "2025-06-03"}, format="json")
            target = api.put(reverse("api:household-target-panel-date", args=[household.pk]),
                             {"target": "2025-11-05"}, format="json")
            book = api.post(reverse("api:panel-book", args=[panel.pk]), {"household": rec.stage_2.pk}, format="json")
            if not visible:
                assert write.status_code == correct.status_code == target.status_code == book.status_code == 404
                assert household.events.count() == events
                continue
            assert write.status_code == 400  # the unknown kind, not access
            assert correct.status_code in (200, 400)  # the service's own role check decides
            if correct.status_code == 400:
                assert correct.json()["errors"]
            assert target.status_code == (200 if access.can_write_households(user) else 403), target.content
            assert book.status_code == (201 if access.can_book_panel_items(user) else 403), book.content

    each_case(USERS, check, client=client)


def test_registering_a_household_follows_the_pages(adopters_world):
    def check(code, role):
        region, *_ = adopters_world
        user = region.staff[(code, role)]
        body = {"name": f"New {code} {role}", "roi_date": "2025-08-20",
                "applicants": [{"first_name": "Ada", "last_name": "Okafor"}]}
        response = token_client(user).post(reverse("api:household-list"), body, format="json")
        if not access.can_see_adopter_records(user):
            assert response.status_code == 404
        elif not access.can_write_households(user):
            assert response.status_code == 403
        else:
            assert response.status_code == 201, response.json()
            assert response.json()["raa"] == code

    each_case(USERS, check)


# ---------------------------------------------------------------------------------------------
# Measures: aggregate figures for access.can_see_aggregates users (board members included), scoped to
# access.las_visible_to and access.raa_for_aggregates. Not allowed: 404, as the scorecard page.


def test_measures_follow_the_scorecard_page(client, world):
    def check(code, role):
        region, *_ = world
        user = region.staff[(code, role)]
        api = token_client(user)
        las = set(access.las_visible_to(user).values_list("code", flat=True))
        own_raa = access.raa_for_aggregates(user)
        client.force_login(user)
        page = client.get(reverse("performance:scorecard")).status_code
        scorecard = api.get(reverse("api:measures-scorecard"), {"year_ending": 2024})
        quarterly = api.get(reverse("api:measures-quarterly"), {"quarter": "2024Q1"})
        adopters = api.get(reverse("api:measures-adopters"), {"start": "2024-04-01", "end": "2025-03-31"})
        prospective = api.get(reverse("api:measures-prospective"), {"po_from": "2023-04-01", "po_to": "2024-03-31",
                                                                      "as_of": "2025-03-31"})
        members = api.get(reverse("api:measures-members"), {"half_year": "2024H1"})
        if not access.can_see_aggregates(user):
            assert page == 404
            for response in (scorecard, quarterly, adopters, prospective, members):
                assert response.status_code == 404 and response.json()["errors"][0]["code"] == "not_found"
            return
        assert page == scorecard.status_code == quarterly.status_code == prospective.status_code == 200
        assert members.status_code == 200
        expected_scope = own_raa.code if own_raa else sorted(las)[0]
        assert scorecard.json()["scope"]["code"] == quarterly.json()["scope"]["code"] == expected_scope
        assert prospective.json()["scope"]["code"] == members.json()["scope"]["code"] == expected_scope
        assert adopters.status_code == (200 if own_raa else 404)
        for la in ("901", "902", "903"):
            response = api.get(reverse("api:measures-scorecard"), {"la": la, "year_ending": 2024})
            if la in las:
                assert response.status_code == 200 and response.json()["scope"]["code"] == la
            else:  # missing and not yours alike
                assert response.status_code == 400 and response.json()["errors"][0]["field"] == "la"
        for raa in ("NR", "SR"):
            response = api.get(reverse("api:measures-quarterly"), {"raa": raa, "quarter": "2024Q1"})
            assert response.status_code == (200 if own_raa and own_raa.code == raa else 400)

    each_case(USERS, check, client=client)
