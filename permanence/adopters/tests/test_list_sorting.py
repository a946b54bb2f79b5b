"""The adopters' pipeline sorts by its columns (issue 14): each key both ways, nulls last, ties by pk, bad keys
ignored, paging keeps the order, the same query count whatever the order."""

from datetime import date

import pytest
from django.urls import reverse

from permanence.adopters import rules, services
from permanence.adopters import views as adopter_views
from permanence.adopters.tests.conftest import TO_STAGE_2, make_household
from permanence.core.tests.sorting_checks import check_list_sorts
from permanence.organisations.models import Role

STAGES = {s.value: i for i, s in enumerate(rules.STAGE_LABELS)}
SORTS = {
    "household": lambda h: h.name,
    "stage": lambda h: STAGES[h.stage],
    "next_due": lambda h: (h.next_due_date, h.name) if h.next_due_date else None,
    "target_panel": lambda h: h.target_panel_date,
    "worker": lambda h: ((h.assessing_social_worker.last_name, h.assessing_social_worker.first_name)
                         if h.assessing_social_worker else None),
}


def _households(region):
    worker = region.user(Role.RAA_ASSESSING_SOCIAL_WORKER)
    for n, (name, events) in enumerate([("Oak", ()), ("Birch", TO_STAGE_2), ("Ash", TO_STAGE_2[:1]),
                                        ("Birch", TO_STAGE_2[:2]), ("Elm", TO_STAGE_2)]):
        h = make_household(region.raa, name, roi=date(2025, 1, 6 + n), events=events)
        if n % 2:
            h.assessing_social_worker = worker
            h.save(update_fields=["assessing_social_worker"])
        if n in (1, 4):
            services.set_target_panel_date(actor=None, household=h, target=date(2025, 8, 1 + n))


@pytest.mark.django_db
def test_the_pipeline_sorts_by_each_column(client, region, today):
    _households(region)
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    check_list_sorts(client, reverse("adopters:pipeline"), SORTS, lambda ctx: [r["h"] for r in ctx["rows"]],
                     default="next_due", export_url=reverse("adopters:pipeline-export-csv"))


@pytest.mark.django_db
def test_paging_keeps_the_order(client, region, today, monkeypatch):
    _households(region)
    monkeypatch.setattr(adopter_views, "PAGE_SIZE", 2)
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    query = {"sort": "household", "order": "descending"}
    rows = [r["h"] for n in (1, 2, 3) for r in client.get(reverse("adopters:pipeline"), query | {"page": n}).context["rows"]]
    assert len(rows) == 5
    assert [(h.name, h.pk) for h in rows] == sorted(((h.name, h.pk) for h in rows), reverse=True)
