"""The "Not allocated" performance surgery (?scope=unallocated): the children with no worker of the organisation's
side allocated (RAA: no family finder; LA: no LA social worker) and, for an RAA, the households with no assessing
social worker – the ones on no team's list. Managers only.

The world of test_surgery.py (every child there has a family finder; only Alfie has an LA social worker) plus
hand-built unallocated children and households, their next-milestone snapshot pinned to fixed dates."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from permanence import access
from permanence.adopters import services as adopter_services
from permanence.core.models import ExportLog
from permanence.organisations.models import Role
from permanence.performance import selectors, services
from permanence.performance.tests.test_surgery import TODAY, D, World, date_post, names, pin, team_rows
from permanence.testing import PLACEMENT_ORDER_JOURNEY

URL = "/performance/surgery/"


class Unallocated(World):
    def __init__(self, region):
        super().__init__(region)
        la, raa = region.la, region.raa

        def child(name, due, la=la, **kw):
            c = region.child(la, first_name=name, last_name="Nobody", events=PLACEMENT_ORDER_JOURNEY, **kw)
            return pin(c, due, f"{name}'s milestone")

        self.u1 = child("Uma", TODAY - D(4), la_social_worker=self.sw)  # no family finder, overdue
        self.u2 = child("Ugo", TODAY + D(5), la=region.la_keeps)         # no worker at all, 902
        self.u3 = child("Una", TODAY + D(40))                            # beyond the horizon
        self.u4 = child("Uri", TODAY - D(8), la=region.other_la)         # another RAA's LA
        self.u5 = child("Ulla", TODAY - D(2), family_finder=self.ff1)    # a family finder, but no LA worker
        self.h3 = self.loose_household("Orphan", raa, TODAY - D(6))
        self.h4 = self.loose_household("Later", raa, TODAY + D(30))
        self.h5 = self.loose_household("Southern", region.other_raa, TODAY - D(3))

    def loose_household(self, name, raa, due):
        h = adopter_services.register_interest(
            actor=None, raa=raa, name=name, applicants=[{"first_name": "Jo", "last_name": name}],
            roi_date=TODAY - D(120))
        return pin(h, due, f"{name}'s milestone")


@pytest.fixture
def world(region, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    return Unallocated(region)


def unallocated_rows(user, org, days=14):
    rows = selectors.surgery_rows(user, selectors.SurgeryScope(org, unallocated=True), today=TODAY,
                                  horizon_days=days)
    return selectors.attach_actions(rows, user)


def row_keys(body: str) -> list[str]:
    return re.findall(r'data-row="((?:child|household)-\d+)"', body)


def test_the_raa_list_has_the_children_and_households_with_no_worker(world):
    rows = unallocated_rows(world.tm, world.region.raa)
    # Children waiting for a family before adopters' assessments (performance.rules.surgery), however overdue the
    # household; within each kind, overdue first (most overdue at the top), then soonest due.
    assert names(rows) == ["Uma", "Ugo", "Orphan"]
    uma, ugo, orphan = rows
    assert uma.worker is None and uma.overdue and uma.days_overdue == 4 and uma.due_label == "Uma's milestone"
    assert orphan.household == world.h3 and orphan.worker is None and orphan.days_overdue == 6
    assert ugo.days_to_go == 5 and not ugo.overdue
    summary = selectors.summarise(rows)
    assert (summary.items, summary.overdue, summary.due) == (3, 2, 1)
    # A wider horizon brings in the later ones; another RAA's children and households never show.
    assert names(unallocated_rows(world.tm, world.region.raa, days=45)) == ["Uma", "Ugo", "Una", "Orphan", "Later"]
    # The head of service sees the same list.
    assert names(unallocated_rows(world.hos, world.region.raa)) == ["Uma", "Ugo", "Orphan"]


def test_unallocated_items_are_on_no_teams_list_and_allocated_ones_not_on_this_one(world):
    unallocated = {r.key for r in unallocated_rows(world.tm, world.region.raa, days=90)}
    for c in (world.a, world.b, world.c, world.e, world.g, world.u5):  # each has a family finder
        assert f"child-{c.pk}" not in unallocated
    for h in (world.h1, world.h2):  # each has an assessing social worker
        assert f"household-{h.pk}" not in unallocated
    for team in (world.ff_team, world.as_team):
        keys = {r.key for r in team_rows(world, team=team, days=90)}
        assert not keys & {f"child-{world.u1.pk}", f"child-{world.u2.pk}", f"household-{world.h3.pk}"}, team


def test_an_open_action_keeps_an_unallocated_child_on_the_list(world):
    action = world.agree(world.u3, owner=world.ff2, text="Allocate a family finder", due_by=TODAY + D(3))
    rows = unallocated_rows(world.tm, world.region.raa)
    assert names(rows) == ["Uma", "Ugo", "Una", "Orphan"]
    una = rows[2]
    assert una.latest == action and una.open_actions == 1 and una.due_date == TODAY + D(40)
    # Once a family finder is allocated the child leaves this list (and joins its team's).
    pin(world.u3, TODAY + D(40), family_finder=world.ff2)
    assert "Una" not in names(unallocated_rows(world.tm, world.region.raa))
    assert "Una" in names(team_rows(world))
    # An open action owned by a worker does not bring an allocated child onto the unallocated list.
    world.agree(world.d, owner=world.ff2, text="Cover the visit")
    assert "Dot" not in names(unallocated_rows(world.tm, world.region.raa))


def test_the_la_list_has_its_own_children_with_no_la_social_worker_and_no_households(world):
    rows = unallocated_rows(world.la_tm, world.region.la)
    assert names(rows) == ["Ulla", "Eli", "Gus", "Bea", "Cal"]  # 901's, no LA social worker, within 14 days
    assert all(r.child is not None and r.child.la == world.region.la and r.worker is None for r in rows)
    keys = {r.key for r in unallocated_rows(world.la_tm, world.region.la, days=90)}
    assert f"child-{world.a.pk}" not in keys and f"child-{world.u1.pk}" not in keys  # they have an LA worker
    assert f"child-{world.u2.pk}" not in keys and f"child-{world.u4.pk}" not in keys  # other LAs' children
    assert not any(k.startswith("household-") for k in keys)


def test_the_raa_managers_page(client, world):
    world.agree(world.u1, owner=world.ff1, text="Find a family finder", due_by=TODAY - D(1), agreed_on=TODAY - D(14))
    client.force_login(world.tm)
    body = client.get(URL).content.decode()  # the choice is offered
    assert '<option value="unallocated">Not allocated (no family finder or assessing social worker)</option>' in body
    body = client.get(f"{URL}?scope=unallocated").content.decode()
    assert row_keys(body) == [f"child-{world.u1.pk}", f"child-{world.u2.pk}", f"household-{world.h3.pk}"]
    assert '<option value="unallocated" selected>' in body and 'id="unallocated-note"' in body
    assert 'id="scope-heading">Not allocated<' in body
    uma = body.split(f'data-row="child-{world.u1.pk}"')[1].split("</tr>")[0]
    assert "Overdue by 4 days" in uma and "Not allocated" in uma and "Find a family finder" in uma
    assert "Action overdue" in uma and "Record action" in uma and "Mark done" in uma
    orphan = body.split(f'data-row="household-{world.h3.pk}"')[1].split("</tr>")[0]
    assert f"/performance/surgery/households/{world.h3.pk}/action/" in orphan and "Record action" in orphan
    assert 'data-figure="overdue">2<' in body and 'data-figure="actions-overdue">1<' in body
    assert "Print the agenda" in body and "scope=unallocated" in body
    # Recording an action from the list comes back to it.
    back = f"{URL}?scope=unallocated"
    url = f"/performance/surgery/children/{world.u2.pk}/action/?next={back}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Allocate a family finder", "owner": world.ff2.pk,
                                 **date_post("due_by", TODAY + D(7)), **date_post("agreed_on", TODAY), "next": back})
    assert response.status_code == 302 and response.url == back
    # Ugo is now due in 5 days but has an open action: still listed with nothing due today.
    assert row_keys(client.get(f"{URL}?scope=unallocated&days=0").content.decode()) == [
        f"child-{world.u1.pk}", f"child-{world.u2.pk}", f"household-{world.h3.pk}"]
    # Nothing due and no open actions: the empty state.
    pin(world.u1, None)
    pin(world.h3, None)
    for c in (world.u1, world.u2):
        for action in c.surgery_actions.all():
            services.withdraw_action(actor=world.tm, action=action, on=TODAY, reason="Allocated", today=TODAY)
    empty = client.get(f"{URL}?scope=unallocated&days=0").content.decode()
    assert row_keys(empty) == [] and "Nothing due today or overdue with no worker allocated" in empty


def test_the_la_managers_page(client, world):
    client.force_login(world.la_tm)
    body = client.get(URL).content.decode()
    assert '<option value="unallocated">Not allocated (no social worker)</option>' in body
    body = client.get(f"{URL}?scope=unallocated").content.decode()
    assert row_keys(body) == [f"child-{c.pk}" for c in (world.u5, world.e, world.g, world.b, world.c)]
    assert "household-" not in body and "Record action" in body


@pytest.mark.parametrize("who", ["ff1", "asw", "sw"])
def test_workers_have_no_unallocated_list(client, world, who):
    worker = getattr(world, who)
    assert not access.can_see_unallocated_surgery(worker)
    client.force_login(worker)
    assert 'value="unallocated"' not in client.get(URL).content.decode()
    for url in (f"{URL}?scope=unallocated", f"{URL}print/?scope=unallocated", f"{URL}agenda.pdf?scope=unallocated"):
        assert client.get(url).status_code == 404, url
    with pytest.raises(ValueError):
        selectors.SurgeryScope(world.region.raa, team=world.ff_team, unallocated=True)


@pytest.mark.parametrize(("code", "role"), [("NR", Role.PANEL_ADVISER), ("NR", Role.BOARD_MEMBER),
                                            ("901", Role.DATA_OFFICER)])
def test_other_roles_have_no_unallocated_list(client, world, code, role):
    client.force_login(world.region.staff[(code, role)])
    assert client.get(f"{URL}?scope=unallocated").status_code == 404


def test_print_and_pdf_agenda(client, world):
    world.agree(world.u1, owner=world.ff1, text="Find a family finder")
    client.force_login(world.tm)
    page = client.get(f"{URL}print/?scope=unallocated")
    body = page.content.decode()
    assert page.status_code == 200 and row_keys(body) == [
        f"child-{world.u1.pk}", f"child-{world.u2.pk}", f"household-{world.h3.pk}"]
    assert "Performance surgery: Not allocated" in body and "with no worker allocated" in body
    assert "Find a family finder" in body and "Agreed today" in body
    response = client.get(f"{URL}agenda.pdf?scope=unallocated&days=28")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "surgery-unallocated" in response["Content-Disposition"]
    logs = list(ExportLog.objects.filter(what="performance.surgery_agenda").order_by("id"))
    assert [(x.format, x.row_count, x.user) for x in logs] == [("print", 3, world.tm), ("pdf", 3, world.tm)]
    assert logs[1].filters == {"unallocated": True, "days": 28, "on": TODAY.isoformat()}


def test_the_unallocated_list_makes_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.tm)
    world.agree(world.u1, owner=world.ff1, text="Find a family finder")
    url = f"{URL}?scope=unallocated&days=30"
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for i in range(25):
        c = pin(world.region.child(world.region.la, first_name=f"Loose{i}"), TODAY + D(i - 10))
        world.agree(c, owner=world.ff1 if i % 2 else world.ff2, text=f"Action {i}")
        if i % 5 == 0:
            services.escalate_action(actor=world.tm, action=c.surgery_actions.get(), to=world.hos, reason="Stuck",
                                     on=TODAY, today=TODAY)
        if i % 3 == 0:
            world.loose_household(f"Loose{i}", world.region.raa, TODAY + D(i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("data-row=") == 38  # Uma, Ugo and 25 more children; Orphan, Later and 9 more households
    for page in (f"{URL}print/?scope=unallocated&days=30", f"{URL}agenda.pdf?scope=unallocated"):
        with django_assert_max_num_queries(25):
            assert client.get(page).status_code == 200
