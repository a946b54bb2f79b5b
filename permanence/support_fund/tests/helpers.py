"""Support cases at the step a plan needs, providers with commissions, and applications, for the tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from permanence.support import services as support_services
from permanence.support_fund import services
from permanence.support_fund.models import Commission, FundApplication, SupportPlan, SupportProvider

ASSESSED = [("duty_outcome", date(2025, 4, 2), {"outcome": "for_assessment"}),
            ("assessment_requested", date(2025, 4, 3), {}),
            ("allocated", date(2025, 4, 7), {}),
            ("assessment_started", date(2025, 4, 10), {}),
            ("assessment_completed", date(2025, 5, 1), {"outcome": "support_needed"})]


def make_case(raa, *, child=None, child_name="Sam Testcase", dob=date(2016, 4, 1), steps=ASSESSED, family="Hart"):
    case = support_services.create_referral(
        actor=None, raa=raa, on=date(2025, 9, 1), check_role=False, referrer_type="adoptive_family",
        referred_on=date(2025, 4, 1), family_name=f"{family} family", referrer_name=f"Jo {family}",
        reason="Support after the order", child=child, child_name="" if child else child_name,
        child_date_of_birth=None if child else dob)
    from permanence import access

    worker = access.support_workers_for(raa).order_by("pk").first()
    for kind, day, details in steps:
        if kind == "allocated":
            details = {"worker": worker.pk}
        support_services.record_event(case=case, kind=kind, date=day, actor=None, details=details, check_role=False,
                                      on=date(2025, 9, 1))
    case.refresh_from_db()
    return case


def make_provider(raa, name="Bridges Therapy", *, tier="specialist", start=date(2024, 4, 1), end=None):
    provider = services.add_provider(actor=None, raa=raa, name=name, services="Therapeutic life story work",
                                     tier=tier, check_role=False)
    services.add_commission(actor=None, provider=provider, description="Framework 2024", start_date=start,
                            end_date=end, outcome="ongoing" if end is None else "delivered", check_role=False)
    return provider


def application(case, kind="therapy", amount=1000, *, submitted=None, decided=None, decision="", approved=None,
                paid=None):
    """An application straight into the table (the dates as given): for measures and limits."""
    return FundApplication.objects.create(
        case=case, kind=kind, amount_requested=Decimal(amount), description="Therapy", submitted_on=submitted,
        financial_year=submitted.year if submitted and submitted.month >= 4 else
        (submitted.year - 1 if submitted else None), decided_on=decided, decision=decision,
        amount_approved=Decimal(approved) if approved is not None else None, paid_on=paid,
        amount_paid=Decimal(approved) if paid and approved is not None else None)


def access_rows(raa, case):
    """One of each record a get_*_for returns, on this RAA's case (core/tests/test_access_package.py)."""
    provider = SupportProvider.objects.create(raa=raa, name=f"Provider {raa.code}", services="Groups",
                                              tier="universal")
    commission = Commission.objects.create(provider=provider, description="Groups", start_date=date(2025, 1, 1))
    plan = SupportPlan.objects.create(case=case, start_date=date(2025, 6, 1), review_date=date(2025, 12, 1))
    return provider, commission, plan, application(case)
