"""The links board sorts by its columns (issue 14): each key both ways, nulls last, ties by pk, bad keys
ignored, the same query count whatever the order; never by the household (another RAA's is shown by reference)."""

from datetime import date

import pytest
from django.urls import reverse

from permanence.core.tests.sorting_checks import check_list_sorts
from permanence.family_finding import rules, services
from permanence.family_finding.tests.conftest import AT_PO, approved_household
from permanence.organisations.models import Role

STAGES = {s.value: i for i, s in enumerate(rules.STAGE_LABELS)}
SORTS = {
    "link": lambda link: link.pk,
    "child": lambda link: (link.child.last_name, link.child.first_name),
    "stage": lambda link: STAGES[link.stage],
    "last_activity": lambda link: link.last_activity_on,
    "next_due": lambda link: (link.activity_due, -link.opened_on.toordinal()) if link.activity_due else None,
}


@pytest.mark.django_db
def test_the_board_sorts_by_each_column(client, world):
    children = [world.child_at_po, world.child(events=AT_PO, first_name="Ash", last_name="Zed"),
                world.child(events=AT_PO, first_name="Bo", last_name="Able")]
    homes = [world.household, world.second, approved_household(world.raa, "Third")]
    for n, (child, home) in enumerate([(c, h) for c in children for h in homes][:6]):
        link = services.open_link(actor=None, child=child, household=home, on=date(2025, 7, 1 + n), check_role=False)
        if n % 2:
            services.record_event(link=link, kind="contact", date=date(2025, 7, 10 + n), actor=None, check_role=False)
        if n == 4:
            services.record_event(link=link, kind="ended", date=date(2025, 8, 1), actor=None, check_role=False,
                                  details={"reason": "adopters_declined", "why": "travel distance"})
    client.force_login(world.user(Role.RAA_TEAM_MANAGER))
    check_list_sorts(client, reverse("family_finding:board"), SORTS, lambda ctx: [r.link for r in ctx["rows"]],
                     default="next_due")
    assert "household" not in client.get(reverse("family_finding:board")).context["sorting"].columns
