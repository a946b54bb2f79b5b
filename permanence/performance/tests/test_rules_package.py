"""`performance/rules` is a package by concern, and still answers to every name the single module had.

Pure Python: importing it loads no Django. Period arithmetic lives in rules.periods; the members' report, the
pages and the cost forms keep their old names for it as imports from there.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from datetime import date
from pathlib import Path

import permanence
from permanence.performance import cost_forms, members, rules, views
from permanence.performance.rules import periods

# Every name the single module performance/rules.py defined (or that callers reached through it: replace,
# add_months), as it stood before the split.
OLD_NAMES = (
    "BASIS_LABELS", "CASE_HOLDING_GROUP_LABELS", "COMPARISON_MEASURES", "Change", "ChildCost", "Comparison",
    "CostResult", "DRILL_DATES", "ENGLAND_LABEL", "FamilyFunction", "Figure", "GroupPoint", "GroupSeries", "HIGHER",
    "INSTALLATION_LABEL", "LA_KEEPS_CASE", "LOWER", "MEASURES", "MeasureDef", "Milestones", "NATIONAL_FIGURE_COLUMNS",
    "NATIONAL_FIGURE_OPTIONAL", "NEUTRAL", "NO_ENGLAND_FIGURE", "NationalFact", "NationalRow", "PROSPECTIVE",
    "PUBLISHED", "Period", "QUARTERLY_CHILD_KEYS", "QUARTER_EVENT_KEYS", "QuarterRow", "RAA_HOLDS", "RETROSPECTIVE",
    "SCORECARD_ADOPTER_KEYS", "SCORECARD_CHILD_KEYS", "SCORECARD_KEYS", "SUPPRESSED", "SUPPRESS_BELOW",
    "TargetCheck", "ThresholdFact", "Unit", "WITHHELD_NOTE", "_num", "a10_date", "add_months", "against_target",
    "average", "average_figure", "case_holding_group", "case_holding_membership", "change_between", "child_cost",
    "cohort_problems", "comparison_figure", "complete_financial_years", "cost_result", "count_figure",
    "days_between", "disclosed_point", "disclosed_series", "drill_row", "figure_number", "financial_year",
    "financial_year_of", "group_point", "is_waiting", "latest_year_ending", "national_period_text",
    "national_series", "parse_national_figures", "parse_national_period", "parse_quarter", "percent",
    "percent_figure", "prospective_figures", "quarterly_child_figures", "rag", "register_measure", "replace",
    "round_half_up", "scorecard_child_figures", "scorecard_period", "short_label", "suppress", "suppress_count",
    "targetable_keys", "threshold_on", "unavailable_figure",
)


def test_every_old_name_is_still_there():
    missing = [n for n in OLD_NAMES if not hasattr(rules, n)]
    assert missing == []
    assert Path(rules.__file__).name == "__init__.py"


def test_the_package_names_the_concern_modules_own():
    """rules.X is the object of the module that owns it (no copies): a concern module's name, re-exported."""
    owners = {}
    for path in sorted(Path(rules.__file__).parent.glob("*.py")):
        if path.stem == "__init__":
            continue
        module = __import__(f"permanence.performance.rules.{path.stem}", fromlist=["_"])
        for name, value in vars(module).items():
            if (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__ == module.__name__:
                owners[name] = value
    assert len(owners) > 60
    assert all(getattr(rules, name) is value for name, value in owners.items() if hasattr(rules, name))
    # Every function and class a concern module defines is reachable from the package.
    assert sorted(n for n in owners if not hasattr(rules, n)) == []


def test_the_package_is_pure_python():
    code = ("import sys, permanence.performance.rules; "
            "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,  # noqa: S603
                         cwd=Path(permanence.__file__).parent.parent)
    assert out.stdout.strip() == "[]"


def test_period_arithmetic_has_one_home():
    assert members.parse_half_year is periods.parse_half_year
    assert members.half_year_period is periods.half_year_period
    assert members.last_complete_half_years is periods.last_complete_half_years
    assert members.scorecard_year_ending is periods.scorecard_year_ending
    assert views.quarter_of is periods.quarter_of and views.last_quarters is periods.last_quarters
    assert views.year_endings is periods.year_endings
    assert cost_forms.financial_year is periods.financial_year_ending
    assert cost_forms.year_before is periods.year_before


def test_moved_period_functions_answer_as_before():
    assert periods.quarter_of(date(2026, 1, 15)) == "2025Q4" and periods.quarter_of(date(2025, 4, 1)) == "2025Q1"
    assert [p.label.split(" (")[0] for p in periods.last_quarters(date(2025, 5, 15), 3)] == [
        "2024-25 Q2", "2024-25 Q3", "2024-25 Q4"]
    assert periods.year_endings(date(2025, 3, 30), 3) == [2024, 2023, 2022]
    assert periods.year_endings(date(2025, 3, 31), 2) == [2025, 2024]
    fy = periods.financial_year_ending(2025)
    assert (fy.start, fy.end, fy.label) == (date(2024, 4, 1), date(2025, 3, 31), "Financial year 2024 to 2025")
    base = periods.year_before(fy)
    assert (base.start, base.end, base.label) == (date(2023, 4, 1), date(2024, 3, 31), "1 April 2023 to 31 March 2024")
    assert periods.half_year_of(date(2026, 2, 1)) == "2025H2" and periods.half_year_of(date(2025, 9, 30)) == "2025H1"
    assert periods.last_complete_half_years(date(2025, 10, 1), 3) == ["2025H1", "2024H2", "2024H1"]
