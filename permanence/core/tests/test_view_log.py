"""The view and export logs for lists, searches and files (issue 15): what a page's list writes (its name, its
filters with the search term as a keyed hash, the row count), and the SSDA903 export's row in the export log."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from permanence.core import audit
from permanence.core.models import AppendOnlyError, ExportLog, RecordView
from permanence.organisations.models import Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def children(region):
    return [region.child(region.la, first_name="Wrenna", last_name="Quillfeather", events=PLACEMENT_ORDER_JOURNEY),
            region.child(region.la_keeps, first_name="Other", events=PLACEMENT_ORDER_JOURNEY)]


def test_a_page_search_is_logged_with_the_row_count_and_the_term_hashed(client, region, children):
    finder = region.user(Role.RAA_FAMILY_FINDER)
    client.force_login(finder)
    response = client.get(reverse("children:list"), {"q": "Quillfeather", "la": "901"})
    assert response.status_code == 200 and b"Wrenna" in response.content
    row = RecordView.objects.filter(viewer=finder).latest("id")
    assert (row.what, row.row_count, row.path) == ("children:list", 1, "/children/")
    assert row.filters == {"q": audit.keyed_hash("quillfeather"), "la": "901"}
    assert "quillfeather" not in json.dumps(row.filters).lower()
    assert "listed children:list (1 rows)" in str(row)


def test_a_filter_with_a_nul_character_is_logged_without_it(client, region, children):
    """PostgreSQL's JSON holds no NUL: a filter typed with one is logged without it (the page did 500 there)."""
    manager = region.user(Role.RAA_TEAM_MANAGER)
    client.force_login(manager)
    response = client.get(reverse("children:list"), {"la": "90\x001", "stage": "a\x00b"})
    assert response.status_code == 200
    row = RecordView.objects.filter(viewer=manager).latest("id")
    assert row.filters == {"la": "901", "stage": "ab"}
    log = exports_log(manager, {"round": "a\x00b", "a\x00key": 1})
    assert log.filters == {"round": "ab", "akey": 1}
    # A NUL in a search parameter's name does not take the term out of the hash.
    assert audit.safe_filters({"q\x00": "Quillfeather"}) == {"q": audit.keyed_hash("quillfeather")}


def exports_log(user, filters) -> ExportLog:
    from permanence.core import exports

    return exports.log_export(user=user, what="children", fmt="csv", row_count=1, filters=filters, path="/x/")


def test_the_view_log_stays_append_only(client, region, children):
    finder = region.user(Role.RAA_FAMILY_FINDER)
    client.force_login(finder)
    client.get(reverse("children:list"))
    with pytest.raises(AppendOnlyError):
        RecordView.objects.filter(viewer=finder).update(row_count=0)


def test_an_ssda903_export_is_in_the_export_log(client, region, children):
    officer = region.staff[("NR", Role.DATA_OFFICER)]
    client.force_login(officer)
    response = client.get(reverse("interchange:export"), {"la": "901", "year": "2024"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    log = ExportLog.objects.get(user=officer, what="ssda903.export")
    assert log.filters == {"la": "901", "years": [2024]} and log.path == "/ssda903/export/"
    assert (log.object_type, log.format) == ("organisations.organisation", "csv")


def test_keyed_hash_ignores_case_and_spacing_only():
    assert audit.keyed_hash(" Wrenna  Quillfeather ") == audit.keyed_hash("wrenna quillfeather")
    assert audit.keyed_hash("Wrenna") != audit.keyed_hash("Wrenna Quillfeather")
    assert audit.keyed_hash(str(date(2024, 1, 1))).startswith("hmac:")
