"""The list of SSDA903 imports sorts by its columns (issue 14): each key both ways, nulls last (an import from the
command line has no person), ties by pk, bad keys ignored, the same query count whatever the order."""

import pytest
from django.urls import reverse

from permanence.core.tests.sorting_checks import check_list_sorts
from permanence.interchange import services
from permanence.interchange.tests.helpers import TODAY, files_903, kids

SORTS = {
    "when": lambda b: b.created_at,
    "la": lambda b: b.la.name,
    "by": lambda b: (b.actor.last_name, b.actor.first_name) if b.actor else None,
    "result": lambda b: b.status,
}


@pytest.mark.django_db
def test_the_imports_list_sorts_by_each_column(client, region):
    manager = region.staff[("NR", "raa_team_manager")]
    officer = region.staff[("901", "data_officer")]
    for n, (la, code, actor, dry) in enumerate([(region.la, "901", None, False), (region.la_keeps, "902", manager, True),
                                                (region.la, "901", officer, True), (region.la_keeps, "902", None, True),
                                                (region.la, "901", manager, False)]):
        services.import_903(files=files_903(kids(code=code, count=2, seed=n), [2025]), la=la, actor=actor, on=TODAY,
                            validate=False, dry_run=dry)
    client.force_login(manager)
    check_list_sorts(client, reverse("interchange:imports"), SORTS, lambda ctx: ctx["page"].object_list,
                     default="-when")
    # The LA filter keeps the order asked for.
    body = client.get(reverse("interchange:imports"), {"sort": "by", "order": "descending"}).content.decode()
    assert '<input type="hidden" name="sort" value="by">' in body
    assert '<input type="hidden" name="order" value="descending">' in body
