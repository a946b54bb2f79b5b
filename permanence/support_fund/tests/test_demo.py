"""The demo's providers, plans and fund applications: on the cases with a plan agreed, consistent, deletable."""

from datetime import date

from permanence.demo import support_fund as demo
from permanence.support import services as support_services
from permanence.support.models import SupportCase
from permanence.support_fund import rules
from permanence.support_fund.models import FundApplication, SupportPlan, SupportProvider

from .helpers import make_case


def test_plans_and_applications_on_cases_with_a_plan_agreed(region, today):
    cases = []
    for i in range(12):
        case = make_case(region.raa if i % 2 else region.other_raa, child_name=f"Kid {i}", family=f"F{i}")
        if i < 10:
            support_services.record_event(case=case, kind="support_plan_agreed", date=date(2025, 5, 2), actor=None,
                                          check_role=False, on=today)
        cases.append(case)
    done = demo.load(SupportCase.objects.all(), seed=7, today=today)
    assert done["providers"] == 2 * len(demo.PROVIDERS) and done["plans"] == 10
    assert SupportPlan.objects.count() == 10 and not SupportPlan.objects.filter(case__in=cases[10:]).exists()
    for app in FundApplication.objects.select_related("case", "provider"):
        assert app.provider.raa_id == app.case.raa_id
        assert app.submitted_on is None or app.submitted_on <= today
        if app.decided_on:
            assert app.decided_on >= app.submitted_on and app.status in (
                rules.Status.DECLINED, rules.Status.APPROVED, rules.Status.PAID)
        if app.paid_on:
            assert app.paid_on >= app.decided_on and app.amount_paid == app.amount_approved
    for plan in SupportPlan.objects.prefetch_related("services__provider__commissions"):
        for s in plan.services.all():
            assert any(c.in_force(s.start_date) for c in s.provider.commissions.all())
    again = demo.load(SupportCase.objects.all(), seed=7, today=today)  # nothing twice
    assert again == {"providers": 0, "plans": 0, "plan_services": 0, "fund_applications": 0}
    assert SupportProvider.objects.count() == 2 * len(demo.PROVIDERS)
