"""Item 5 of issue 9: the scorecard thresholds as the sources give them, and one rounding rule for every figure.

The thresholds are the rows the migrations load (0002, corrected by 0007); the expected values are typed in from
domain.md section 6 and seed 003 tables 1 and 2, not read from the migration.
"""

from datetime import date

import pytest

from permanence.performance import measures, rules

D = date

# Scorecard ending 31 March Y: (A1 days, A2 days, A3 months, a word the A1/A2 source must contain).
EXPECTED = {
    2013: (639, 213, 16, "2010–13"),
    2014: (547, 182, 16, "2011–14"),
    2015: (487, 121, 16, "seed 003"),
    **{y: (426, 121, 14, "2013–16") for y in range(2016, 2028)},
}


@pytest.mark.django_db
@pytest.mark.parametrize("year_ending", range(2013, 2028))
def test_every_scorecard_from_2013_has_its_thresholds_from_the_sources(year_ending):
    a1, a2, a3, source_word = EXPECTED[year_ending]
    facts = measures.thresholds()
    end = rules.scorecard_period(year_ending).end
    assert end == D(year_ending, 3, 31)
    got = {key: rules.threshold_on(facts, key, end) for key in ("A1", "A2", "A3")}
    assert all(got.values()), got
    assert (got["A1"].value, got["A2"].value, got["A3"].value) == (a1, a2, a3)
    assert (got["A1"].unit, got["A2"].unit, got["A3"].unit) == ("days", "days", "months")
    for key in ("A1", "A2"):
        assert source_word in got[key].source
        assert "domain.md section 6" in got[key].source
    assert got["A3"].source.strip()
    if year_ending == 2015:  # the figures seed 003 quotes, with its words
        assert "Distance from performance threshold (487 and 121 days)" in got["A1"].source
        assert "less than 16 months" in got["A3"].source
    # The scorecard's figures carry the same threshold and source.
    figs = {f.key: f for f in measures.scorecard(measures.scope_all(), year_ending)}
    assert (figs["A1"].threshold, figs["A2"].threshold, figs["A10"].threshold) == (a1, a2, a1)
    assert figs["A1"].threshold_source == got["A1"].source
    assert f"less than {a3} months" in figs["A3"].label


@pytest.mark.django_db
def test_the_day_before_a_scorecard_end_is_the_previous_scorecards():
    facts = measures.thresholds()
    assert rules.threshold_on(facts, "A1", D(2014, 3, 30)).value == 639
    assert rules.threshold_on(facts, "A1", D(2014, 3, 31)).value == 547
    assert rules.threshold_on(facts, "A2", D(2016, 3, 30)).value == 121
    assert rules.threshold_on(facts, "A1", D(2013, 3, 30)) is None  # before the first sourced scorecard


# ---------------------------------------------------------------------------------------------
# Rounding: half up to the nearest day / whole per cent, everywhere

P = rules.scorecard_period(2022)


@pytest.mark.parametrize(("days", "expected"), [
    ([1, 2], 2),  # 1.5 -> 2 (Python's round gives 2 here too)
    ([2, 3], 3),  # 2.5 -> 3 (Python's round gives 2)
    ([0, 1], 1),  # 0.5 -> 1 (round gives 0)
    ([4, 5], 5),  # 4.5 -> 5 (round gives 4)
    ([1, 1, 2], 1),  # 1.33 -> 1
])
def test_children_averages_round_half_up(days, expected):
    fig = rules.average_figure("A1", [(i, d) for i, d in enumerate(days)], P, rules.RETROSPECTIVE)
    assert fig.value == expected


@pytest.mark.parametrize(("hits", "of", "expected"), [(1, 8, 13), (5, 8, 63), (1, 200, 1), (3, 8, 38), (1, 3, 33)])
def test_children_percentages_round_half_up(hits, of, expected):
    # 1/8 = 12.5% -> 13; 5/8 = 62.5% -> 63 (round gives 62); 1/200 = 0.5% -> 1 (round gives 0); 3/8 = 37.5% -> 38
    fig = rules.percent_figure("A3", list(range(hits)), list(range(of)), P, rules.RETROSPECTIVE)
    assert fig.value == expected


def test_round_half_up_is_half_up_for_floats_that_are_not_exact():
    assert rules.round_half_up(2.5) == 3 and rules.round_half_up(0.5) == 1 and rules.round_half_up(-2.5) == -3
    assert rules.round_half_up(100 * 1 / 8) == 13
    assert rules.round_half_up(2.675, 2) == 2.68  # the float is 2.67499…; its shortest repr is what people typed
    assert rules.percent(1, 8) == 13 and rules.percent(0, 8) == 0 and rules.percent(1, 0) is None
    assert rules.average([2, 3]) == 3 and rules.average([]) is None


def test_change_between_rounds_half_up():
    a = rules.average_figure("A1", [(1, 200)], P, rules.RETROSPECTIVE)
    b = rules.average_figure("A1", [(2, 201)], P, rules.RETROSPECTIVE)
    assert rules.change_between(a, b) == rules.Change(1, 1)  # 1/200 = 0.5% -> 1 (round gives 0)
