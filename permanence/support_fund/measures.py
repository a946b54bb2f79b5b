"""The support fund's quarterly figures, registered with the performance app (apps.py) so the quarterly report, its
downloads, the ASGLB return, the API and the CLI show them beside the other families' figures.

"As at" the quarter's end: only what had happened by that day (an application decided after the quarter was
pending in it). An application counts for the scope of its support case: an RAA's own cases for an RAA, the
cases whose placing LA is in the scope for an LA or a set of LAs, every case for all.

- Q_SUPPORT_FUND_SUBMITTED: applications submitted in the quarter.
- Q_SUPPORT_FUND_APPROVED_GBP: the amount approved by decisions made in the quarter (n: those applications).
- Q_SUPPORT_FUND_PAID_GBP: the amount paid in the quarter (n: those applications).
- Q_SUPPORT_FUND_DECIDED_IN_TIME: of the applications decided in the quarter, the percentage decided within the
  fund's decision timescale (the Timescale row `asf_decision` in force on the day submitted).
- Q_SUPPORT_FUND_AT_LIMIT: children whose approved total in the financial year of the quarter's end, as at the
  quarter's end, reached that year's fair access limit.
"""

from __future__ import annotations

from decimal import Decimal

from permanence.performance import measures, rules
from permanence.performance.rules import RETROSPECTIVE, Figure, Period
from permanence.performance.rules.figures import percent

SUBMITTED = "Q_SUPPORT_FUND_SUBMITTED"
APPROVED = "Q_SUPPORT_FUND_APPROVED_GBP"
PAID = "Q_SUPPORT_FUND_PAID_GBP"
IN_TIME = "Q_SUPPORT_FUND_DECIDED_IN_TIME"
AT_LIMIT = "Q_SUPPORT_FUND_AT_LIMIT"

DEFINITIONS = [
    rules.MeasureDef(SUBMITTED, "Support fund applications submitted", rules.Unit.APPLICATIONS, direction=rules.NEUTRAL,
                     family="support", kind="count",
                     description="Applications to the Adoption and Special Guardianship Support Fund submitted in "
                                 "the quarter (n: applications)."),
    rules.MeasureDef(APPROVED, "Support fund: amount approved", rules.Unit.POUNDS, direction=rules.NEUTRAL,
                     family="support", kind="count",
                     description="Pounds approved by the fund's decisions made in the quarter (n: applications)."),
    rules.MeasureDef(PAID, "Support fund: amount paid", rules.Unit.POUNDS, direction=rules.NEUTRAL,
                     family="support", kind="count",
                     description="Pounds the fund paid in the quarter (n: applications)."),
    rules.MeasureDef(IN_TIME, "Support fund applications decided within the fund's timescale", rules.Unit.PERCENT,
                     direction=rules.HIGHER, family="support", kind="percent",
                     description="Of the applications decided in the quarter, those decided within the decision "
                                 "timescale of their submission (n: applications decided)."),
    rules.MeasureDef(AT_LIMIT, "Children whose approved support fund total reached the fair access limit",
                     rules.Unit.CHILDREN, direction=rules.NEUTRAL, family="support", kind="count",
                     description="At the quarter end: children whose applications approved in the financial "
                                 "year reached that year's limit per child."),
]
KEYS = tuple(d.key for d in DEFINITIONS)
for _definition in DEFINITIONS:
    rules.register_measure(_definition)


def applications_in(scope: measures.Scope):
    from permanence.support_fund.models import FundApplication

    rows = FundApplication.objects.filter(submitted_on__isnull=False)
    if scope.kind == "raa":
        rows = rows.filter(case__raa__code=scope.code)
    elif scope.la_ids is not None:
        rows = rows.filter(case__placing_la_id__in=scope.la_ids)
    return rows


def _figure(key: str, value, n: int, period: Period, note: str = "") -> Figure:
    m = rules.MEASURES[key]
    return Figure(key=key, label=m.label, value=value, n=n, unit=m.unit.value, basis=RETROSPECTIVE, period=period,
                  direction=m.direction, note=note)


def _pounds(amounts) -> int | float:
    total = sum(amounts, Decimal(0))
    return int(total) if total == total.to_integral_value() else float(total)


def figures(scope: measures.Scope, period: Period) -> list[Figure]:
    from permanence.support_fund import rules as fund_rules
    from permanence.support_fund import selectors
    from permanence.support_fund.models import FairAccessLimit
    from permanence.timescales.models import Timescale

    start, end = period.start, period.end
    rows = list(applications_in(scope).filter(submitted_on__lte=end).select_related("case"))
    submitted = [a for a in rows if start <= a.submitted_on <= end]
    decided = [a for a in rows if a.decided_on and start <= a.decided_on <= end and a.decision]
    approved = [a for a in decided if a.decision == fund_rules.Decision.APPROVED and a.amount_approved is not None]
    paid = [a for a in rows if a.paid_on and start <= a.paid_on <= end and a.amount_paid is not None]
    scales = [t for t in Timescale.objects.filter(key="asf_decision").order_by("-valid_from")]

    def in_time(a) -> bool:
        scale = next((t for t in scales if t.valid_from <= a.submitted_on
                      and (t.valid_to is None or a.submitted_on <= t.valid_to)), None)
        return scale is None or fund_rules.decided_within(a.submitted_on, a.decided_on, scale.amount, scale.unit)

    year = fund_rules.financial_year(end)
    limits = [row.as_fact() for row in FairAccessLimit.objects.all()]
    limit = fund_rules.limit_for(limits, year)
    year_start, _ = fund_rules.financial_year_bounds(year)
    facts = [selectors.fact_of(a, selectors.child_key_of(a.case)) for a in rows if a.submitted_on >= year_start]
    totals = fund_rules.approved_totals(facts, year, day=end)
    reached = [key for key, by_kind in totals.items() if fund_rules.reached_limit(by_kind, limit)]
    timely = [a for a in decided if in_time(a)]
    return [
        _figure(SUBMITTED, len(submitted), len(submitted), period),
        _figure(APPROVED, _pounds(a.amount_approved for a in approved), len(approved), period),
        _figure(PAID, _pounds(a.amount_paid for a in paid), len(paid), period),
        _figure(IN_TIME, percent(len(timely), len(decided)), len(decided), period),
        _figure(AT_LIMIT, len(reached), len(reached), period,
                note=f"{fund_rules.financial_year_label(year)}, on {end:%d/%m/%Y}"),
    ]


def register() -> None:
    measures.register_family("quarterly", figures, dashboard=measures.SUPPORT_DASHBOARD)
