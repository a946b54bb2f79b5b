"""permanence.core.sorting: the order a list's column headers ask for, from the query string, whitelisted."""

import pytest
from django.db.models import F
from django.test import RequestFactory

from permanence.core import sorting

COLUMNS = {"name": ("last_name", "first_name"), "due": ("next_due_date",), "opened": ("opened_on", "-due_on")}


def _sorting(query: str, default="name"):
    return sorting.sorting_for(RequestFactory().get(f"/list/?{query}"), COLUMNS, default=default)


def test_the_default_order_with_nulls_last_and_the_pk_breaking_ties():
    s = _sorting("")
    assert (s.key, s.direction) == ("name", "ascending")
    assert s.order_by == (F("last_name").asc(nulls_last=True), F("first_name").asc(nulls_last=True), "pk")
    assert s.columns["name"].aria_sort == "ascending" and s.columns["due"].aria_sort == "none"


def test_a_descending_default():
    s = _sorting("", default="-due")
    assert s.order_by == (F("next_due_date").desc(nulls_last=True), "-pk")
    assert s.columns["due"].aria_sort == "descending"


def test_a_column_asked_for_descending_keeps_its_nulls_last():
    s = _sorting("sort=due&order=descending")
    assert s.order_by == (F("next_due_date").desc(nulls_last=True), "-pk")
    assert s.columns["due"].aria_sort == "descending" and s.columns["name"].aria_sort == "none"


@pytest.mark.parametrize("query", ["sort=password", "sort=pk&order=descending", "sort=__class__", "sort=", "sort=%00",
                                   "order=descending", "sort=name;drop", "sort=NAME"])
def test_a_key_off_the_whitelist_gives_the_default(query):
    s = _sorting(query)
    assert (s.key, s.direction) == ("name", "ascending")


def test_an_unknown_order_is_ascending():
    assert _sorting("sort=due&order=sideways").direction == "ascending"


def test_the_header_links_keep_the_filters_drop_the_page_and_turn_the_column_in_use():
    s = _sorting("q=Smith&la=801&page=3&sort=due&order=ascending")
    due, name = s.columns["due"].url, s.columns["name"].url
    assert due.startswith("?") and "q=Smith" in due and "la=801" in due and "page" not in due
    assert "sort=due" in due and "order=descending" in due
    assert "sort=name" in name and "order=ascending" in name and "q=Smith" in name


def test_a_default_that_is_not_a_column_is_a_programming_error():
    with pytest.raises(ValueError):
        _sorting("", default="nothing")


def test_a_part_written_minus_sorts_against_its_column():
    assert _sorting("sort=opened").order_by == (F("opened_on").asc(nulls_last=True),
                                                F("due_on").desc(nulls_last=True), "pk")
    assert _sorting("sort=opened&order=descending").order_by == (
        F("opened_on").desc(nulls_last=True), F("due_on").asc(nulls_last=True), "-pk")
