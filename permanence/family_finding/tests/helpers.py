"""Profiles for the family-finding tests: an eligible pair by default, changed one field at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from permanence.family_finding import matching as m

ON = date(2026, 3, 10)
W = m.DEFAULT_WEIGHTS

CHILD = m.ChildProfile(
    key="C1", children=1, ages_months=(14,), sexes=("F",), ethnicities=("WBRI",), religion="",
    needs={"learning": "mild", "attachment_trauma": "moderate"}, contact=frozenset({"letterbox"}),
    reference_district="BS1", la="801", raa="AW", waiting_since=date(2025, 9, 10),
)
HOME = m.HouseholdProfile(
    key="H1", agency_code="AW", status="approved", approved_on=date(2025, 3, 10), children_min=1,
    children_max=2, age_min_years=0, age_max_years=4, sibling_groups=True, ethnicities=("WBRI",),
    needs_accepted={"learning": "moderate", "attachment_trauma": "moderate"}, district="BS16", la="803",
    contact=frozenset({"letterbox", "sibling"}),
)


def child(**changes) -> m.ChildProfile:
    return replace(CHILD, **changes)


def home(**changes) -> m.HouseholdProfile:
    return replace(HOME, **changes)


def failed(c: m.ChildProfile, h: m.HouseholdProfile, cap: int | None = None) -> dict[str, str]:
    """{rule name: reason} for every hard rule the pair fails."""
    return {r.rule: r.reason for r in m.assess_pair(c, h, W, ON, cap=cap).failed}


def contribution(c: m.ChildProfile, h: m.HouseholdProfile, factor: str, weights: m.Weights = W) -> m.Contribution:
    return next(x for x in m.assess_pair(c, h, weights, ON).contributions if x.factor == factor)
