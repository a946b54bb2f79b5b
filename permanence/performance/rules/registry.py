"""The measures Permanence knows: their keys, labels, units and directions, and the bases figures are computed on.

A registry, so that adopter and adoption support measures slot in beside children's."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

RETROSPECTIVE = "retrospective"
PROSPECTIVE = "prospective"
BASIS_LABELS = {
    RETROSPECTIVE: "Retrospective: children adopted (or events recorded) in the period",
    PROSPECTIVE: "Prospective: a cohort by placement order date, children still waiting counted with their days so far",
}

LOWER = "lower"  # lower is better
HIGHER = "higher"
NEUTRAL = None


class Unit(StrEnum):
    DAYS = "days"
    PERCENT = "%"
    CHILDREN = "children"
    ADOPTERS = "adopters"
    POUNDS = "£"
    MONTHS = "months"
    LINKS = "links"
    # Adoption support (issue 12)
    CASES = "cases"  # support cases: a family's (or a person's) referral
    REQUESTS = "requests"  # adopted adults' requests
    APPLICATIONS = "applications"  # support fund applications
    EXCHANGES = "exchanges"  # letterbox exchanges
    CONTACT_PLANS = "contact plans"
    BIRTH_RELATIVES = "birth relatives"


# ---------------------------------------------------------------------------------------------
# Measure definitions: a registry, so that adopter and adoption support measures slot in beside children's.


@dataclass(frozen=True)
class MeasureDef:
    key: str
    label: str
    unit: Unit
    direction: str | None = LOWER
    family: str = "children"  # which function computes it: children, adopters, support
    kind: str = "average"  # average, percent, count
    description: str = ""


MEASURES: dict[str, MeasureDef] = {}


def register_measure(m: MeasureDef) -> MeasureDef:
    if m.key in MEASURES and MEASURES[m.key] != m:
        raise ValueError(f"measure {m.key} is already defined differently")
    MEASURES[m.key] = m
    return m


for _m in [
    MeasureDef("A1", "Average days from entering care to moving in with the adoptive family", Unit.DAYS,
               description="Children adopted in the period; n = children with both dates."),
    MeasureDef("A10", "Average days from entering care to moving in with the adoptive family, "
                      "adjusted for foster carer adoptions", Unit.DAYS,
               description="As A1, but a child adopted by its foster carers or its early permanence carers "
                           "counts to the day it moved in with those carers."),
    MeasureDef("A2", "Average days from placement order to the match decision", Unit.DAYS,
               description="Children adopted in the period with a placement order; a match before the order "
                           "counts 0."),
    MeasureDef("A3", "Children who moved in with their adoptive family within the months shown of entering care",
               Unit.PERCENT, direction=HIGHER, kind="percent"),
    MeasureDef("children_adopted", "Children adopted", Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    # Adopter measures: computed by the adopters app through measures.register_family("adopters", ...).
    MeasureDef("A11", "Approved adopters waiting to be matched (at the period end)", Unit.ADOPTERS,
               direction=NEUTRAL, family="adopters", kind="count"),
    MeasureDef("A12", "Matched adopters who waited 3 months or more from approval", Unit.PERCENT,
               direction=LOWER, family="adopters", kind="percent"),
    MeasureDef("A13", "Adoption applications still to be assessed (at the period end)", Unit.ADOPTERS,
               direction=NEUTRAL, family="adopters", kind="count"),
    # Prospective (seed 003, "A caution"): a cohort by placement order date.
    MeasureDef("P_PO_TO_MATCH", "Average days from placement order to match, children still waiting counted "
                                "to the report date", Unit.DAYS),
    MeasureDef("P_CARE_TO_MOVE_IN", "Average days from entering care to moving in (A10 basis), children still "
                                    "waiting counted to the report date", Unit.DAYS),
    MeasureDef("P_COHORT", "Children in the cohort (first placement order in the period)", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("P_MATCHED", "Children matched by the report date", Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("P_WAITING", "Children still waiting for a match on the report date", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("P_LEFT", "Children who left the adoption pathway unmatched (plan changed or PO revoked)",
               Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    # ASGLB-style quarterly measures for children (Coram-i): counts of children with the event in the quarter.
    MeasureDef("Q_ADM", "Children with an ADM decision that they should be placed for adoption", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("Q_PO", "Children granted a placement order", Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("Q_MATCHED", "Children matched (ADM match decision)", Unit.CHILDREN, direction=NEUTRAL,
               kind="count"),
    MeasureDef("Q_PLACED", "Children placed for adoption", Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("Q_EARLY_PERMANENCE", "Children in early permanence placements (FfA or concurrent)",
               Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("Q_AO", "Children adopted (adoption order)", Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("Q_PLAN_CHANGED", "Children whose plan changed away from adoption", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("Q_DISRUPTIONS", "Children whose adoptive placement disrupted before the adoption order",
               Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("Q_WAITING", "Children with a placement order waiting to be placed at the quarter end",
               Unit.CHILDREN, direction=NEUTRAL, kind="count"),
    MeasureDef("Q_WAITING_90D", "… of whom waiting more than 90 days since the placement order", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("Q_WAITING_12M", "… of whom waiting 12 months or more since the placement order", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("Q_WAITING_18M", "… of whom waiting 18 months or more since the placement order", Unit.CHILDREN,
               direction=NEUTRAL, kind="count"),
    MeasureDef("Q_WAITING_AVG_DAYS", "Average days since the placement order of the children waiting",
               Unit.DAYS),
    # Cost (seed 003)
    MeasureDef("COST_EXCESS_DAYS", "Days in care beyond the target", Unit.DAYS, kind="count"),
    MeasureDef("COST", "Cost of days in care beyond the target", Unit.POUNDS, kind="count"),
    MeasureDef("COST_AVOIDED", "Cost avoided against the baseline period", Unit.POUNDS, direction=HIGHER,
               kind="count"),
]:
    register_measure(_m)

SCORECARD_CHILD_KEYS = ("A1", "A10", "A2", "A3", "children_adopted")
SCORECARD_ADOPTER_KEYS = ("A11", "A12", "A13")
SCORECARD_KEYS = ("A1", "A10", "A2", "A3", "A11", "A12", "A13", "children_adopted")
QUARTERLY_CHILD_KEYS = ("Q_ADM", "Q_PO", "Q_MATCHED", "Q_PLACED", "Q_EARLY_PERMANENCE", "Q_AO", "Q_PLAN_CHANGED",
                        "Q_DISRUPTIONS", "Q_WAITING", "Q_WAITING_90D", "Q_WAITING_12M", "Q_WAITING_18M",
                        "Q_WAITING_AVG_DAYS")
