"""A11–A13 and the quarterly adopter figures reach the performance reports through the registry."""

from datetime import date

from permanence.adopters.tests.test_services import TO_APPROVAL, household, walk
from permanence.performance import measures
from permanence.performance.rules import Period


def test_scorecard_for_an_raa_includes_adopter_measures(region):
    walk(household(region, name="Approved"), None, TO_APPROVAL)  # approved 27 Jun 2025, still waiting
    walk(household(region, name="Assessing"), None, TO_APPROVAL[:3])  # in assessment
    figures = {f.key: f for f in measures.scorecard(measures.scope_for_raa(region.raa), 2026)}
    assert figures["A11"].available and figures["A11"].value == 1
    assert figures["A13"].value == 1
    assert figures["A12"].value is None and figures["A12"].n == 0  # nobody matched yet
    la_figures = {f.key: f for f in measures.scorecard(measures.scope_for_la(region.la), 2026)}
    assert not la_figures["A11"].available and "RAA" in la_figures["A11"].note


def test_quarterly_adopter_figures(region):
    walk(household(region, name="Approved"), None, TO_APPROVAL)
    quarter = Period(date(2025, 4, 1), date(2025, 6, 30), "2025Q1")
    figures = {f.key: f for f in measures.quarterly_children(measures.scope_for_raa(region.raa), quarter)}
    assert figures["Q_ADOPTER_APPROVALS"].value == 1
    assert figures["Q_ADOPTER_APPROVED_6_MONTHS"].value == 100.0
    assert figures["Q_ADOPTERS_WAITING"].value == 1
