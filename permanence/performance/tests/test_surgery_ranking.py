"""The surgery list's ranking, filters and paging (issue 14 item 3, issue 17 item 4).

What a manager can still change comes first: a child waiting for a family ranks above the later life letter of a
child adopted years ago, however late the letter (performance.rules.surgery). The list is filtered by kind and by
how long overdue, and ordered and paged in the database: the same order on SQLite and PostgreSQL (these tests run
on both), and the same number of queries for 5 items as for 50.

The world of test_surgery.py (every child there is waiting for a family: its stage is "should be placed"), plus
children whose journeys are recorded through the services, so their next milestone is the one the rules give."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from permanence.children import rules as child_rules
from permanence.core.models import ExportLog
from permanence.organisations.models import Role
from permanence.performance import selectors, services
from permanence.performance.rules import surgery as ranking
from permanence.performance.tests.test_surgery import TODAY, D, World, names, pin, team_rows
from permanence.testing import PLACEMENT_ORDER_JOURNEY
from permanence.timescales.rules import add_months

URL = "/performance/surgery/"

# A child adopted on 1 October 2021 whose life story book was handed over; the later life letter never was.
ADOPTED_JOURNEY = [
    ("entered_care", date(2019, 1, 10)), ("identified", date(2019, 2, 1)), ("permanence_plan", date(2019, 5, 2)),
    ("should_be_placed", date(2019, 7, 3)), ("placement_order", date(2019, 9, 2)),
    ("match_decision", date(2019, 11, 4)), ("placed_for_adoption", date(2019, 12, 2)),
    ("adoption_order", date(2021, 10, 1)), ("life_story_book", date(2021, 10, 8)),
]
# A child with a placement order since 2 September 2024 and no match.
WAITING_JOURNEY = [*PLACEMENT_ORDER_JOURNEY, ("placement_order", date(2024, 9, 2))]


class Ranked(World):
    def __init__(self, region):
        super().__init__(region)
        la = region.la
        self.letter = region.child(la, first_name="Lettie", last_name="Adopted", dob=date(2018, 6, 1),
                                   family_finder=self.ff1, events=ADOPTED_JOURNEY)
        self.waiting = region.child(la, first_name="Wren", last_name="Waiting", family_finder=self.ff2,
                                    events=WAITING_JOURNEY)


@pytest.fixture
def world(region, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    return Ranked(region)


def row_keys(body: str) -> list[str]:
    return re.findall(r'data-row="((?:child|household)-\d+)"', body)


def filtered(world, *, kinds=(), ages=(), team=None, days=14):
    scope = selectors.SurgeryScope(world.region.raa, team=team or world.ff_team)
    filters = selectors.SurgeryFilters(kinds=frozenset(kinds), ages=frozenset(ages))
    return selectors.surgery_rows(world.tm, scope, today=TODAY, horizon_days=days, filters=filters)


# ---------------------------------------------------------------------------------------------
# The ranking


def test_a_waiting_child_ranks_above_a_later_life_letter_1500_days_late(world):
    letter, waiting = world.letter, world.waiting
    assert (letter.stage, waiting.stage) == ("adopted", "placement_order")
    assert letter.next_due_label == "Hand the later life letter to the adopters"
    assert waiting.next_due_label == "Match the child with adopters"
    rows = team_rows(world)
    by_name = {r.name: r for r in rows}
    lettie, wren = by_name["Lettie Adopted"], by_name["Wren Waiting"]
    assert lettie.days_overdue > 1500 and lettie.days_overdue > wren.days_overdue > 400
    assert (lettie.item_kind.key, wren.item_kind.key) == ("after_order", "waiting")
    # Every waiting child – the overdue ones and those only due soon – before the letter, which is last.
    assert names(rows) == ["Wren", "Alfie", "Gus", "Bea", "Cal", "Lettie"]
    assert rows[-1] is lettie


def test_the_page_shows_the_order_and_says_why(client, world):
    client.force_login(world.tm)
    body = client.get(URL).content.decode()
    keys = row_keys(body)
    assert keys[0] == f"child-{world.waiting.pk}" and keys[-1] == f"child-{world.letter.pk}"
    assert 'id="ranking"' in body and "Children waiting for a family come first" in body
    assert "paperwork after the adoption order" in body
    lettie = body.split(f'data-row="child-{world.letter.pk}"')[1].split("</tr>")[0]
    assert 'data-kind="after_order"' in body and "After the adoption order" in lettie and "Overdue by 1" in lettie


@pytest.mark.parametrize(("stage", "kind"), [
    ("should_be_placed", "waiting"), ("placement_order", "waiting"), ("linked", "waiting"), ("matched", "waiting"),
    ("new", "plan"), ("tracking", "plan"), ("in_care", "plan"), ("identified", "plan"),
    ("plan_for_adoption", "plan"), ("po_revoked", "plan"), ("plan_changed", "plan"),
    ("placed", "placed"), ("adopted", "after_order"),
])
def test_each_childs_stage_has_its_kind(stage, kind):
    assert ranking.surgery_child_kind(stage).key == kind
    assert ranking.surgery_household_kind().key == "assessment"


def test_every_stage_is_classified_and_the_priorities_are_one_to_five():
    stages = {s.value for s in child_rules.Stage}
    assert ranking.SURGERY_WAITING_STAGES | ranking.SURGERY_PLACED_STAGES | ranking.SURGERY_AFTER_ORDER_STAGES \
        <= stages
    assert [k.priority for k in ranking.SURGERY_KINDS] == [1, 2, 3, 4, 5]
    assert [k.key for k in ranking.SURGERY_KINDS] == ["waiting", "assessment", "plan", "placed", "after_order"]


def test_kinds_rank_by_priority_then_overdue_longest_first(world):
    """One item of each kind (a household on the family-finding team's list through an action owned there), plus a
    second waiting child less overdue: kind first, however overdue the lower kinds are."""
    for c in (world.b, world.c, world.g):
        pin(c, TODAY + D(60))  # beyond the horizon
    plan = pin(world.region.child(world.region.la, first_name="Pip", family_finder=world.ff1), TODAY - D(900),
               stage="plan_for_adoption")
    placed = pin(world.region.child(world.region.la, first_name="Pia", family_finder=world.ff1), TODAY - D(700),
                 stage="placed")
    world.agree(world.h1, owner=world.ff2, text="Cover the home study")  # Hartley, overdue by 2 days
    pin(world.h1, TODAY - D(600), paused=False)
    rows = team_rows(world)
    assert names(rows) == ["Wren", "Alfie", "Hartley", "Pip", "Pia", "Lettie"]
    assert [r.item_kind.priority for r in rows] == [1, 1, 2, 3, 4, 5]
    assert rows[2].household == world.h1 and rows[3].child == plan and rows[4].child == placed


def test_within_a_kind_overdue_then_due_then_paused_then_open_action_only(world):
    world.agree(world.n, text="Book the life story work", due_by=TODAY + D(2))  # nothing due: last of its kind
    rows = [r for r in team_rows(world) if r.item_kind.key == "waiting"]
    assert names(rows) == ["Wren", "Alfie", "Gus", "Bea", "Cal", "Nia"]
    # Households: overdue before paused, whatever the dates.
    households = team_rows(world, team=world.as_team)
    assert names(households) == ["Hartley", "Pauls"] and households[1].paused


def test_ties_break_on_the_name_in_byte_order_then_the_record(world):
    """Same kind, same due date: by name, lower-cased, in byte order on both databases (PostgreSQL's usual
    collations would put "Anna" before "Ann Marie", ignoring the space), then child before household."""
    for first in ("Anna", "Ann Marie", "bob", "Bo"):
        pin(world.region.child(world.region.la, first_name=first, last_name="Tie", family_finder=world.ff1),
            TODAY + D(9))
    tied = [r.name for r in team_rows(world) if r.due_date == TODAY + D(9)]
    assert tied == ["Ann Marie Tie", "Anna Tie", "Bo Tie", "bob Tie"]


# ---------------------------------------------------------------------------------------------
# Filters


def test_filter_by_kind(world):
    assert names(filtered(world, kinds={"after_order"})) == ["Lettie"]
    assert names(filtered(world, kinds={"waiting"})) == ["Wren", "Alfie", "Gus", "Bea", "Cal"]
    assert names(filtered(world, kinds={"waiting", "after_order"})) == ["Wren", "Alfie", "Gus", "Bea", "Cal",
                                                                        "Lettie"]
    assert names(filtered(world, kinds={"assessment"}, team=world.as_team)) == ["Hartley", "Pauls"]
    assert names(filtered(world, kinds={"waiting"}, team=world.as_team)) == []
    with pytest.raises(ValueError, match="Unknown surgery filter"):
        selectors.SurgeryFilters(kinds=frozenset({"everything"}))


@pytest.mark.parametrize(("due", "band"), [
    (TODAY, "not_overdue"),
    (TODAY + D(5), "not_overdue"),
    (TODAY - D(1), "up_to_3_months"),
    (add_months(TODAY, -3), "up_to_3_months"),            # 2 December 2025: exactly 3 months
    (add_months(TODAY, -3) - D(1), "3_to_12_months"),
    (add_months(TODAY, -12), "3_to_12_months"),           # 2 March 2025: exactly a year
    (add_months(TODAY, -12) - D(1), "over_a_year"),
])
def test_filter_by_age_at_the_band_edges(world, due, band):
    pin(world.a, TODAY + D(60))  # beyond the horizon
    child = pin(world.region.child(world.region.la, first_name="Edge", family_finder=world.ff1), due)
    assert ranking.surgery_age_band(due, TODAY).key == band
    for b in ranking.SURGERY_AGE_BANDS:
        listed = "Edge" in names(filtered(world, ages={b.key}))
        assert listed is (b.key == band), b.key
    assert next(r for r in team_rows(world) if r.child == child).age_band.key == band


def test_the_age_bands_of_the_world(world):
    assert names(filtered(world, ages={"over_a_year"})) == ["Wren", "Lettie"]  # 425 and 1,599 days
    assert names(filtered(world, ages={"up_to_3_months"})) == ["Alfie"]
    assert names(filtered(world, ages={"not_overdue"})) == ["Gus", "Bea", "Cal"]
    assert names(filtered(world, ages={"up_to_3_months", "not_overdue"})) == ["Alfie", "Gus", "Bea", "Cal"]
    assert names(filtered(world, kinds={"waiting"}, ages={"over_a_year"})) == ["Wren"]
    # A paused household is not overdue, however old its date.
    assert names(filtered(world, ages={"not_overdue"}, team=world.as_team)) == ["Pauls"]
    assert names(filtered(world, ages={"up_to_3_months"}, team=world.as_team)) == ["Hartley"]
    # Nothing due but an open action: not overdue, last of its kind.
    world.agree(world.n, text="Book the life story work")
    assert names(filtered(world, ages={"not_overdue"})) == ["Gus", "Bea", "Cal", "Nia"]
    scope = selectors.SurgeryScope(world.region.raa, team=world.ff_team)
    assert selectors.surgery_summary(world.tm, scope, today=TODAY).ages["not_overdue"] == 4


def test_the_filters_on_the_page(client, world):
    client.force_login(world.tm)
    body = client.get(f"{URL}?kind=waiting&age=over_a_year").content.decode()
    assert row_keys(body) == [f"child-{world.waiting.pk}"]
    assert 'value="waiting" checked' in body and 'value="over_a_year" checked' in body
    assert 'value="after_order" checked' not in body
    assert ("1 item matches the filters: child waiting for a family, overdue more than a year (6 on the list in all)"
            in body)
    assert "Apply filters" in body and 'id="clear-filters"' in body
    assert f'href="{URL}?scope=team-{world.ff_team.pk}">Clear filters' in body
    # Each option counts its items under the other filter: 1 waiting child and 1 letter over a year overdue.
    assert "Child waiting for a family (1)" in body and "After the adoption order (1)" in body
    assert "Overdue more than a year (1)" in body and "Not overdue (3)" in body
    assert 'data-figure="overdue">1<' in body
    # The agenda links carry the filters.
    assert f"print/?scope=team-{world.ff_team.pk}&amp;kind=waiting&amp;age=over_a_year" in body
    # Without filters: every item, the whole count.
    body = client.get(URL).content.decode()
    assert len(row_keys(body)) == 6 and "6 items on the list." in body and 'id="clear-filters"' not in body
    assert "Child waiting for a family (5)" in body and "Overdue more than a year (2)" in body


def test_empty_state_when_nothing_matches(client, world):
    client.force_login(world.tm)
    body = client.get(f"{URL}?kind=placed").content.decode()
    assert row_keys(body) == [] and 'id="empty"' in body
    assert "No items match the filters: child placed, adoption order to come." in body
    assert "to see all 6 items on the list" in body and "0 items match the filters" in body
    assert 'id="surgery"' not in body


def test_a_value_not_on_the_list_is_an_error_and_ignored(client, world):
    client.force_login(world.tm)
    response = client.get(f"{URL}?kind=everything&kind=waiting&age=forever")
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Choose kinds of item from the list." in body and "Choose how long overdue from the list." in body
    assert 'href="#id_kind_0"' in body
    assert row_keys(body) == [f"child-{c.pk}" for c in (world.waiting, world.a, world.g, world.b, world.c)]


def test_print_and_pdf_follow_the_filters_and_the_order(client, world):
    client.force_login(world.tm)
    query = f"scope=team-{world.ff_team.pk}&kind=waiting&kind=after_order&age=over_a_year"
    page = row_keys(client.get(f"{URL}?{query}").content.decode())
    assert page == [f"child-{world.waiting.pk}", f"child-{world.letter.pk}"]
    printed = client.get(f"{URL}print/?{query}").content.decode()
    assert row_keys(printed) == page and "only child waiting for a family or after the adoption order" in printed
    assert "Children waiting for a family come first" in printed
    assert row_keys(client.get(f"{URL}print/?scope=team-{world.ff_team.pk}").content.decode()) == row_keys(
        client.get(URL).content.decode())
    nothing = client.get(f"{URL}print/?scope=team-{world.ff_team.pk}&kind=placed").content.decode()
    assert 'id="empty"' in nothing and "No items match the filters" in nothing
    response = client.get(f"{URL}agenda.pdf?{query}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    logs = list(ExportLog.objects.filter(what="performance.surgery_agenda").order_by("id"))
    assert [(x.format, x.row_count) for x in logs] == [("print", 2), ("print", 6), ("print", 0), ("pdf", 2)]
    assert logs[-1].filters == {"team": world.ff_team.pk, "days": 14, "on": TODAY.isoformat(),
                                "kind": ["after_order", "waiting"], "age": ["over_a_year"]}


# ---------------------------------------------------------------------------------------------
# In the database: the counts, the paging, the number of queries


def test_the_counts_in_sql_agree_with_the_rows(world):
    first = world.agree(world.a, text="Send the CPR", agreed_on=TODAY - D(14), due_by=TODAY - D(3))
    world.agree(world.letter, text="Write the letter", owner=world.ff1)
    world.agree(world.b, text="Visit", owner=world.ff2)
    services.escalate_action(actor=world.ff1, action=first, to=world.tm, reason="Stuck", on=TODAY, today=TODAY)
    scope = selectors.SurgeryScope(world.region.raa, team=world.ff_team)
    for filters in (selectors.NO_FILTERS, selectors.SurgeryFilters(kinds=frozenset({"waiting"})),
                    selectors.SurgeryFilters(ages=frozenset({"over_a_year", "up_to_3_months"}))):
        rows = selectors.attach_actions(selectors.surgery_rows(world.tm, scope, today=TODAY, filters=filters),
                                        world.tm)
        python = selectors.summarise(rows)
        sql = selectors.surgery_summary(world.tm, scope, today=TODAY, filters=filters)
        assert (sql.items, sql.overdue, sql.due, sql.actions_overdue, sql.escalated) == (
            python.items, python.overdue, python.due, python.actions_overdue, python.escalated), filters
        assert sql.listed == 6
    summary = selectors.surgery_summary(world.tm, scope, today=TODAY)
    assert summary.escalated == 1 and summary.actions_overdue == 1
    assert summary.kinds == {"waiting": 5, "assessment": 0, "plan": 0, "placed": 0, "after_order": 1}
    assert summary.ages == {"not_overdue": 3, "up_to_3_months": 1, "3_to_12_months": 0, "over_a_year": 2}


def page_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    body = "" if response["Content-Type"] == "application/pdf" else response.content.decode()
    return len(ctx.captured_queries), body


def items_for(world, worker, n: int, start: int = 0) -> None:
    """n more children of `worker`, of every kind, overdue or due within 90 days; one in three with an action."""
    for i in range(start, start + n):
        c = pin(world.region.child(world.region.la, first_name=f"Item{i:02d}", family_finder=worker),
                TODAY + D(i % 40 - 20), stage=("placement_order", "adopted", "placed", "in_care")[i % 4])
        if i % 3 == 0:
            world.agree(c, owner=worker, text=f"Action {i}")


@pytest.mark.parametrize("path", ["", "print/", "agenda.pdf"])
@pytest.mark.parametrize("query", ["days=90", "days=90&kind=waiting&kind=placed&kind=after_order&age=not_overdue"
                                                "&age=up_to_3_months"])
def test_queries_do_not_grow_with_the_number_of_items(client, world, path, query):
    """A worker's list with 5 items, then with 50: the same number of queries (the page size is 50)."""
    worker = staff_member(world)
    client.force_login(world.tm)
    url = f"{URL}{path}?scope=worker-{worker.pk}&{query}"
    items_for(world, worker, 5)
    few, body = page_queries(client, url)
    items_for(world, worker, 45, start=5)
    many, more = page_queries(client, url)
    if not path:
        # Filtered: every stage but "in care" (a child's plan), all overdue less than 3 months or not overdue.
        expected = [sum(1 for i in range(n) if "kind" not in query or i % 4 != 3) for n in (5, 50)]
        assert [len(row_keys(body)), len(row_keys(more))] == expected
    assert many == few


def staff_member(world):
    from permanence.performance.tests.test_surgery import staff

    return staff(world.region.raa, Role.RAA_FAMILY_FINDER, "ff.counted", world.ff_team, "Cora")


def test_the_list_is_ordered_and_paged_in_the_database(client, world):
    client.force_login(world.tm)
    items_for(world, world.ff1, 60)
    url = f"{URL}?scope=team-{world.ff_team.pk}&days=90"
    with CaptureQueriesContext(connection) as ctx:
        first = row_keys(client.get(url).content.decode())
    listing = [q["sql"].upper() for q in ctx.captured_queries if "UNION ALL" in q["sql"].upper()]
    assert any("ORDER BY" in q and "LIMIT 50" in q for q in listing) and any("COUNT(*)" in q for q in listing)
    second = row_keys(client.get(f"{url}&page=2").content.decode())
    assert len(first) == 50 and not set(first) & set(second)
    everything = [r.key for r in team_rows(world, days=90)]
    assert first + second == everything and len(everything) == 50 + len(second)
    # The kinds come in priority order across the pages.
    priorities = [r.item_kind.priority for r in team_rows(world, days=90)]
    assert priorities == sorted(priorities)


# ---------------------------------------------------------------------------------------------
# Access is unchanged by the filters


def test_filters_do_not_widen_access(client, world):
    client.force_login(world.ff1)
    body = client.get(f"{URL}?kind=waiting&kind=after_order").content.decode()
    assert set(row_keys(body)) == {f"child-{c.pk}" for c in (world.a, world.g, world.c, world.letter)}
    for url in (f"{URL}?scope=team-{world.ff_team.pk}&kind=waiting", f"{URL}print/?kind=waiting",
                f"{URL}?scope=team-{world.sr_team.pk}&kind=waiting"):
        assert client.get(url).status_code == 404, url
    client.force_login(world.region.staff[("NR", Role.PANEL_ADVISER)])
    assert client.get(f"{URL}?kind=waiting").status_code == 404
    client.force_login(world.region.staff[("SR", Role.RAA_TEAM_MANAGER)])
    assert client.get(f"{URL}?scope=team-{world.ff_team.pk}&age=over_a_year").status_code == 404
