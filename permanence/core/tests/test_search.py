"""Search (issue 14 item 4): every word must match a field, in any order, any case, any part of a word; a
reference, an LA ID or a date of birth finds its record; results are scoped like every list; the search is in
the view log with the term hashed."""

import json
from datetime import date

import pytest
from django.db import connection
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


# CI runs the suite on both databases, so each of these runs on one of them.
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="close spellings are PostgreSQL's")
on_sqlite = pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's plain search")


@pytest.fixture
def close_records(region, records):
    """Beside Grace Keble's household, one that holds the typed word exactly, to be listed first."""
    household, child, theirs = records
    exact = make_household(region.raa, "Keeble")
    exact.applicants.update(first_name="Ann", last_name="Keeble")
    return household, exact, child, theirs


@on_postgresql
@pytest.mark.parametrize("typed", ["Keeble", "kebble grace", "GRACE KEBBLE"])
def test_on_postgresql_a_close_spelling_finds_the_household_after_those_spelt_as_typed(client, region, close_records,
                                                                                    typed):
    household, exact, _child, _theirs = close_records
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    page = client.get(reverse("search"), {"q": typed}).content.decode()
    close_link = reverse("adopters:household-detail", args=[household.pk])
    assert close_link in page
    close_row = page.split(close_link)[1].split("</li>")[0]
    assert "Close spelling" in close_row
    if typed == "Keeble":  # the household spelt as typed comes first, unmarked
        exact_link = reverse("adopters:household-detail", args=[exact.pk])
        assert page.index(exact_link) < page.index(close_link)
        assert "Close spelling" not in page.split(exact_link)[1].split("</li>")[0]
    # The list's own search box finds the same households, so "See all" counts what it links to.
    pipeline = client.get(reverse("adopters:pipeline"), {"q": typed, "include_closed": "on"}).content.decode()
    assert close_link in pipeline


@on_postgresql
def test_on_postgresql_close_spellings_find_children_are_scoped_and_need_four_letters(client, region, records):
    _household, child, theirs = records
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    page = client.get(reverse("search"), {"q": "wilhelmena quatermaine"}).content.decode()
    assert reverse("children:detail", args=[child.pk]) in page and "Close spelling" in page
    # Another RAA's child is not found by a close spelling either.
    other = client.get(reverse("search"), {"q": "Sutherner"}).content.decode()
    assert reverse("children:detail", args=[theirs.pk]) not in other
    # A word of three letters is matched only as typed: "gr" and "kee" are parts, not spellings.
    assert "Close spelling" not in client.get(reverse("search"), {"q": "kee"}).content.decode()
    # A word spelt nothing like any name still finds nothing.
    assert "Nothing you can see matches" in client.get(reverse("search"), {"q": "Zzyzx"}).content.decode()


@on_postgresql
def test_on_postgresql_the_trigram_indexes_serve_the_queries_django_writes():
    """The search's SQL (icontains's UPPER(field) LIKE and the close spelling's %>) can be answered from the
    UPPER(field) gin_trgm_ops indexes of migration core 0005: the plan names them when sequential scans are off."""
    from permanence.adopters.models import Applicant, Household
    from permanence.children.models import Child
    from permanence.support.models import SupportCase

    cases = [(Child, "first_name"), (Child, "last_name"), (Household, "name"), (Applicant, "first_name"),
             (Applicant, "last_name"), (SupportCase, "family_name"), (SupportCase, "child_name")]
    for model, field in cases:
        for close in (False, True):
            sql, params = model.objects.filter(search.holds(field, "keeble", close=close)).only("pk").order_by().query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert f"{model._meta.db_table}_{field}_trgm" in plan, (model, field, close, plan)


@on_sqlite
def test_on_sqlite_a_misspelling_finds_nothing_and_the_page_says_to_check_it(client, region, records):
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    page = client.get(reverse("search"), {"q": "Keeble"}).content.decode()
    assert "Nothing you can see matches" in page and "Check the spelling" in page
    assert not search.finds_close_spellings()


def test_a_section_counts_every_match_and_shows_the_first_ten(client, region):
    for n in range(12):
        region.child(first_name=f"Sibling{n:02d}", last_name="Manyfold", events=PLACEMENT_ORDER_JOURNEY)
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    page = client.get(reverse("search"), {"q": "manyfold"}).content.decode()
    assert "Children (12)" in page and "See all 12 children" in page and "12 records found" in page
    assert page.count("Manyfold, Transferton") == 10
    assert "Sibling00" in page and "Sibling11" not in page  # by name, the first ten


@pytest.mark.parametrize("typed", ["Grace Keble", "gra", "keble ann", "H1", "nosuchword"])
def test_households_are_found_the_same_by_their_ids_in_scope_or_through_a_subquery(region, close_records, typed,
                                                                                 monkeypatch):
    """A household search looks its applicants up by the ids of the households searched; past SCOPE_IDS_MAX of
    them, through a subquery. Both give the same households."""
    from permanence import access
    from permanence.adopters import selectors as households

    visible = access.households_visible_to(region.user(Role.RAA_TEAM_MANAGER))
    by_ids = set(households.SEARCH.find(visible, typed).values_list("pk", flat=True))
    monkeypatch.setattr(search, "SCOPE_IDS_MAX", 0)
    assert households.SEARCH.ids_of(visible) is None
    assert set(households.SEARCH.find(visible, typed).values_list("pk", flat=True)) == by_ids
    assert set(visible.filter(households.search_q(typed, within=visible)).values_list("pk", flat=True)) == by_ids
