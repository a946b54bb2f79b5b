"""The comparisons from totals (issue 17): measures.group_trend adds up each LA's days per period (AdoptionDays,
kept by the child journey's writer) instead of reading every child's events in the country. It must give exactly what
the children's milestones give (comparison_oracle: the figures as they were worked out before, from the scorecard's
own definition) for every kind of group – a Scope with an RAA's membership dates (which may change within a period),
a set of LA ids, {period: LA ids} from case_holding_groups, every LA – the installation's line and each LA's series,
for A1, A2 and A10, by year, quarter or any period (overlapping ones too), and so what a user may see of them
(rules.disclosed_series). And a page of a few LAs reads only their totals, however many other LAs hold children.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permanence.children import services as child_services
from permanence.organisations import services as org_services
from permanence.performance import measures, rules, services
from permanence.performance.models import AdoptionDays
from permanence.performance.tests.comparison_oracle import group_trend_from_milestones
from permanence.testing import examples

D = date
FIRST, LAST = D(2019, 4, 1), D(2022, 3, 31)  # the children below are adopted in these three financial years


def journey(ao: date, *, a2: int | None, a1_extra: int, ffa_days: int | None):
    """A child adopted on `ao`: entered care, a placement order (a2 None: none) and the match a2 days after it,
    moved in `a1_extra` days after the match – with its early permanence carers from `ffa_days` after entering care
    (A10 counts to then) if ffa_days is given."""
    placed = ao - timedelta(days=60)
    match = placed - timedelta(days=a1_extra)
    po = match - timedelta(days=a2 or 0)
    entered = po - timedelta(days=150)
    events = [("entered_care", entered), ("permanence_plan", entered + timedelta(days=20)),
              ("should_be_placed", entered + timedelta(days=40))]
    if a2 is not None:
        events.append(("placement_order", po))
    if ffa_days is not None:
        events.append(("early_permanence_placement", entered + timedelta(days=ffa_days),
                       {"placement_type": "concurrent"}))
    events.append(("match_decision", match))
    details = {}
    if ffa_days is not None:
        details = {"by_foster_carers": True,
                   "moved_in_with_carers": (entered + timedelta(days=ffa_days)).isoformat()}
    events += [("placed_for_adoption", placed, details), ("adoption_order", ao)]
    return events


def children(days):
    """Children to add: their LA, adoption order (any day, or a day on which a period or a membership starts or
    ends, or the day before or after: where a total could be counted in the wrong period), A2 and the rest."""
    return st.lists(st.tuples(
        st.integers(0, 2),  # which LA
        st.one_of(st.dates(FIRST, LAST), st.sampled_from(sorted(days))),  # the adoption order
        st.one_of(st.none(), st.integers(0, 400)),  # A2 (None: no placement order)
        st.integers(0, 90),  # match to moving in
        st.one_of(st.none(), st.integers(41, 120)),  # early permanence carers from this many days after entering care
    ), max_size=9)


def edges(periods, intervals, policy_day) -> set[date]:
    days = {policy_day}
    for p in periods:
        days |= {p.start, p.end}
    for spans in intervals.values():
        days |= {d for span in spans for d in span if d is not None}
    return {d + timedelta(days=k) for d in days for k in (-1, 0, 1) if FIRST <= d + timedelta(days=k) <= LAST}


@st.composite
def periods(draw):
    """Financial years, quarters, or any periods (they may overlap, leave gaps, or hold no adoption)."""
    kind = draw(st.sampled_from(["years", "quarters", "any"]))
    if kind == "years":
        years = draw(st.lists(st.integers(2018, 2022), min_size=1, max_size=4, unique=True))
        return [rules.financial_year(y) for y in sorted(years)]
    if kind == "quarters":
        qs = draw(st.lists(st.tuples(st.integers(2019, 2021), st.integers(1, 4)), min_size=1, max_size=6,
                           unique=True))
        return [rules.parse_quarter(f"{y}Q{q}") for y, q in sorted(qs)]
    out = []
    for start, length in draw(st.lists(st.tuples(st.integers(-30, (LAST - FIRST).days), st.integers(0, 500)),
                                       min_size=1, max_size=4)):
        s = FIRST + timedelta(days=start)
        out.append(rules.Period(s, s + timedelta(days=length), f"{s}+{length}"))
    return out


def interval_day(n: int | None) -> date | None:
    return None if n is None else FIRST + timedelta(days=n)


@st.composite
def memberships(draw, la_ids):
    """An RAA's membership dates for some of the LAs: one or two intervals each, open or closed at either end."""
    out = {}
    for la in draw(st.lists(st.sampled_from(la_ids), min_size=1, unique=True)):
        intervals = []
        for a, b in draw(st.lists(st.tuples(st.one_of(st.none(), st.integers(-100, 1200)),
                                            st.one_of(st.none(), st.integers(-100, 1200))), min_size=1, max_size=2)):
            start, end = interval_day(a), interval_day(b)
            if start and end and end < start:
                start, end = end, start
            intervals.append((start, end))
        out[la] = tuple(intervals)
    return out


def strip(comparison: rules.Comparison):
    """Everything the answer says, with the figures' child ids dropped (the totals keep none)."""
    def points(series):
        if series is None:
            return None
        return (series.label, series.kind, series.code,
                [(p.period, rules.replace(p.figure, child_ids=()), p.las, p.children_by_la) for p in series.points])
    return (comparison.measure, comparison.periods, [points(s) for s in comparison.groups], points(comparison.national),
            [points(s) for s in comparison.las], points(comparison.installation))


@pytest.fixture
def base(region):
    """A few children of every LA in every year, so that no example compares empty figures only."""
    r = region
    las = [r.la, r.la_keeps, r.other_la]
    days = [FIRST + timedelta(days=97 * i + 11) for i in range(12)] + [D(2020, 3, 31), D(2020, 4, 1), D(2021, 3, 31)]
    for i, ao in enumerate(days):
        r.child(las[i % 3], dob=D(2015, 1, 1),
                events=journey(ao, a2=None if i == 4 else 13 * i, a1_extra=7 * i, ffa_days=60 if i % 5 == 1 else None))
    return r


@pytest.mark.django_db(transaction=False)
def test_group_trend_from_totals_is_the_childrens_average(base):
    r = base
    las = [r.la, r.la_keeps, r.other_la]
    ids = [la.pk for la in las]
    seen = {"figures": 0}

    @settings(max_examples=examples(40), deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(periods=periods(), measure=st.sampled_from(rules.COMPARISON_MEASURES), raa=memberships(ids),
           fixed=st.sets(st.sampled_from(ids)), per_la=st.sets(st.integers(0, 2)), national=st.booleans(),
           visible=st.sets(st.sampled_from(ids)), policy_on=st.integers(0, 1200), data=st.data())
    def check(periods, measure, raa, fixed, per_la, national, visible, policy_on, data):
        new = data.draw(children(edges(periods, raa, interval_day(policy_on))))
        with transaction.atomic():
            for la, day, a2, extra, ffa in new:
                try:
                    with transaction.atomic():
                        r.child(las[la], dob=D(2015, 1, 1), events=journey(day, a2=a2, a1_extra=extra,
                                                                           ffa_days=ffa))
                except ValidationError:
                    continue  # a journey the rules refuse: nothing saved
            # 902 moves to "the RAA holds the case" on a drawn day: the policy groups change between periods.
            moves = interval_day(policy_on)
            org_services.set_policy(actor=None, la=r.la_keeps, effective_from=moves + timedelta(
                days=moves == D(2020, 1, 1)), case_holding="raa_at_po", refresh=False)
            groups = {
                "RAA": measures.Scope(label="RAA", kind="raa", la_ids=frozenset(raa), intervals=raa),
                "fixed": fixed,
                "everyone": measures.scope_all(),
                **measures.case_holding_groups(periods),
            }
            chosen = [las[i] for i in sorted(per_la)]
            got = measures.group_trend(groups, periods, measure, national=national, per_la=chosen)
            want = group_trend_from_milestones(groups, periods, measure, national=national, per_la=chosen)
            assert strip(got) == strip(want)
            for mine, theirs in zip(got.series + list(got.las), want.series + list(want.las), strict=True):
                for small in (True, False):
                    assert strip_series(rules.disclosed_series(mine, visible, small=small)) == strip_series(
                        rules.disclosed_series(theirs, visible, small=small))
            seen["figures"] += sum(1 for s in got.series for f in s.figures if f.n)
            transaction.set_rollback(True)

    check()
    assert seen["figures"] > 0  # not a comparison of empty figures


def strip_series(series: rules.GroupSeries):
    return [(p.period, rules.replace(p.figure, child_ids=()), p.las) for p in series.points]


# ---------------------------------------------------------------------------------------------
# AdoptionDays follows the child's events


def test_adoption_days_follow_recording_correcting_and_withdrawing(region):
    r = region
    child = r.child(r.la, dob=D(2015, 1, 1), events=journey(D(2020, 6, 1), a2=30, a1_extra=10, ffa_days=None))
    row = AdoptionDays.objects.get(child=child)
    # Entered care 150 + 30 + 10 + 60 days before the order, moved in 60 days before it; PO to match 30 days.
    assert (row.la_id, row.adopted_on, row.a1, row.a10, row.a2) == (r.la.pk, D(2020, 6, 1), 190, 190, 30)
    order = child.events.get(kind="adoption_order")
    sw = r.user("la_social_worker")
    child_services.correct_event(event=order, actor=sw, reason="Test: dated wrongly", date=D(2020, 7, 1))
    assert AdoptionDays.objects.get(child=child).adopted_on == D(2020, 7, 1)
    order = child.events.get(kind="adoption_order", superseded=False)
    child_services.correct_event(event=order, actor=sw, reason="Test: recorded in error", withdraw=True)
    assert not AdoptionDays.objects.filter(child=child).exists()  # no order in force: not adopted
    waiting = r.child(r.la_keeps, dob=D(2015, 1, 1), events=journey(D(2021, 1, 4), a2=None, a1_extra=5,
                                                                     ffa_days=None)[:-1])
    assert not AdoptionDays.objects.filter(child=waiting).exists()
    child_services.record_event(child=waiting, kind="adoption_order", date=D(2021, 1, 4), actor=None,
                                check_role=False)
    assert AdoptionDays.objects.filter(child=waiting).values_list("a2", "a1").get() == (None, 155)


def test_rebuilding_gives_what_the_writer_kept(region):
    r = region
    for i, la in enumerate([r.la, r.la_keeps, r.other_la] * 2):
        r.child(la, dob=D(2015, 1, 1), events=journey(D(2020, 1, 6) + timedelta(days=40 * i), a2=5 * i,
                                                      a1_extra=i, ffa_days=50 if i % 2 else None))
    kept = sorted(AdoptionDays.objects.values_list("child_id", "la_id", "adopted_on", "a1", "a10", "a2"))
    assert len(kept) == 6 and any(a1 != a10 for _c, _l, _d, a1, a10, _a2 in kept)
    assert services.rebuild_adoption_days() == 6
    assert sorted(AdoptionDays.objects.values_list("child_id", "la_id", "adopted_on", "a1", "a10", "a2")) == kept


# ---------------------------------------------------------------------------------------------
# A page of a few LAs reads only their totals


def _rows_read(monkeypatch) -> list[int]:
    read: list[int] = []
    real = measures.la_totals

    def counting(*args, **kwargs):
        out = real(*args, **kwargs)
        read.append(len(out))
        return out

    monkeypatch.setattr(measures, "la_totals", counting)
    return read


def test_queries_and_rows_read_do_not_grow_with_las_outside_the_groups(region, monkeypatch):
    r = region
    years = [rules.financial_year(y) for y in (2019, 2020, 2021)]
    for i in range(6):
        r.child(r.la, dob=D(2015, 1, 1), events=journey(D(2019, 5, 1) + timedelta(days=150 * i), a2=10 * i,
                                                        a1_extra=3, ffa_days=None))
    read = _rows_read(monkeypatch)

    def ask():
        with CaptureQueriesContext(connection) as ctx:
            result = measures.group_trend({"901": {r.la.pk}}, years, per_la=[r.la], national=False)
        return len(ctx.captured_queries), result

    before, first = ask()
    # Twenty more LAs, each with children adopted in every year: none of them in the group.
    for n in range(20):
        la = org_services.create_organisation(actor=None, kind="la", code=f"8{n:02d}", name=f"Other {n}",
                                              raa=r.other_raa)
        for y in years:
            r.child(la, dob=D(2015, 1, 1), events=journey(y.start + timedelta(days=40), a2=n, a1_extra=1,
                                                          ffa_days=None))
    after, second = ask()
    assert before == after == 1  # one query: the group's totals (no England figures: national=False)
    assert read[0] == read[1] == 3  # 901's totals for three years, before and after
    assert strip(first) == strip(second)
    assert AdoptionDays.objects.count() == 6 + 20 * 3
    # With the installation's line, one row per LA and period that adopted: one more query (England's figures).
    with CaptureQueriesContext(connection) as ctx:
        whole = measures.group_trend({"901": {r.la.pk}}, years, per_la=[r.la])
    assert len(ctx.captured_queries) == 2 and read[2] == 3 + 20 * 3
    assert [f.n for f in whole.installation.figures] == [3 + 20, 2 + 20, 1 + 20]  # 901's 3, 2 and 1


def test_returns_uploaded_a_year_at_a_time_newest_first_keep_the_days(region):
    """The SSDA903 import writes through the journey's bulk writer: after each year's return (newest first, as an
    LA catching up would send them) the days kept are the rebuilt ones, and the comparison is the children's."""
    from permanence.interchange import services as imports
    from permanence.interchange.ssda903 import writer
    from permanence.interchange.tests.helpers import TODAY, files_903, kids, records

    generated = kids(count=60, seed=5)
    years = writer.years_covering(records(generated), TODAY)
    periods = [rules.financial_year(y - 1) for y in years]
    for y in reversed(years):
        result = imports.import_903(files=files_903(generated, [y]), la=region.la, actor=None, on=TODAY,
                                    validate=False)
        assert result.ok, result.errors[:3]
        kept = sorted(AdoptionDays.objects.values_list("child_id", "la_id", "adopted_on", "a1", "a10", "a2"))
        services.rebuild_adoption_days()
        assert sorted(AdoptionDays.objects.values_list("child_id", "la_id", "adopted_on", "a1", "a10", "a2")) == kept
        for measure in rules.COMPARISON_MEASURES:
            groups = {"901": {region.la.pk}}
            assert strip(measures.group_trend(groups, periods, measure)) == strip(
                group_trend_from_milestones(groups, periods, measure))
    assert AdoptionDays.objects.filter(la=region.la).count() > 3  # children adopted, not empty figures
