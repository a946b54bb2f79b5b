"""The arithmetic on hand-worked figures: ties in the mode, unscored domains, rounding, choosing reviews."""

from datetime import date
from decimal import Decimal

import pytest

from permanence.blueprint import rules


def test_mean_mode_and_n_of_one_domain():
    s = rules.summarise([2, 1, 2, None, 3])  # 8 / 4 = 2.00; 2 twice
    assert (s.n, s.mean, s.modes, s.counts) == (4, Decimal("2.00"), (2,), (0, 1, 2, 1))
    assert (s.mean_label, s.mode_label) == ("2.00", "2")


def test_a_tie_shows_every_tied_score():
    s = rules.summarise([1, 2, 1, 2, 0])  # 6 / 5 = 1.20; 1 and 2 twice each
    assert s.modes == (1, 2) and s.mode_label == "1 and 2" and s.mean == Decimal("1.20")
    assert rules.summarise([0, 1, 3]).mode_label == "0, 1 and 3"


def test_nobody_scored_says_not_scored_with_n_0():
    s = rules.summarise([None, None])
    assert (s.n, s.mean, s.modes, s.mean_label, s.mode_label) == (0, None, (), "Not scored", "Not scored")
    assert rules.summarise([]).n == 0


def test_means_round_half_up_to_two_places():
    assert rules.mean_of([1, 1, 1, 1, 1, 1, 1, 0]) == Decimal("0.88")  # 7/8 = 0.875
    assert rules.mean_of([1, 1, 0]) == Decimal("0.67")  # 0.666…
    assert rules.mean_of([2, 2, 1]) == Decimal("1.67")


def test_a_score_outside_0_to_3_is_refused():
    with pytest.raises(ValueError):
        rules.summarise([4])


def test_summarise_domains_over_reviews():
    reviews = [{1: 0, 2: 3}, {1: 1}, {1: 1, 2: None}]
    got = rules.summarise_domains([1, 2, 3], reviews)
    assert (got[1].mean, got[1].modes, got[1].n) == (Decimal("0.67"), (1,), 3)
    assert (got[2].mean, got[2].n) == (Decimal("3.00"), 1)
    assert got[3].n == 0


K = rules.ReviewKey


def test_chosen_takes_each_raas_latest_in_the_dates():
    keys = [K(1, "a", date(2024, 3, 1)), K(2, "a", date(2025, 3, 1)), K(3, "b", date(2024, 6, 1)),
            K(4, "b", date(2026, 1, 1)), K(5, "c", date(2025, 3, 1)), K(6, "c", date(2025, 3, 1))]
    assert [k.id for k in rules.chosen(keys)] == [2, 6, 4]
    assert [k.id for k in rules.chosen(keys, end=date(2025, 12, 31))] == [3, 2, 6]
    assert [k.id for k in rules.chosen(keys, start=date(2025, 1, 1), end=date(2025, 12, 31),
                                       latest_only=False)] == [2, 5, 6]
    assert rules.previous_of(keys, keys[1]) == keys[0] and rules.previous_of(keys, keys[0]) is None


def test_compare_against_the_others_and_the_last_review():
    own = {1: 2, 2: 1, 3: None}
    others = [{1: 1, 2: 1, 3: 2}, {1: 2, 2: 2, 3: 2}]
    rows = rules.compare([1, 2, 3], own, others, previous={1: 1, 2: 1, 3: 2})
    assert [r.others.mean for r in rows] == [Decimal("1.50"), Decimal("1.50"), Decimal("2.00")]
    assert rows[0].others.mode_label == "1 and 2"
    assert [r.against_mean for r in rows] == [Decimal("0.50"), Decimal("-0.50"), None]
    assert [r.change_label for r in rows] == ["Up 1", "No change", "Not scored this time"]
    assert rules.compare([1], {1: 0}, [], previous=None)[0].change_label == "Not scored last time"
    assert rules.compare([1], {1: 0}, [], previous={1: 2})[0].change_label == "Down 2"


def test_bar_lengths():
    assert [rules.bar_percent(v) for v in (None, 0, Decimal("1.50"), 3)] == [0, 0, 50, 100]
