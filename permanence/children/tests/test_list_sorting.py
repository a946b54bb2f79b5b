"""The children list and the caseload sort by their columns (issue 14): each key both ways, nulls last, ties by
pk, bad keys ignored, paging keeps the order, the query count the same whatever the order."""

from datetime import date

import pytest
from django.urls import reverse

from permanence.children import rules
from permanence.children import views as child_views
from permanence.core.tests.sorting_checks import check_list_sorts
from permanence.organisations.models import Role
from permanence.testing import PLACEMENT_ORDER_JOURNEY

STAGES = {s.value: i for i, s in enumerate(rules.STAGE_ORDER)}
SORTS = {
    "child": lambda c: (c.last_name, c.first_name),
    "la": lambda c: c.la.name,
    "stage": lambda c: STAGES[c.stage],
    "case_holder": lambda c: c.case_holder.name if c.case_holder else None,
    "next_due": lambda c: c.next_due_date,
}


def _children(region, finder=None):
    journeys = [
        (),
        [("entered_care", date(2024, 1, 10))],
        PLACEMENT_ORDER_JOURNEY[:2],
        PLACEMENT_ORDER_JOURNEY,
        [*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 2))],
        [("entered_care", date(2024, 3, 10))],
    ]
    names = ["Zephyr", "Adams", "Moss", "Adams", "Brook", "Moss"]
    for n, (journey, last) in enumerate(zip(journeys, names, strict=True)):
        region.child(la=region.la if n % 2 else region.la_keeps, last_name=last, first_name=f"Kid{n % 3}",
                     events=journey, family_finder=finder if finder and n % 3 else None)


@pytest.mark.django_db
def test_the_children_list_sorts_by_each_column(client, region):
    _children(region)
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    check_list_sorts(client, reverse("children:list"), SORTS, lambda ctx: ctx["children"], default="child",
                     export_url=reverse("children:export-csv"))


@pytest.mark.django_db
def test_the_caseload_sorts_by_each_column(client, region):
    finder = region.user(Role.RAA_FAMILY_FINDER)
    _children(region, finder)
    client.force_login(finder)
    check_list_sorts(client, reverse("caseload"), SORTS, lambda ctx: ctx["children"], default="next_due")


@pytest.mark.django_db
def test_paging_keeps_the_order_and_the_filters(client, region, monkeypatch):
    _children(region)
    monkeypatch.setattr(child_views, "PAGE_SIZE", 2)
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    url = reverse("children:list")
    query = {"sort": "stage", "order": "descending", "la": region.la.code}
    pages = [client.get(url, query | {"page": n}) for n in (1, 2)]
    rows = [c for p in pages for c in p.context["children"]]
    assert {c.la for c in rows} == {region.la}
    assert [STAGES[c.stage] for c in rows] == sorted((STAGES[c.stage] for c in rows), reverse=True)
    body = pages[0].content.decode()
    # The next page's link keeps the sort and the filter; a header's link keeps the filter and starts again.
    assert "page=2" in body and "sort=stage" in body and "order=descending" in body
    header = pages[1].context["sorting"].columns["child"].url
    assert "la=901" in header and "page" not in header and "order=ascending" in header
    this_column = pages[1].context["sorting"].columns["stage"].url
    assert "order=ascending" in this_column  # the column in use turns the other way
