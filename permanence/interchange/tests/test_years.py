"""SSDA903 returns as LAs send them: one collection year at a time, in any order (issue 9).

A year's return holds only what was open that year. Whatever the order the years arrive in – oldest first,
newest first, shuffled, all at once, a year sent twice – the journeys, events and measures must be the same,
and the same as the journeys the returns were written from.
"""

from __future__ import annotations

import random
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from permanence.children import services as child_services
from permanence.children.models import Child, JourneyEvent
from permanence.demo import expected
from permanence.interchange import services
from permanence.interchange.models import ReturnRow
from permanence.interchange.ssda903 import mapping, writer
from permanence.interchange.tests.helpers import TODAY, files_903, kids, records
from permanence.organisations import services as org_services
from permanence.performance import measures
from permanence.performance import rules as perf_rules

PROSPECTIVE = (date(2022, 4, 1), date(2024, 3, 31), date(2025, 12, 31))  # first POs from, to; as of
ORDERS = ("oldest_first", "newest_first", "shuffled", "all_at_once", "one_year_twice")


def do_import(files, la, **kw):
    kw.setdefault("validate", False)
    result = services.import_903(files=files, la=la, actor=None, on=TODAY, **kw)
    assert result.ok, result.errors[:3]
    return result


def years_of(children) -> list[int]:
    return writer.years_covering(records(children), TODAY)


def upload(children, la, order: str, seed: int = 0) -> None:
    years = years_of(children)
    if order == "all_at_once":
        do_import(files_903(children), la)
        return
    if order == "newest_first":
        years = years[::-1]
    elif order == "shuffled":
        random.Random(seed).shuffle(years)
    elif order == "one_year_twice":
        years = years + [years[len(years) // 2]]
    for y in years:
        do_import(files_903(children, [y]), la)


def journeys(la) -> dict[str, list]:
    return {c.la_child_id: mapping.comparable(child_services.event_facts(c)) for c in Child.objects.filter(la=la)}


def figures(la) -> dict:
    scope = measures.scope_for_la(la)
    out = {}
    for y in (2024, 2025, 2026):
        out[f"scorecard {y}"] = [(f.key, f.value, f.n) for f in measures.scorecard(scope, y)]
    for q in ("2024Q1", "2024Q3", "2025Q2", "2025Q4"):
        out[q] = [(f.key, f.value, f.n) for f in measures.quarterly_children(scope, q)]
    out["prospective"] = [(f.key, f.value, f.n) for f in measures.prospective_cohort(scope, *PROSPECTIVE)]
    return out


def independent(children) -> dict:
    """The same figures from the generator's own children, computed by demo.expected (not through the
    importer, the writer or the measures), shaped like figures()."""
    out = {}
    for y in (2024, 2025, 2026):
        out[f"scorecard {y}"] = expected.scorecard(children, y, a3_months=14)
    carried = [SimpleNamespace(la_child_id=k.la_child_id, events=mapping.project(k.events),
                               earlier_periods=k.earlier_periods) for k in children]
    for q in ("2024Q1", "2024Q3", "2025Q2", "2025Q4"):
        period = perf_rules.parse_quarter(q)
        out[q] = expected.quarterly(carried, period.start, period.end)
    out["prospective"] = expected.prospective(carried, *PROSPECTIVE)
    return out


def as_checked(got: dict, want: dict) -> tuple[dict, dict]:
    """The figures both sides compute, as {period: {key: (value, n)}} and {period: {key: value}}."""
    left, right = {}, {}
    for period, figs in got.items():
        if period not in want:
            continue
        if period.startswith(("scorecard", "prospective")):
            left[period] = {k: (v, n) for k, v, n in figs if k in want[period] and k != "children_adopted"}
            right[period] = {k: want[period][k] for k in left[period]}
        else:
            left[period] = {k: v for k, v, _ in figs if k in want[period]}
            right[period] = {k: want[period][k] for k in left[period]}
    return left, right


def new_la(region, code: str):
    la = org_services.create_organisation(actor=None, kind="la", code=code, name=f"LA {code}", raa=region.raa)
    org_services.set_policy(actor=None, la=la, effective_from=date(2020, 1, 1), case_holding="raa_at_po")
    return la


@pytest.fixture(scope="module")
def generated():
    return kids(count=80, seed=23)


@pytest.mark.django_db
@pytest.mark.parametrize(("seed", "count"), [(23, 80), (7, 160), (101, 40)])
def test_every_upload_order_gives_the_same_journeys_and_figures(region, seed, count):
    """For generated LAs: every upload order gives the same journeys and Scorecard, quarterly and prospective
    figures, equal to the generator's own figures computed independently (demo.expected)."""
    generated = kids(count=count, seed=seed)
    expected = {k.la_child_id: mapping.comparable(mapping.project(k.events)) for k in generated}
    expected = {k: v for k, v in expected.items() if v}
    results = {}
    for n, order in enumerate(ORDERS):
        la = new_la(region, f"8{n:02d}")
        upload(generated, la, order, seed=n)
        results[order] = (journeys(la), figures(la))
    first_journeys, first_figures = results["all_at_once"]
    assert first_journeys == expected
    assert any(v for fig in first_figures.values() for _, v, _ in fig), "the figures must not all be empty"
    got, want = as_checked(first_figures, independent(generated))
    assert all(got[p] for p in got), "every period must have figures both sides compute"
    assert got == want
    for order, (got_journeys, got_figures) in results.items():
        assert got_journeys == first_journeys, order
        assert got_figures == first_figures, order


@pytest.mark.django_db
def test_a_later_year_alone_does_not_rewrite_what_an_earlier_year_said(region, generated):
    """The symptom in the issue: a child in care since before the year appears part-way in a later return."""
    years = years_of(generated)
    la = region.la
    for y in years:
        do_import(files_903(generated, [y]), la)
    # A child whose period of care began before the last year and is still in care in it.
    last_start, _ = (date(years[-1] - 1, 4, 1), None)
    long_stay = [k for k in generated if mapping.project(k.events)
                 and mapping.project(k.events)[0].date < date(years[-1] - 2, 4, 1)
                 and any(e.date >= last_start for e in mapping.project(k.events))]
    assert long_stay, "the generated LA must hold children whose care spans several returns"
    for k in long_stay:
        child = Child.objects.get(la=la, la_child_id=k.la_child_id)
        entered = next(e for e in child_services.event_facts(child) if e.kind.value == "entered_care")
        assert entered.date == mapping.project(k.events)[0].date


@pytest.mark.django_db
def test_a_year_sent_again_replaces_that_year_and_says_so(region, generated):
    years = years_of(generated)
    la = region.la
    for y in years:
        do_import(files_903(generated, [y]), la)
    before = journeys(la)
    rows = ReturnRow.objects.filter(la=la).count()
    again = do_import(files_903(generated, [years[-2]]), la)
    assert journeys(la) == before
    assert ReturnRow.objects.filter(la=la).count() == rows
    assert again.summary["years_replaced"] == [years[-2]]
    assert again.summary["events_added"] == again.summary["events_updated"] == 0
    assert again.summary["events_withdrawn"] == 0
    assert any("replaces the rows held from import" in n for n in again.batch.notes)


@pytest.mark.django_db
def test_a_corrected_return_moves_the_dates_and_drops_what_it_no_longer_says(region, generated):
    """An LA resubmits a year with a child's placement order dated a week later and another child taken out of
    the return: the first child's event moves, the second child's events from that year alone are withdrawn."""
    years = years_of(generated)
    la = region.la
    do_import(files_903(generated), la)
    journeys_before = journeys(la)
    year = years[-1]  # the latest return: no later return repeats its episodes
    start, end = date(year - 1, 4, 1), date(year, 3, 31)
    files = dict(files_903(generated, [year]))
    name = next(n for n in files if n.endswith("_Episodes.csv"))
    lines = files[name].decode().splitlines()
    header = lines[0].split(",")
    col = {c: i for i, c in enumerate(header)}
    # A child whose placement order starts in this year's return (an E1 episode beginning in the year).
    po_kids = [k for k in generated if any(e.kind.value == "placement_order" and start <= e.date <= end
                                           for e in mapping.project(k.events))]
    moved = po_kids[0]
    po_day = next(e.date for e in mapping.project(moved.events) if e.kind.value == "placement_order")
    old = po_day.strftime("%d/%m/%Y")
    new_day = date.fromordinal(po_day.toordinal() + 1)
    new = new_day.strftime("%d/%m/%Y")
    # A child who is only in this year's return (entered care in the year).
    dropped = next(k for k in generated if mapping.project(k.events)
                   and mapping.project(k.events)[0].date >= start and k is not moved)
    for table in list(files):
        if not table.endswith("_Episodes.csv"):
            kept = [ln for ln in files[table].decode().splitlines() if not ln.startswith(dropped.la_child_id + ",")]
            files[table] = ("\r\n".join(kept) + "\r\n").encode()
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        if cells[col["CHILD"]] == dropped.la_child_id:
            continue
        if cells[col["CHILD"]] == moved.la_child_id:
            if cells[col["DECOM"]] == old:
                cells[col["DECOM"]] = new
            if cells[col["DEC"]] == old:
                cells[col["DEC"]] = new
        out.append(",".join(cells))
    files[name] = ("\r\n".join(out) + "\r\n").encode()
    result = do_import(list(files.items()), la)
    child = Child.objects.get(la=la, la_child_id=moved.la_child_id)
    po = [e for e in child_services.event_facts(child) if e.kind.value == "placement_order"]
    assert [e.date for e in po] == [new_day]
    assert result.summary["events_updated"] >= 1
    assert any(c["action"] == "update event" and c["child"] == moved.la_child_id for c in result.changes)
    # The old event is kept, superseded by the correction.
    old_event = JourneyEvent.objects.get(child=child, kind="placement_order", date=po_day)
    assert old_event.superseded
    # The child the corrected return no longer holds keeps their record, with the events it gave withdrawn.
    gone = Child.objects.get(la=la, la_child_id=dropped.la_child_id)
    assert child_services.event_facts(gone) == []
    assert JourneyEvent.objects.filter(child=gone, superseded=True).count() == len(mapping.project(dropped.events))
    assert result.summary["events_withdrawn"] == len(mapping.project(dropped.events))
    assert sum(c["action"] == "withdraw event" and c["child"] == dropped.la_child_id
               for c in result.changes) == len(mapping.project(dropped.events))
    # Sending the first version again puts everything back as it was.
    do_import(files_903(generated, [year]), la)
    assert journeys(la) == journeys_before


@pytest.mark.django_db
def test_a_dry_run_keeps_no_rows(region, generated):
    do_import(files_903(generated, [2024]), region.la, dry_run=True)
    assert not ReturnRow.objects.exists()
    do_import(files_903(generated, [2024]), region.la)
    assert ReturnRow.objects.filter(la=region.la, year=2024).exists()


@pytest.mark.django_db
def test_the_child_page_lists_the_periods_of_care_from_every_return(client, region, generated):
    years = years_of(generated)
    for y in years:
        do_import(files_903(generated, [y]), region.la)
    k = next(k for k in generated if mapping.project(k.events)
             and mapping.project(k.events)[0].date < date(years[-1] - 3, 4, 1)
             and any(e.kind.value == "adoption_order" for e in k.events))
    child = Child.objects.get(la=region.la, la_child_id=k.la_child_id)
    client.force_login(region.user("la_social_worker"))
    body = client.get(reverse("interchange:child-returns", args=[child.pk])).content.decode()
    entered = mapping.project(k.events)[0].date
    assert f"{entered.day} {entered:%B %Y}" in body
    assert "The adoption journey" in body
    assert "From import" in body
    other = region.child(region.la)
    body = client.get(reverse("interchange:child-returns", args=[other.pk])).content.decode()
    assert "No SSDA903 return held" in body


@pytest.mark.django_db
def test_an_import_applied_while_another_was_being_checked_refuses_the_stale_one(region, generated):
    """Two uploads for one LA at once: the one that finishes second was planned against rows that have since
    changed, so it is refused (nothing written) and says to upload again; the rows held stay consistent."""
    years = years_of(generated)
    other = files_903(generated, [years[-1]])

    def meanwhile(what, done, total):
        if what == "plan" and done == 0:
            do_import(other, region.la)

    result = services.import_903(files=files_903(generated, [years[-2]]), la=region.la, actor=None, on=TODAY,
                                 validate=False, progress=meanwhile)
    assert not result.ok
    assert any("Another import" in f.message for f in result.errors)
    assert not ReturnRow.objects.filter(la=region.la, year=years[-2]).exists()
    assert ReturnRow.objects.filter(la=region.la, year=years[-1]).exists()
    again = do_import(files_903(generated, [years[-2]]), region.la)
    assert again.summary["events_added"] > 0
