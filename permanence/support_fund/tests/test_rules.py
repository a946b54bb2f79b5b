"""The fund's pure rules: financial years, the fair access limit across years, statuses from dates, timescales."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from permanence.support_fund import rules
from permanence.support_fund.rules import ApplicationFact, LimitFact, Status

D = Decimal
OLD = LimitFact(financial_year=2016, therapy=D(5000), assessment=D(2500), match_funding=True)
NEW = LimitFact(financial_year=2025, combined=D(3000))
LIMITS = [OLD, NEW]
CHILD = "child:7"


def app(n, kind="therapy", requested=1000, submitted=date(2025, 6, 1), *, decided=None, decision="", approved=None,
        paid=None, withdrawn=None, child=CHILD):
    return ApplicationFact(id=n, child_key=child, kind=kind, requested=D(requested), submitted_on=submitted,
                           decided_on=decided, decision=decision,
                           approved=D(approved) if approved is not None else None, paid_on=paid,
                           withdrawn_on=withdrawn)


@pytest.mark.parametrize(("day", "year"), [
    (date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2025, 4, 1), 2025), (date(2025, 3, 31), 2024),
    (date(2016, 12, 25), 2016), (date(2017, 1, 1), 2016),
])
def test_financial_year_starts_on_1_april(day, year):
    assert rules.financial_year(day) == year
    start, end = rules.financial_year_bounds(year)
    assert start <= day <= end and start == date(year, 4, 1) and end == date(year + 1, 3, 31)


def test_financial_year_label():
    assert rules.financial_year_label(2025) == "2025/26"
    assert rules.financial_year_label(1999) == "1999/00"


def test_the_limit_in_force_is_the_latest_earlier_years():
    assert rules.limit_for(LIMITS, 2015) is None
    assert rules.limit_for(LIMITS, 2016) is OLD
    assert rules.limit_for(LIMITS, 2024) is OLD
    assert rules.limit_for(LIMITS, 2025) is NEW
    assert rules.limit_for(LIMITS, 2030) is NEW


def test_the_2016_limits_are_separate_for_therapy_and_assessment():
    assert OLD.cap_for("therapy") == 5000 and OLD.cap_for("assessment") == 2500
    assert not OLD.counts_together("therapy", "assessment")
    assert NEW.cap_for("therapy") == NEW.cap_for("assessment") == 3000
    assert NEW.counts_together("therapy", "assessment")
    assert "£3,000" in NEW.label and "assessments included" in NEW.label
    assert OLD.label == "£5,000 for therapy and £2,500 for specialist assessment a child a year"


def test_statuses_come_from_the_dates():
    assert app(1, submitted=None).status() is Status.DRAFT
    assert app(1).status() is Status.SUBMITTED
    declined = app(1, decided=date(2025, 6, 20), decision="declined")
    assert declined.status() is Status.DECLINED and declined.status(date(2025, 6, 19)) is Status.SUBMITTED
    paid = app(1, decided=date(2025, 6, 20), decision="approved", approved=900, paid=date(2025, 7, 1))
    assert paid.status() is Status.PAID
    assert paid.status(date(2025, 6, 30)) is Status.APPROVED
    assert paid.status(date(2025, 5, 31)) is Status.DRAFT
    assert app(1, withdrawn=date(2025, 6, 2)).status() is Status.WITHDRAWN


def test_what_counts_against_the_limit():
    assert rules.counted_amount(app(1, requested=1200)) == 1200  # pending: what was asked for
    approved = app(1, requested=1200, decided=date(2025, 6, 5), decision="approved", approved=800)
    assert rules.counted_amount(approved) == 800  # approved: what was approved
    assert rules.counted_amount(approved, date(2025, 6, 4)) == 1200  # … pending the day before
    assert rules.counted_amount(app(1, decided=date(2025, 6, 5), decision="declined")) == 0
    assert rules.counted_amount(app(1, submitted=None)) == 0
    assert rules.counted_amount(app(1, withdrawn=date(2025, 6, 3))) == 0


def _check(others, kind, amount, on, **kw):
    return rules.check_limit(limits=LIMITS, applications=others, child_key=CHILD, kind=kind, amount=D(amount),
                             on=on, **kw)


def test_2025_limit_counts_therapy_and_assessments_together():
    others = [app(1, "therapy", 1500, date(2025, 4, 1)),
              app(2, "assessment", 1000, date(2025, 9, 1), decided=date(2025, 9, 10), decision="approved",
                  approved=1000)]
    check = _check(others, "therapy", 500, date(2026, 3, 31))
    assert (check.cap, check.used, check.headroom, check.breaches) == (3000, 2500, 500, False)
    over = _check(others, "assessment", 501, date(2026, 3, 31))
    assert over.breaches and over.over_by == 1 and over.year_label == "2025/26"


def test_a_new_financial_year_starts_afresh_on_1_april():
    others = [app(1, "therapy", 3000, date(2026, 3, 31))]
    assert _check(others, "therapy", 1, date(2026, 3, 31)).breaches
    fresh = _check(others, "therapy", 3000, date(2026, 4, 1))
    assert (fresh.financial_year, fresh.used, fresh.headroom, fresh.breaches) == (2026, 0, 3000, False)


def test_the_2025_change_on_the_boundary():
    """£4,000 of therapy on 31 March 2025 is within 2024/25's £5,000; a day later it breaches 2025/26's £3,000."""
    assert not _check([], "therapy", 4000, date(2025, 3, 31)).breaches
    later = _check([], "therapy", 4000, date(2025, 4, 1))
    assert later.breaches and later.over_by == 1000 and later.cap == 3000
    # before 2025/26 an assessment does not use up the therapy limit
    others = [app(1, "assessment", 2500, date(2024, 5, 1))]
    assert not _check(others, "therapy", 5000, date(2025, 3, 31)).breaches
    assert _check(others, "assessment", 1, date(2025, 3, 31)).breaches
    # … and the 2024/25 applications do not count in 2025/26
    assert _check(others, "assessment", 3000, date(2025, 4, 1)).used == 0


def test_declined_withdrawn_drafts_other_children_and_itself_do_not_count():
    others = [app(1, "therapy", 2000, decided=date(2025, 6, 2), decision="declined"),
              app(2, "therapy", 2000, withdrawn=date(2025, 6, 2)),
              app(3, "therapy", 2000, submitted=None),
              app(4, "therapy", 2000, child="child:8"),
              app(5, "therapy", 2000)]
    check = _check(others, "therapy", 2000, date(2025, 7, 1), exclude_id=5)
    assert check.used == 0 and not check.breaches
    assert _check(others, "therapy", 2000, date(2025, 7, 1)).breaches


def test_no_limit_recorded_never_breaches():
    check = rules.check_limit(limits=[], applications=[], child_key=CHILD, kind="therapy", amount=D(10**6),
                              on=date(2025, 5, 1))
    assert check.cap is None and check.headroom is None and not check.breaches


def test_child_key():
    assert rules.child_key(child_id=7) == CHILD
    assert rules.child_key(child_id=None, name="  Ada   LOVELACE ", date_of_birth=date(2019, 2, 3)) == \
        rules.child_key(child_id=None, name="ada lovelace", date_of_birth=date(2019, 2, 3)) == \
        "name:ada lovelace|2019-02-03"


def test_approved_totals_and_reaching_the_limit():
    apps = [app(1, "therapy", 2000, date(2025, 5, 1), decided=date(2025, 5, 20), decision="approved", approved=2000),
            app(2, "assessment", 1000, date(2025, 6, 1), decided=date(2025, 7, 1), decision="approved",
                approved=1000),
            app(3, "therapy", 500, date(2025, 6, 1)),  # pending: not approved
            app(4, "therapy", 3000, date(2024, 6, 1), decided=date(2024, 7, 1), decision="approved", approved=3000,
                child="child:8")]
    totals = rules.approved_totals(apps, 2025, day=date(2025, 6, 30))
    assert totals == {CHILD: {"therapy": D(2000)}}
    totals = rules.approved_totals(apps, 2025, day=date(2025, 7, 1))
    assert totals == {CHILD: {"therapy": D(2000), "assessment": D(1000)}}
    assert rules.reached_limit(totals[CHILD], NEW)
    assert not rules.reached_limit({"therapy": D(4999)}, OLD)
    assert rules.reached_limit({"assessment": D(2500)}, OLD)
    assert not rules.reached_limit({"therapy": D(1)}, None)


def test_decided_within_the_timescale_in_working_days():
    # submitted Thursday 17 April 2025: 20 working days skip Good Friday, Easter Monday and the May bank holiday
    assert rules.decided_within(date(2025, 4, 17), date(2025, 5, 20), 20, "working_days")
    assert not rules.decided_within(date(2025, 4, 17), date(2025, 5, 21), 20, "working_days")


def test_review_overdue_and_commission_in_force():
    assert rules.review_overdue(date(2025, 6, 1), None, date(2025, 6, 2))
    assert not rules.review_overdue(date(2025, 6, 1), None, date(2025, 6, 1))
    assert not rules.review_overdue(date(2025, 6, 1), date(2025, 7, 1), date(2025, 8, 1))
    assert not rules.review_overdue(None, None, date(2025, 8, 1))
    assert rules.in_force(date(2025, 1, 1), None, date(2030, 1, 1))
    assert rules.in_force(date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31))
    assert not rules.in_force(date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 1))
    assert not rules.in_force(date(2025, 1, 1), None, date(2024, 12, 31))


def test_age_on():
    assert rules.age_on(date(2018, 4, 1), date(2025, 3, 31)) == 6
    assert rules.age_on(date(2018, 4, 1), date(2025, 4, 1)) == 7
    assert rules.age_on(None, date(2025, 4, 1)) is None
