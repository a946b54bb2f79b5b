"""The support cases list sorts by its columns (issue 14): each key both ways, nulls last, ties by pk, bad keys
ignored, paging keeps the order, the same query count whatever the order."""

from datetime import date

import pytest
from django.urls import reverse

from permanence.core.tests.sorting_checks import check_list_sorts
from permanence.organisations.models import Role
from permanence.support import rules
from permanence.support import views as support_views
from permanence.support.tests.conftest import TO_WAITING, make_case

STAGES = {s.value: i for i, s in enumerate(rules.STAGE_LABELS)}
SORTS = {
    "case": lambda c: c.pk,
    "family": lambda c: c.family_name,
    "referred": lambda c: c.referred_on,
    "stage": lambda c: STAGES[c.stage],
    "worker": lambda c: (c.worker.last_name, c.worker.first_name) if c.worker else None,
    "next_due": lambda c: c.next_due_date,
}


def _cases(region):
    worker = region.user(Role.RAA_SUPPORT_WORKER)
    other = region.user(Role.RAA_TEAM_MANAGER)
    allocated = [*TO_WAITING, ("allocated", date(2025, 6, 5), {"worker": str(worker.pk)})]
    by_other = [*TO_WAITING, ("allocated", date(2025, 6, 6), {"worker": str(other.pk)})]
    for n, (family, steps) in enumerate([("Young family", ()), ("Ash family", TO_WAITING), ("Ash family", allocated),
                                         ("Moor family", by_other), ("Young family", allocated)]):
        make_case(region, family_name=family, referred_on=date(2025, 5, 1 + n % 3), steps=steps)


@pytest.mark.django_db
def test_the_support_cases_list_sorts_by_each_column(client, region, today):
    _cases(region)
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    check_list_sorts(client, reverse("support:cases"), SORTS, lambda ctx: ctx["cases"], default="-referred",
                     export_url=reverse("support:cases-export-csv"))


@pytest.mark.django_db
def test_paging_keeps_the_order(client, region, today, monkeypatch):
    _cases(region)
    monkeypatch.setattr(support_views, "PAGE_SIZE", 2)
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    query = {"sort": "family", "order": "ascending"}
    rows = [c for n in (1, 2, 3) for c in client.get(reverse("support:cases"), query | {"page": n}).context["cases"]]
    assert len(rows) == 5
    assert [(c.family_name, c.pk) for c in rows] == sorted((c.family_name, c.pk) for c in rows)
