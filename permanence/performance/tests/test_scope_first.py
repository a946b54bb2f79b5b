"""Scope first (issue 17, item 3): an RAA's measure queries reach only that RAA's children, so its pages do not slow
as other RAAs' records grow. Checked without a clock: the SQL starts from the scope's children, and on SQLite the
work the database does for the North's scorecard (virtual-machine steps) is the same before and after the South
gains thirty adopted children – as are the North's figures."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from permanence.performance import measures
from permanence.performance.tests.test_measures import DOB, journey

D = date
YEAR = 2022  # the scorecard of the 3 years ending 31 March 2022


def _adopted(region, la, n: int, first: int = 0) -> None:
    for i in range(first, first + n):
        region.child(la, dob=DOB, events=journey(
            D(2019, 1, 1 + i % 28), D(2019, 2, 1), D(2019, 3, 1), ("placement_order", D(2019, 6, 1)),
            ("match_decision", D(2019, 9, 1 + i % 28)), ("placed_for_adoption", D(2019, 10, 1)),
            ("adoption_order", D(2020, 6, 1 + i % 28))))


@pytest.fixture
def north_and_south(region):
    _adopted(region, region.la, 3)
    _adopted(region, region.la_keeps, 2, first=3)
    _adopted(region, region.other_la, 2, first=5)
    return region


def _scorecard_sql(scope) -> str:
    with CaptureQueriesContext(connection) as ctx:
        measures.scorecard(scope, YEAR)
    [sql] = [q["sql"] for q in ctx.captured_queries if "adoption_order" in q["sql"]]
    return sql


@pytest.mark.django_db
@pytest.mark.parametrize("scope_of", ["raa", "la"])
def test_the_events_of_a_kind_are_reached_from_the_scopes_children(north_and_south, scope_of):
    r = north_and_south
    scope = measures.scope_for_raa(r.raa) if scope_of == "raa" else measures.scope_for_la(r.la)
    sql = _scorecard_sql(scope)
    # The adoption orders of the period: only those of children of the scope's LAs (child_id IN (the LAs'
    # children)), not every adoption order in the country joined to its child and filtered by LA afterwards.
    kind = re.search(r"\(SELECT (\w+)\.\"child_id\" AS \"child_id\" FROM \"children_journeyevent\" \1 WHERE "
                     r"\((.*?)\)\)\) GROUP BY", sql)
    assert kind is not None, sql
    alias, where = kind.groups()
    assert "'adoption_order'" in where
    children = re.search(r"(\w+)\.\"child_id\" IN \(SELECT \w+\.\"id\" AS \"pk\" FROM \"children_child\" \w+ "
                         r"WHERE \w+\.\"la_id\" IN \(([\d, ]+)\)", where)
    assert children is not None and children.group(1) == alias, where
    assert sorted(int(pk) for pk in children.group(2).split(",")) == sorted(scope.la_ids)
    assert "JOIN" not in where  # reached from the children, not joined to them


@pytest.mark.django_db
def test_every_scope_kind_still_gives_its_figures(north_and_south):
    r = north_and_south
    adopted = {name: next(f.value for f in measures.scorecard(scope, YEAR) if f.key == "children_adopted")
               for name, scope in (("raa", measures.scope_for_raa(r.raa)), ("la", measures.scope_for_la(r.la)),
                                   ("las", measures.scope_for_las([r.la_keeps, r.other_la])),
                                   ("all", measures.scope_all()))}
    assert adopted == {"raa": 5, "la": 3, "las": 4, "all": 7}


def _steps(fn) -> int:
    """How many SQLite virtual-machine instructions `fn`'s queries ran (grows with the rows they read)."""
    raw = connection.connection
    steps = [0]

    def count():
        steps[0] += 1
        return 0

    raw.set_progress_handler(count, 1)
    try:
        fn()
    finally:
        raw.set_progress_handler(None, 1)
    return steps[0]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="counts SQLite's virtual-machine steps")
def test_an_raas_scorecard_reads_no_more_when_another_raa_grows(north_and_south):
    r = north_and_south
    north = measures.scope_for_raa(r.raa)
    connection.ensure_connection()
    figures = measures.scorecard(north, YEAR)
    before = _steps(lambda: measures.scorecard(north, YEAR))
    _adopted(r, r.other_la, 30, first=7)  # the South gains thirty adopted children in the same period
    assert next(f.value for f in measures.scorecard(measures.scope_for_raa(r.other_raa), YEAR)
                if f.key == "children_adopted") == 32
    after = _steps(lambda: measures.scorecard(north, YEAR))
    assert measures.scorecard(north, YEAR) == figures
    assert after == before, (before, after)
