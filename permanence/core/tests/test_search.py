"""Search (issue 14 item 4): every word must match a field, in any order, any case, any part of a word; a
reference, an LA ID or a date of birth finds its record; results are scoped like every list; the search is in
the view log with the term hashed."""

import json
from datetime import date

import pytest
from django.urls import reverse

from permanence.adopters.tests.conftest import make_household
from permanence.core import audit, search
from permanence.core.models import RecordView
from permanence.organisations.models import Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(region):
    household = make_household(region.raa, "Keble")
    household.applicants.update(first_name="Grace", last_name="Keble")
    child = region.child(region.la, first_name="Wilhelmina", last_name="Quartermaine", dob=date(2023, 3, 27),
                         events=PLACEMENT_ORDER_JOURNEY)
    theirs = region.child(region.other_la, first_name="Wilhelmina", last_name="Southerner",
                          events=PLACEMENT_ORDER_JOURNEY)
    return household, child, theirs


@pytest.mark.parametrize("typed", ["Grace Keble", "keble grace", "GRA keb", "  grace   KEBLE  "])
def test_a_household_is_found_by_any_order_case_and_part_of_its_members_names(client, region, records, typed):
    household, _child, _theirs = records
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    page = client.get(reverse("search"), {"q": typed}).content.decode()
    assert reverse("adopters:household-detail", args=[household.pk]) in page
    # The pipeline's own search box uses the same rule.
    pipeline = client.get(reverse("adopters:pipeline"), {"q": typed, "include_closed": "on"}).content.decode()
    assert reverse("adopters:household-detail", args=[household.pk]) in pipeline


@pytest.mark.parametrize("typed", ["wilhel quarter", "Quartermaine", "27/3/2023", "2023-03-27", "27.03.2023"])
def test_a_child_is_found_by_name_parts_or_date_of_birth(client, region, records, typed):
    _household, child, _theirs = records
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    page = client.get(reverse("search"), {"q": typed}).content.decode()
    assert reverse("children:detail", args=[child.pk]) in page


def test_a_child_is_found_by_its_references(client, region, records):
    _household, child, _theirs = records
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    for typed in (child.reference, child.reference.lower(), child.la_child_id):
        assert reverse("children:detail", args=[child.pk]) in client.get(reverse("search"), {"q": typed}).content.decode()


def test_results_are_scoped_like_every_list_and_a_word_that_matches_nothing_finds_nothing(client, region, records):
    household, child, theirs = records
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    page = client.get(reverse("search"), {"q": "wilhelmina"}).content.decode()
    assert reverse("children:detail", args=[child.pk]) in page
    assert reverse("children:detail", args=[theirs.pk]) not in page and "Southerner" not in page  # another RAA's
    nothing = client.get(reverse("search"), {"q": "grace nosuchword"}).content.decode()
    assert "Nothing you can see matches" in nothing and "Keble" not in nothing.split('id="result-count"')[1]
    client.force_login(region.user(Role.LA_SOCIAL_WORKER))  # an LA sees its children, not the RAA's households
    la_page = client.get(reverse("search"), {"q": "grace keble"}).content.decode()
    assert reverse("adopters:household-detail", args=[household.pk]) not in la_page


def test_the_search_is_logged_with_the_term_hashed_and_the_page_has_an_empty_state(client, region, records):
    manager = region.user(Role.RAA_TEAM_MANAGER)
    client.force_login(manager)
    first = client.get(reverse("search")).content.decode()
    assert 'id="q"' in first and 'id="result-count"' not in first
    assert not RecordView.objects.filter(what="search").exists()  # nothing searched, nothing shown
    client.get(reverse("search"), {"q": "Grace Keble"})
    row = RecordView.objects.get(what="search")
    assert row.filters == {"q": audit.keyed_hash("grace keble")} and row.row_count == 1
    assert "keble" not in json.dumps(row.filters).lower() and "keble" not in row.path.lower()


def test_board_members_have_nothing_to_search(client, region, records):
    client.force_login(region.user(Role.BOARD_MEMBER))
    page = client.get(reverse("search"), {"q": "grace"}).content.decode()
    assert "nothing to search" in page and "Keble" not in page


def test_words_are_bounded_and_all_must_match():
    assert search.words("a " * 50) == ["a"] * search.MAX_WORDS
    assert search.words("x" * 500) == ["x" * search.MAX_WORD]
    assert search.words("a\x00b") == ["ab"]
    assert search.as_date("31/2/2024") is None and search.as_date("1/2/2024") == date(2024, 2, 1)
    assert search.reference("P000123", "P") == 123 and search.reference("123", "P") is None
    assert search.reference("Pat", "P") is None


def test_every_role_finds_only_what_it_may_open(client, region, records):
    """Every role of an RAA and an LA: each result it is shown opens for it (a search never lists a record the
    user would get a 404 on)."""
    import re

    from permanence.organisations.models import ROLE_ORGANISATION_KINDS

    for code in ("NR", "SR", "901"):
        for role, kinds in ROLE_ORGANISATION_KINDS.items():
            if ("raa" if code in ("NR", "SR") else "la") not in kinds:
                continue
            client.force_login(region.staff[(code, role)])
            page = client.get(reverse("search"), {"q": "wilhelmina"})
            assert page.status_code == 200
            links = re.findall(r'<li><a class="govuk-link" href="([^"]+)"', page.content.decode())
            for link in links:
                assert client.get(link).status_code == 200, (code, role, link)


def test_the_navigation_leads_to_search_for_those_with_records(region):
    from django.test import RequestFactory

    from permanence.navigation import navigation

    for role, shown in ((Role.RAA_TEAM_MANAGER, True), (Role.LA_SOCIAL_WORKER, True), (Role.BOARD_MEMBER, False)):
        request = RequestFactory().get("/")
        request.user = region.user(role)
        assert (reverse("search") in [i["url"] for i in navigation(request)["nav_items"]]) is shown, role
