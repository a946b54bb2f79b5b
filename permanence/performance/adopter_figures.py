"""The adopters' Scorecard measures (A11–A13) and ASGLB adopter figures, registered with the performance app
so that every report, page, API and CLI shows the same figures.

Adopters are recruited and assessed by the RAA, not by each LA: for an RAA (or everything) the figures cover
its households; for a single LA or a chosen group of LAs they are shown as not applicable.
"""

from __future__ import annotations

from permanence.adopters.models import Enquiry, Household
from permanence.organisations.models import Organisation
from permanence.performance import adopter_measures, measures, rules
from permanence.performance.rules import RETROSPECTIVE, Figure, Period

SCORECARD = {"A11": "approved_waiting", "A12": "matched_after_3_months", "A13": "in_assessment"}
QUARTERLY = {
    "Q_ADOPTER_REGISTRATIONS": ("registrations", "Registrations of interest", "count"),
    "Q_ADOPTER_STAGE_1": ("stage_1_starts", "Households starting stage 1", "count"),
    "Q_ADOPTER_STAGE_2": ("stage_2_starts", "Households starting stage 2", "count"),
    "Q_ADOPTER_APPROVALS": ("approvals", "Households approved", "count"),
    "Q_ADOPTER_APPROVED_6_MONTHS": ("approved_within_6_months", "Approved within 6 months of registration",
                                    "percent"),
    # ASGLB: adopters matched within 3 months of approval (of those matched in the quarter), not A12's complement.
    "Q_ADOPTER_MATCHED_3_MONTHS": ("matched_within_3_months", "Matched adopters matched within 3 months of approval",
                                   "percent"),
    "Q_ADOPTERS_WAITING": ("approved_waiting", "Approved adopters waiting at the quarter end", "count"),
    "Q_ADOPTERS_LEFT": ("left_after_approval", "Approved adopters who left", "count"),
}
for key, (_, label, kind) in QUARTERLY.items():
    rules.register_measure(rules.MeasureDef(
        key, label, rules.Unit.PERCENT if kind == "percent" else rules.Unit.ADOPTERS, direction=rules.NEUTRAL,
        family="adopters", kind=kind))


def _households(scope: measures.Scope):
    if scope.kind == "raa":
        raa = Organisation.objects.filter(kind=Organisation.Kind.RAA, code=scope.code).first()
        return (Household.objects.filter(raa=raa), Enquiry.objects.filter(raa=raa)) if raa else None
    if scope.kind == "all":
        return Household.objects.all(), Enquiry.objects.all()
    return None


def _figures(scope: measures.Scope, period: Period, mapping: dict[str, str]) -> list[Figure]:
    found = _households(scope)
    if found is None:
        return [rules.unavailable_figure(key, period, note="Adopters are recruited by the RAA: see the RAA's figures")
                for key in mapping]
    m = adopter_measures.adopter_measures(*found, period.start, period.end)
    out = []
    for key, measure_key in mapping.items():
        fig = m[measure_key]
        definition = rules.MEASURES[key]
        value = fig.value
        out.append(Figure(key=key, label=definition.label, value=value, n=fig.n, unit=definition.unit.value,
                          basis=RETROSPECTIVE, period=period, direction=definition.direction,
                          household_ids=tuple(fig.household_ids)))
    return out


def scorecard_family(scope: measures.Scope, period: Period) -> list[Figure]:
    return _figures(scope, period, SCORECARD)


def quarterly_family(scope: measures.Scope, period: Period) -> list[Figure]:
    return _figures(scope, period, {key: measure for key, (measure, _, _) in QUARTERLY.items()})


def register() -> None:
    measures.register_family("scorecard", scorecard_family)
    measures.register_family("quarterly", quarterly_family)
