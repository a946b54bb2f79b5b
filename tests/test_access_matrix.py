"""Every role × own organisation / another organisation × every page. Nothing leaks; deny by default.

If a URL is added to the project without a row here, test_every_url_is_in_the_matrix fails.
"""

import importlib
import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import permanence
from permanence import access
from permanence.organisations.models import ROLE_ORGANISATION_KINDS, Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY, each_case

# name -> how the page is reached. Child pages take the child; LA pages take the LA code.
CHILD_PAGES = ["children:detail", "children:edit", "children:audit", "children:record-event",
               "children:correct-event", "interchange:child-returns"]
LIST_PAGES = ["caseload", "children:list", "children:create"]
AGGREGATE_PAGES = ["overview"]
ADMIN_PAGES = ["organisations:policies", "organisations:structure", "organisations:add-la",
               "organisations:add-team", "organisations:add-staff"]
ADMIN_LA_PAGES = ["organisations:la-policy"]
PUBLIC_PAGES = ["sign-in", "healthz"]
SESSION_PAGES = ["sign-out"]
ALL_NAMES = set(CHILD_PAGES + LIST_PAGES + AGGREGATE_PAGES + ADMIN_PAGES + ADMIN_LA_PAGES + PUBLIC_PAGES
                + SESSION_PAGES)


def _names(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def covered_elsewhere() -> set[str]:
    """URL names whose access tests live with their app: each app lists them in tests/access_urls.py (COVERED)."""
    names: set[str] = set()
    root = Path(permanence.__file__).parent
    for module_file in root.glob("*/tests/access_urls.py"):
        module = importlib.import_module(f"permanence.{module_file.parent.parent.name}.tests.access_urls")
        names |= set(module.COVERED)
    return names


def test_every_url_is_in_the_matrix():
    """A new page or endpoint must come with access tests: here, or in its app's tests/access_urls.py."""
    assert set(_names(get_resolver())) == ALL_NAMES | covered_elsewhere()


def child_url(name, child):
    from django.urls import reverse

    if name == "children:record-event":
        return reverse(name, args=[child.pk, "visit"])
    if name == "children:correct-event":
        return reverse(name, args=[child.pk, child.events.first().pk])
    return reverse(name, args=[child.pk])


@pytest.fixture
def world(region):
    own = region.child(region.la, first_name="Ownchild", events=[*PLACEMENT_ORDER_JOURNEY,
                                                                 ("placement_order", date(2024, 9, 4))])
    sister_la = region.child(region.la_keeps, first_name="Sisterchild", events=PLACEMENT_ORDER_JOURNEY)
    other = region.child(region.other_la, first_name="Otherchild", events=PLACEMENT_ORDER_JOURNEY)
    return region, own, sister_la, other


USERS = [(code, role) for code in ("NR", "SR", "901", "902", "903") for role, kinds in
         ROLE_ORGANISATION_KINDS.items() if ("raa" if code in ("NR", "SR") else "la") in kinds]


def expected_child_status(user, child, page):
    sees = access.can_see_child_records(user) and (
        child.la_id == user.organisation_id or child.la.raa_id == user.organisation_id)
    if not sees:
        return 404
    if page == "children:edit" and user.role not in access.CHILD_CREATE_ROLES:
        return 404
    if page == "children:audit" and user.role not in access.AUDIT_ROLES:
        return 404
    return 200


def test_child_pages(client, world):
    def check(code, role):
        region, own, sister_la, other = world
        user = region.staff[(code, role)]
        client.force_login(user)
        for child in (own, sister_la, other):
            for page in CHILD_PAGES:
                response = client.get(child_url(page, child))
                expected = expected_child_status(user, child, page)
                assert response.status_code == expected, (page, child.first_name)
                if expected == 404:
                    assert child.first_name.encode() not in response.content

    each_case(USERS, check, client=client)


def test_list_pages_show_only_visible_children(client, world):
    def check(code, role):
        region, own, sister_la, other = world
        user = region.staff[(code, role)]
        client.force_login(user)
        visible = set(access.children_visible_to(user).values_list("first_name", flat=True))
        for page, params in [("/children/", ""), ("/children/", "?q=child"), ("/children/", "?stage=should_be_placed"),
                             ("/", "")]:
            response = client.get(page + params, follow=True)
            assert response.status_code in (200, 404)
            body = response.content.decode()
            for child in (own, sister_la, other):
                if child.first_name not in visible:
                    assert child.first_name not in body, (page, params)
        # Somebody in a different RAA never sees this RAA's children, whatever the filter.
        if user.organisation.code in ("SR", "903"):
            assert "Ownchild" not in visible and "Sisterchild" not in visible
        if user.organisation.code == "902":
            assert "Ownchild" not in visible

    each_case(USERS, check, client=client)


def test_admin_and_aggregate_pages(client, world):
    def check(code, role):
        region, *_ = world
        user = region.staff[(code, role)]
        client.force_login(user)
        is_admin = role == Role.SYSTEM_ADMINISTRATOR
        for name in ADMIN_PAGES:
            from django.urls import reverse

            assert client.get(reverse(name)).status_code == (200 if is_admin else 404), name
        own_la = "901" if code in ("NR", "901", "902") else "903"
        foreign_la = "903" if own_la == "901" else "901"
        assert client.get(f"/organisations/policies/{own_la}/").status_code == (200 if is_admin else 404)
        assert client.get(f"/organisations/policies/{foreign_la}/").status_code == 404
        overview = client.get("/overview/")
        assert overview.status_code == (200 if role in access.AGGREGATE_ROLES else 404)
        assert b"Ownchild" not in overview.content and b"Otherchild" not in overview.content
        if overview.status_code == 200 and code in ("SR", "903"):
            assert b"Transferton" not in overview.content

    each_case(USERS, check, client=client)


def test_board_members_see_aggregates_only(client, world):
    region, *_ = world
    board = region.staff[("NR", Role.BOARD_MEMBER)]
    assert not access.children_visible_to(board).exists()
    client.force_login(board)
    assert client.get("/").status_code == 302  # to the overview
    response = client.get("/overview/")
    assert b"Transferton" in response.content and b"Keepham" in response.content


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    region, own, *_ = world
    from django.urls import reverse

    for name in CHILD_PAGES:
        response = client.get(child_url(name, own))
        assert response.status_code == 302 and response.url.startswith("/sign-in/")
    for url in ["/", "/children/", "/overview/", "/organisations/policies/", "/organisations/policies/901/"]:
        assert client.get(url).status_code == 302
    assert client.get(reverse("sign-in")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200


def test_inactive_users_see_nothing(world):
    region, *_ = world
    user = region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    user.is_active = False
    user.save()
    assert not access.children_visible_to(user).exists()


def test_missing_and_forbidden_children_give_the_same_404(client, world):
    region, own, sister_la, other = world
    client.force_login(region.staff[("901", Role.LA_SOCIAL_WORKER)])
    missing = client.get("/children/999999/")
    forbidden = client.get(f"/children/{other.pk}/")
    assert missing.status_code == forbidden.status_code == 404
    def strip_token(body: bytes) -> bytes:
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)

    assert strip_token(missing.content) == strip_token(forbidden.content)
