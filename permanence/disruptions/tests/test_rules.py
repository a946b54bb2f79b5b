"""The themes and counts worked by hand."""

from datetime import date as D

import pytest

from permanence.disruptions import rules
from permanence.disruptions.rules import ListVersion, RecommendationFact, ReviewFact


def test_the_list_in_force_is_the_latest_valid_on_the_day():
    versions = [ListVersion(1, D(2000, 1, 1)), ListVersion(2, D(2025, 4, 1)), ListVersion(3, D(2026, 4, 1))]
    assert rules.current_list(versions, D(2025, 3, 31)).version == 1
    assert rules.current_list(versions, D(2025, 4, 1)).version == 2
    assert rules.current_list(versions, D(2030, 1, 1)).version == 3
    assert rules.current_list(versions, D(1999, 1, 1)) is None


# Four reviews: A (Bath, in March) chose matching and support; B (Bath, in April) matching; C (Wilts, in April)
# matching and needs, naming needs twice; D (Wilts, in July: outside the period) support.
REVIEWS = [ReviewFact("Bath", D(2024, 3, 5), ("Matching", "Support")),
           ReviewFact("Bath", D(2024, 4, 9), ("Matching",)),
           ReviewFact("Wilts", D(2024, 4, 30), ("Matching", "Needs", "Needs")),
           ReviewFact("Wilts", D(2024, 7, 1), ("Support",))]


def test_factors_are_counted_in_the_period_in_total_and_by_la():
    themes = rules.factor_themes(REVIEWS, D(2024, 3, 1), D(2024, 4, 30))
    assert themes.reviews == 3 and themes.las == ("Bath", "Wilts")
    assert [(r.factor, r.total, r.by_la) for r in themes.rows] == [
        ("Matching", 3, {"Bath": 2, "Wilts": 1}),
        ("Needs", 1, {"Bath": 0, "Wilts": 1}),  # a factor named twice in one review counts once
        ("Support", 1, {"Bath": 1, "Wilts": 0}),  # D's support is outside the period; ties by name
    ]


def test_no_period_counts_every_review():
    themes = rules.factor_themes(REVIEWS)
    assert themes.reviews == 4 and [(r.factor, r.total) for r in themes.rows] == [
        ("Matching", 3), ("Support", 2), ("Needs", 1)]


def test_recommendations_open_overdue_done():
    today = D(2024, 6, 10)
    recs = [RecommendationFact("open", D(2024, 6, 9)),  # overdue
            RecommendationFact("open", D(2024, 6, 10)),  # due today: not overdue
            RecommendationFact("open", None),  # no due date: never overdue
            RecommendationFact("done", D(2024, 1, 1)),  # done late: done, not overdue
            RecommendationFact("done", None)]
    assert rules.recommendation_counts(recs, today) == rules.RecommendationCounts(open=3, overdue=1, done=2)


def test_a_factor_list_file_is_checked():
    parsed = rules.parse_factor_list({"version": 2, "valid_from": "2025-04-01", "source": "Board",
                                      "factors": [{"code": "a", "label": "A"}, {"code": "b", "label": "B"}]})
    assert parsed == (2, D(2025, 4, 1), "Board", [("a", "A"), ("b", "B")])
    for bad in ({"version": 2}, [], {"version": 2, "valid_from": "2025-04-01", "factors": []},
                {"version": 2, "valid_from": "2025-04-01", "factors": [{"code": "a", "label": "A"},
                                                                        {"code": "a", "label": "B"}]}):
        with pytest.raises(ValueError):
            rules.parse_factor_list(bad)
