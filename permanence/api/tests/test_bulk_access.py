"""Issue 15: bulk access through the API is an export, and every API list, search and event read is logged.

- `page_size` above the default page (50) needs the export permission (access.can_list_in_bulk), on every list
  endpoint, through the one pagination class; paging at the default size stays open and each page is logged.
- A list writes a RecordView row with the list's name, its filters and the row count; a search term is kept
  only as a keyed hash (core.audit.keyed_hash), never in clear, and never in the row's path.
"""

import json
from datetime import date

import pytest
from django.urls import reverse

from permanence import access
from permanence.api.pagination import Pagination
from permanence.api.tests.conftest import token_client
from permanence.api.urls import router
from permanence.core import audit
from permanence.core.models import ExportLog, RecordView
from permanence.organisations.models import Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY, each_case

REFUSAL = {"errors": [{"field": None, "code": "permission_denied",
                       "message": "Listing more than 50 records at once needs permission to export. "
                                  "Ask your team manager."}]}
NOT_EXPORTERS = [("NR", Role.RAA_FAMILY_FINDER), ("NR", Role.PANEL_ADVISER), ("NR", Role.AGENCY_DECISION_MAKER),
                 ("NR", Role.RAA_SUPPORT_WORKER)]


@pytest.fixture
def world(region):
    own = region.child(region.la, first_name="Ownchild", last_name="Searchable",
                       events=[*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 4))])
    keeps = region.child(region.la_keeps, first_name="Keepchild", events=PLACEMENT_ORDER_JOURNEY)
    return region, own, keeps


def list_urls(child) -> list[str]:
    """Every list endpoint of the router (the nested ones for the world's child or made-up ids: the rule
    is checked before anything is looked up only when the record is visible, so those may be a 404)."""
    urls = []
    for prefix, viewset, basename in router.registry:
        if not hasattr(viewset, "list"):
            continue
        kwargs = {}
        if "child_pk" in prefix:
            kwargs["child_pk"] = child.pk
        elif "(?P<" in prefix:
            continue  # the other nested event lists: the same class (journey_events), tested through the child's
        urls.append(reverse(f"api:{basename}-list", kwargs=kwargs))
    return urls


def test_every_list_endpoint_pages_through_the_one_pagination_class():
    listed = [(basename, viewset) for _prefix, viewset, basename in router.registry if hasattr(viewset, "list")]
    assert len(listed) >= 15
    for basename, viewset in listed:
        assert viewset.pagination_class is not None and issubclass(viewset.pagination_class, Pagination), basename


def test_more_than_a_page_at_once_needs_the_export_permission(world):
    def check(code, role):
        region, own, _keeps = world
        user = region.staff[(code, role)]
        assert not access.can_list_in_bulk(user)
        api = token_client(user)
        refused = 0
        for url in list_urls(own):
            response = api.get(url, {"page_size": 51, "include_closed": "true"})
            assert response.status_code in (403, 404), url  # 404: the role does not see this kind of record at all
            if response.status_code == 403:
                assert response.json() == REFUSAL, url
                refused += 1
            assert api.get(url, {"page_size": 50}).status_code in (200, 404), url
        assert refused >= 1
        if role != Role.RAA_SUPPORT_WORKER:
            assert api.get(reverse("api:child-list"), {"page_size": 500, "include_closed": "true"}).json() == REFUSAL
        else:
            assert api.get(reverse("api:support-case-list"), {"page_size": 500}).json() == REFUSAL

    each_case(NOT_EXPORTERS, check)


def test_exporters_may_list_in_bulk_and_every_page_walked_is_logged(world):
    region, own, keeps = world
    manager = token_client(region.staff[("NR", Role.RAA_TEAM_MANAGER)])
    big = manager.get(reverse("api:child-list"), {"page_size": 500, "include_closed": "true"})
    assert big.status_code == 200 and big.json()["count"] == 2
    finder = region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    api = token_client(finder)
    before = RecordView.objects.filter(viewer=finder).count()
    for page in (1, 2):
        assert api.get(reverse("api:child-list"), {"page_size": 1, "page": page}).status_code == 200
    rows = list(RecordView.objects.filter(viewer=finder).order_by("id"))[before:]
    assert [(r.what, r.filters.get("page"), r.row_count, r.path) for r in rows] == [
        ("api:child-list", 1, 2, "/api/v1/children/"), ("api:child-list", 2, 2, "/api/v1/children/")]


def test_a_search_is_logged_with_the_term_hashed(world, settings):
    region, own, keeps = world
    finder = region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    api = token_client(finder)
    response = api.get(reverse("api:child-list"), {"q": "Searchable", "la": "901"})
    assert [c["first_name"] for c in response.json()["results"]] == ["Ownchild"]
    row = RecordView.objects.filter(viewer=finder, what="api:child-list").latest("id")
    assert row.row_count == 1 and row.path == "/api/v1/children/"
    assert row.filters == {"q": audit.keyed_hash("Searchable"), "la": "901", "page": 1}
    # An auditor finds it by hashing the name (however it was typed); the log holds no name.
    assert row.filters["q"] == audit.keyed_hash("  searchable ") and row.filters["q"].startswith("hmac:")
    assert "searchable" not in json.dumps(row.filters).lower() and "searchable" not in row.path.lower()
    # The key is the installation's secret: without it the hash cannot be recomputed from a list of names.
    settings.SECRET_KEY = "another-secret"  # noqa: S105 - a test value
    assert audit.keyed_hash("Searchable") != row.filters["q"]


def test_reading_one_journey_event_is_logged(world):
    region, own, _keeps = world
    finder = region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    event = own.events.first()
    response = token_client(finder).get(reverse("api:child-event-detail", args=[own.pk, event.pk]))
    assert response.status_code == 200
    row = RecordView.objects.filter(viewer=finder).latest("id")
    assert (row.object_type, row.object_id, row.child_id) == ("children.child", str(own.pk), own.pk)
    assert row.path == f"/api/v1/children/{own.pk}/events/{event.pk}/"


def test_a_refused_bulk_list_logs_nothing_and_shows_nothing(world):
    region, own, _keeps = world
    finder = region.staff[("NR", Role.RAA_FAMILY_FINDER)]
    before = RecordView.objects.count()
    response = token_client(finder).get(reverse("api:child-list"), {"page_size": 500})
    assert response.status_code == 403 and b"Ownchild" not in response.content
    assert RecordView.objects.count() == before


def test_the_export_log_keeps_no_search_term(client, world):
    region, own, _keeps = world
    manager = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    client.force_login(manager)
    response = client.get(reverse("children:export-csv"), {"q": "Searchable", "include_closed": "on"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    log = ExportLog.objects.filter(user=manager).latest("id")
    assert log.path == "/children/export.csv"
    assert "searchable" not in json.dumps(log.filters).lower()
    assert audit.keyed_hash("Searchable") in json.dumps(log.filters)
