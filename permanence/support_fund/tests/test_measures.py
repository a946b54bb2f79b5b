"""The fund's quarterly figures, as at the quarter's end, against a plain count over the rows made here."""

from datetime import date
from decimal import Decimal

from permanence.performance import measures
from permanence.performance.rules import Period
from permanence.support_fund import measures as fund_measures
from permanence.support_fund.models import FundApplication
from permanence.timescales.rules import add_working_days

from .helpers import application, make_case

Q2 = Period(date(2025, 7, 1), date(2025, 9, 30), "Q2 2025/26")


def _world(region):
    a = make_case(region.raa, child_name="Ann One", family="One")
    b = make_case(region.raa, child_name="Bea Two", family="Two")
    south = make_case(region.other_raa, child_name="Cai Three", family="Three")
    # a: £3,000 approved within 2025/26 – reaches the limit; decided in 20 working days (in time)
    application(a, "therapy", 2000, submitted=date(2025, 4, 10), decided=date(2025, 5, 1), decision="approved",
                approved=2000, paid=date(2025, 7, 3))
    application(a, "assessment", 1000, submitted=date(2025, 7, 1), decided=add_working_days(date(2025, 7, 1), 20),
                decision="approved", approved=1000, paid=date(2025, 10, 2))
    # b: submitted in Q2, decided late (21 working days), approved £1,500 of £1,800; another decided after Q2
    application(b, "therapy", 1800, submitted=date(2025, 8, 1), decided=add_working_days(date(2025, 8, 1), 21),
                decision="approved", approved=1500, paid=date(2025, 9, 30))
    application(b, "therapy", 1200, submitted=date(2025, 9, 30), decided=date(2025, 10, 1), decision="approved",
                approved=1200)
    application(b, "assessment", 400, submitted=date(2025, 9, 1), decided=date(2025, 9, 2), decision="declined")
    application(b, "therapy", 900)  # a draft: never counted
    # another RAA's: out of the North RAA's scope, in "all"
    application(south, "therapy", 3000, submitted=date(2025, 7, 2), decided=date(2025, 7, 3), decision="approved",
                approved=3000)
    return a, b, south


def _expected(rows, period, raa_code=None):
    """The figures worked out plainly from the rows."""
    rows = [r for r in rows if raa_code is None or r.case.raa.code == raa_code]
    inside = lambda d: d is not None and period.start <= d <= period.end  # noqa: E731
    submitted = [r for r in rows if inside(r.submitted_on)]
    decided = [r for r in rows if inside(r.decided_on)]
    approved = [r for r in decided if r.decision == "approved"]
    paid = [r for r in rows if inside(r.paid_on)]
    timely = [r for r in decided if r.decided_on <= add_working_days(r.submitted_on, 20)]
    totals = {}
    for r in rows:
        if r.decision == "approved" and r.decided_on <= period.end and r.submitted_on >= date(2025, 4, 1):
            totals[r.case_id] = totals.get(r.case_id, 0) + r.amount_approved
    return {
        fund_measures.SUBMITTED: len(submitted),
        fund_measures.APPROVED: sum(r.amount_approved for r in approved),
        fund_measures.PAID: sum(r.amount_paid for r in paid),
        fund_measures.IN_TIME: round(100 * len(timely) / len(decided)) if decided else None,
        fund_measures.AT_LIMIT: sum(1 for t in totals.values() if t >= 3000),
    }


def test_quarterly_figures_against_a_plain_count(region):
    _world(region)
    rows = list(FundApplication.objects.select_related("case__raa"))
    north = {f.key: f.value for f in fund_measures.figures(measures.scope_for_raa(region.raa), Q2)}
    everyone = {f.key: f.value for f in fund_measures.figures(measures.scope_all(), Q2)}
    assert north == _expected(rows, Q2, "NR")
    assert everyone == _expected(rows, Q2)
    # the figures themselves, so the plain count is not wrong the same way
    assert north == {fund_measures.SUBMITTED: 4, fund_measures.APPROVED: 2500, fund_measures.PAID: 3500,
                     fund_measures.IN_TIME: 67, fund_measures.AT_LIMIT: 1}
    assert everyone[fund_measures.AT_LIMIT] == 2 and everyone[fund_measures.APPROVED] == Decimal(5500)


def test_as_at_the_quarter_end(region):
    """Q1 (April–June): the assessment decided in July was not yet approved, so child a had not reached the limit."""
    _world(region)
    q1 = Period(date(2025, 4, 1), date(2025, 6, 30), "Q1 2025/26")
    got = {f.key: f.value for f in fund_measures.figures(measures.scope_for_raa(region.raa), q1)}
    assert got == _expected(list(FundApplication.objects.select_related("case__raa")), q1, "NR")
    assert got[fund_measures.AT_LIMIT] == 0 and got[fund_measures.SUBMITTED] == 1


def test_registered_with_the_quarterly_report(region):
    from permanence.performance.measures import _FAMILIES

    assert fund_measures.figures in _FAMILIES["quarterly"]
