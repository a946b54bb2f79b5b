"""'Most urgent first' means it on every database: due dates ascending, the soonest (most overdue) first, and rows
with nothing due after every dated row – SQLite sorts an empty date first and PostgreSQL last, so each list says
where empty dates go (issue 14). The same rows in the same order on both databases."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from permanence.adopters.models import Household
from permanence.api.tests.conftest import make_household
from permanence.children.models import Child
from permanence.organisations.models import Role


def _names_in_order(html: str, names) -> list[str]:
    found = sorted((html.find(name), name) for name in names if name in html)
    return [name for _pos, name in found]


@pytest.mark.django_db
def test_the_caseload_puts_nothing_due_last(client, region):
    user = region.user(Role.LA_SOCIAL_WORKER)
    today = date(2026, 6, 1)  # ordering does not depend on the day
    dues = {"Nodueone": None, "Latedue": today - timedelta(days=40), "Soondue": today + timedelta(days=3),
            "Nodueand": None, "Laterdue": today + timedelta(days=90), "Mostlate": today - timedelta(days=400)}
    for name, due in dues.items():
        child = region.child(region.la, first_name=name, la_social_worker=user)
        Child.objects.filter(pk=child.pk).update(next_due_date=due)
    client.force_login(user)
    html = client.get(reverse("caseload")).content.decode()
    order = _names_in_order(html, dues)
    assert order[:4] == ["Mostlate", "Latedue", "Soondue", "Laterdue"]
    assert sorted(order[4:]) == ["Nodueand", "Nodueone"]


@pytest.mark.django_db
def test_the_adopters_list_puts_nothing_due_last(client, region):
    today = date(2026, 6, 1)  # ordering does not depend on the day
    dues = {"Undatedfamily": None, "Overduefamily": today - timedelta(days=10),
            "Comingfamily": today + timedelta(days=5), "Blankfamily": None}
    for name, due in dues.items():
        household = make_household(region.raa, name)
        Household.objects.filter(pk=household.pk).update(next_due_date=due)
    client.force_login(region.user(Role.RAA_TEAM_MANAGER))
    html = client.get(reverse("adopters:pipeline")).content.decode()
    order = _names_in_order(html, dues)
    assert order[:2] == ["Overduefamily", "Comingfamily"]
    assert sorted(order[2:]) == ["Blankfamily", "Undatedfamily"]
