"""Stale links on the surgery list: the family finder's own (RAA) or the child's social worker's (LA), the
longest stale first; a fresh link or an ended one is not listed; a link another RAA runs never is."""

from datetime import date

import pytest
from django.urls import reverse

from permanence.family_finding import services
from permanence.family_finding.tests.conftest import AT_PO, approved_household, today, world  # noqa: F401, F811 (fixtures)
from permanence.organisations.models import Role
from permanence.performance import selectors

TODAY = date(2025, 9, 1)  # the family-finding tests' today: links have 28 days without activity before stale


@pytest.fixture
def links(world):  # noqa: F811
    w = world
    ff = w.user(Role.RAA_FAMILY_FINDER)
    w.child_at_po.la_social_worker = w.user(Role.LA_SOCIAL_WORKER)
    w.child_at_po.save(update_fields=["la_social_worker"])
    w.stale = services.open_link(actor=ff, child=w.child_at_po, household=w.household, on=date(2025, 6, 2))
    w.older = services.open_link(actor=ff, child=w.child(events=AT_PO, first_name="Older", family_finder=ff),
                                 household=w.second, on=date(2025, 5, 1))
    w.fresh = services.open_link(actor=ff, child=w.child(events=AT_PO, first_name="Fresh", family_finder=ff),
                                 household=w.household, on=date(2025, 8, 25))
    ended = services.open_link(actor=ff, child=w.child(events=AT_PO, first_name="Ended", family_finder=ff),
                               household=w.second, on=date(2025, 5, 1))
    services.end_link(link=ended, reason="agency_declined", date=date(2025, 5, 2), actor=ff)
    south = approved_household(w.other_raa, "Southby")
    w.theirs = services.open_link(actor=w.user(Role.RAA_FAMILY_FINDER, w.other_raa),
                                  child=w.child(w.other_la, events=AT_PO), household=south, on=date(2025, 5, 1))
    return w


def test_the_family_finders_stale_links_longest_first(links):
    ff = links.user(Role.RAA_FAMILY_FINDER)
    scope = selectors.SurgeryScope(links.raa, worker=ff)
    assert list(selectors.stale_links(ff, scope, today=TODAY)) == [links.older, links.stale]
    manager = links.user(Role.RAA_TEAM_MANAGER)
    other = selectors.SurgeryScope(links.raa, worker=manager)
    assert list(selectors.stale_links(manager, other, today=TODAY)) == []  # not the manager's own links


def test_the_las_surgery_lists_its_social_workers_stale_links(links):
    worker = links.user(Role.LA_SOCIAL_WORKER)
    scope = selectors.SurgeryScope(links.la, worker=worker)
    assert list(selectors.stale_links(worker, scope, today=TODAY)) == [links.stale]


def test_the_surgery_page_shows_them(client, links, monkeypatch):
    from permanence.performance import surgery_views

    monkeypatch.setattr(surgery_views.timezone, "localdate", lambda: TODAY)
    client.force_login(links.user(Role.RAA_FAMILY_FINDER))
    body = client.get(reverse("performance:surgery")).content.decode()
    assert 'id="stale-links"' in body and "2 open links" in body
    assert links.older.reference in body and links.stale.reference in body
    assert links.fresh.reference not in body and links.theirs.reference not in body
