"""Plans, services, providers and applications through the services: validation, the journey, the limit, audit."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from permanence.core.models import AuditEvent
from permanence.organisations.models import Role
from permanence.support_fund import services
from permanence.support_fund.models import FairAccessLimit

from .helpers import ASSESSED, application, make_case, make_provider


def test_a_plan_is_agreed_on_the_case_journey(region, today):
    case = make_case(region.raa)
    worker = region.staff[("NR", Role.RAA_SUPPORT_WORKER)]
    plan = services.add_plan(actor=worker, case=case, start_date=date(2025, 5, 6), review_date=date(2025, 8, 6))
    case.refresh_from_db()
    assert case.stage == "receiving_support" and case.plan_agreed_on == date(2025, 5, 6)
    assert case.events.filter(kind="support_plan_agreed").count() == 1
    assert AuditEvent.objects.filter(action="support_plan.add", object_id=str(plan.pk)).exists()
    assert plan.review_overdue(date(2025, 8, 7)) and not plan.review_overdue(date(2025, 8, 6))


def test_a_plan_before_the_assessment_is_completed_is_refused(region, today):
    case = make_case(region.raa, steps=ASSESSED[:4])
    with pytest.raises(ValidationError) as refused:
        services.add_plan(actor=None, case=case, start_date=date(2025, 5, 6), review_date=date(2025, 8, 6),
                          check_role=False)
    assert "start_date" in refused.value.message_dict
    assert not case.plans.exists()  # the plan was rolled back with the refused step


def test_plan_dates_and_roles(region, today):
    case = make_case(region.raa)
    with pytest.raises(ValidationError) as refused:
        services.add_plan(actor=None, case=case, start_date=date(2025, 5, 6), review_date=date(2025, 5, 5),
                          check_role=False)
    assert refused.value.message_dict["review_date"] == [
        "The review date must be the same as or after the date the plan starts."]
    for who in (region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)], region.staff[("SR", Role.RAA_SUPPORT_WORKER)],
                region.staff[("NR", Role.RAA_FAMILY_FINDER)]):
        with pytest.raises(ValidationError):
            services.add_plan(actor=who, case=case, start_date=date(2025, 5, 6), review_date=date(2025, 8, 6))


def test_a_service_needs_a_commission_in_force_on_its_start_date(region, today):
    case = make_case(region.raa)
    plan = services.add_plan(actor=None, case=case, start_date=date(2025, 5, 6), review_date=date(2025, 8, 6),
                             check_role=False)
    ended = make_provider(region.raa, "Old Provider", start=date(2023, 4, 1), end=date(2025, 5, 31))
    other_raas = make_provider(region.other_raa, "Southern Therapy")
    ok = services.add_service(actor=None, plan=plan, tier="specialist", description="Therapy", provider=ended,
                              start_date=date(2025, 5, 31), check_role=False)
    assert ok.provider == ended
    with pytest.raises(ValidationError) as refused:
        services.add_service(actor=None, plan=plan, tier="specialist", description="Therapy", provider=ended,
                             start_date=date(2025, 6, 1), check_role=False)
    assert refused.value.message_dict["provider"] == [
        "Old Provider has no commission in force on 1 June 2025: choose another provider, or record the "
        "commission first."]
    with pytest.raises(ValidationError) as refused:
        services.add_service(actor=None, plan=plan, tier="nope", description="", provider=other_raas,
                             start_date=date(2025, 5, 1), check_role=False)
    assert set(refused.value.message_dict) == {"tier", "description", "provider", "start_date"}


def test_closing_a_plan_needs_its_outcome_and_the_familys_feedback(region, today):
    case = make_case(region.raa)
    plan = services.add_plan(actor=None, case=case, start_date=date(2025, 5, 6), review_date=date(2025, 8, 6),
                             check_role=False)
    with pytest.raises(ValidationError) as refused:
        services.close_plan(actor=None, plan=plan, end_date=date(2025, 5, 1), outcome="", family_feedback=" ",
                            check_role=False)
    assert set(refused.value.message_dict) == {"end_date", "outcome", "family_feedback"}
    services.close_plan(actor=None, plan=plan, end_date=date(2025, 8, 30), outcome="needs_met",
                        family_feedback="It helped.", check_role=False)
    plan.refresh_from_db()
    assert not plan.is_open and not plan.review_overdue(date(2026, 1, 1))


def test_provider_list_validation_and_roles(region, today):
    manager = region.staff[("NR", Role.RAA_TEAM_MANAGER)]
    provider = services.add_provider(actor=manager, raa=region.raa, name="Bridges", services="Therapy",
                                     tier="specialist", registration_number="SC123456")
    with pytest.raises(ValidationError) as refused:
        services.add_provider(actor=manager, raa=region.raa, name="bridges", services="", tier="")
    assert refused.value.message_dict == {"name": ["A provider with this name is already on the list."],
                                          "services": ["Enter the services the provider offers."],
                                          "tier": ["Choose the tier of the provider's services."]}
    with pytest.raises(ValidationError):
        services.add_provider(actor=region.staff[("NR", Role.RAA_SUPPORT_WORKER)], raa=region.raa, name="X",
                              services="Y", tier="universal")
    with pytest.raises(ValidationError):  # another RAA's manager
        services.change_provider(actor=region.staff[("SR", Role.RAA_TEAM_MANAGER)], provider=provider,
                                 name="X", services="Y", tier="universal")
    with pytest.raises(ValidationError) as refused:
        services.add_commission(actor=manager, provider=provider, description="Framework", start_date=date(2025, 4, 1),
                                end_date=date(2025, 3, 1), outcome="delivered")
    assert "end_date" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.add_commission(actor=manager, provider=provider, description="Framework", start_date=date(2025, 4, 1),
                                outcome="delivered")
    assert refused.value.message_dict["end_date"] == [
        "Enter the date the commission ended, or choose ‘Ongoing’ as its outcome."]
    c = services.add_commission(actor=manager, provider=provider, description="Framework",
                                start_date=date(2025, 4, 1))
    services.change_commission(actor=manager, commission=c, description="Framework", start_date=date(2025, 4, 1),
                               end_date=date(2026, 3, 31), outcome="partly_delivered")
    change = AuditEvent.objects.get(action="support_commission.change")
    assert change.before["outcome"] == "ongoing" and change.after["outcome"] == "partly_delivered"


def _submit(app, day, **kw):
    return services.submit_application(actor=None, application=app, submitted_on=day, check_role=False, **kw)


def test_an_application_over_the_limit_is_refused_until_confirmed_with_a_reason(region, today):
    case = make_case(region.raa)
    application(case, "therapy", 2000, submitted=date(2025, 5, 1), decided=date(2025, 5, 20), decision="approved",
                approved=2000)
    application(case, "assessment", 500, submitted=date(2025, 6, 1))  # pending: counts at its requested amount
    draft = services.create_application(actor=None, case=case, kind="therapy", amount_requested="600",
                                        description="Therapy", check_role=False)
    check = services.limit_check(case=case, kind="therapy", amount=draft.amount_requested, on=date(2025, 8, 1),
                                 exclude=draft)
    assert (check.used, check.headroom, check.breaches, check.over_by) == (2500, 500, True, 100)
    with pytest.raises(ValidationError) as refused:
        _submit(draft, date(2025, 8, 1))
    assert refused.value.message_dict["confirm_over_limit"] == [
        "This application is £100.00 over the fair access limit for 2025/26: £500.00 of the £3,000.00 limit is "
        "left for this child, and there is no match funding above it. Confirm you want to submit it."]
    assert "over_limit_reason" in refused.value.message_dict
    done = _submit(draft, date(2025, 8, 1), confirm_over_limit=True, over_limit_reason="Agreed with the LA")
    assert done.over_limit and done.financial_year == 2025 and done.status.value == "submitted"


def test_a_draft_submitted_on_1_april_counts_in_the_new_year(region, today):
    """£4,500 of therapy submitted on 31 March 2025 uses 2024/25's £5,000 therapy limit: a further £3,000 that day
    would breach it, but submitted on 1 April 2025 it falls in 2025/26 (£3,000 in all), which starts afresh."""
    case = make_case(region.raa)
    application(case, "therapy", 4500, submitted=date(2025, 3, 31), decided=date(2025, 4, 20), decision="approved",
                approved=4500)
    draft = services.create_application(actor=None, case=case, kind="therapy", amount_requested="3000",
                                        description="Therapy", check_role=False)
    assert services.limit_check(case=case, kind="therapy", amount=3000, on=date(2025, 3, 31), exclude=draft).breaches
    done = _submit(draft, date(2025, 4, 1))
    assert not done.over_limit and done.financial_year == 2025


def test_the_limit_is_the_childs_across_cases_and_raas(region, today):
    child = region.child(dob=date(2016, 4, 1))
    north = make_case(region.raa, child=child)
    south = make_case(region.other_raa, child=child, family="Moved")
    typed = make_case(region.raa, child_name="Sam Other", family="Typed")
    application(south, "therapy", 2800, submitted=date(2025, 5, 1))
    application(typed, "therapy", 2800, submitted=date(2025, 5, 1))
    assert services.limit_check(case=north, kind="assessment", amount=300, on=date(2025, 9, 1)).breaches
    assert services.limit_check(case=typed, kind="therapy", amount=200, on=date(2025, 9, 1)).headroom == 200
    same_typed = make_case(region.other_raa, child_name="  sam   OTHER", family="Again")
    assert services.limit_check(case=same_typed, kind="therapy", amount=201, on=date(2025, 9, 1)).breaches


def test_decision_and_payment(region, today):
    case = make_case(region.raa)
    app = application(case, "therapy", 1000, submitted=date(2025, 6, 2))
    with pytest.raises(ValidationError) as refused:
        services.decide_application(actor=None, application=app, decided_on=date(2025, 6, 1), decision="approved",
                                    amount_approved="1200", check_role=False)
    assert set(refused.value.message_dict) == {"decided_on", "amount_approved"}
    services.decide_application(actor=None, application=app, decided_on=date(2025, 6, 20), decision="approved",
                                amount_approved="900", check_role=False)
    with pytest.raises(ValidationError):
        services.decide_application(actor=None, application=app, decided_on=date(2025, 6, 20), decision="declined",
                                    check_role=False)
    with pytest.raises(ValidationError) as refused:
        services.record_payment(actor=None, application=app, paid_on=date(2025, 7, 1), amount_paid="901",
                                check_role=False)
    assert list(refused.value.message_dict) == ["amount_paid"]
    paid = services.record_payment(actor=None, application=app, paid_on=date(2025, 7, 1), amount_paid="900",
                                   check_role=False)
    assert paid.status.value == "paid" and paid.amount_paid == Decimal("900.00")
    assert AuditEvent.objects.filter(object_id=str(app.pk), action__startswith="fund_application.").count() == 2


def test_the_limit_table_is_kept_by_system_administrators(region, today):
    admin = region.staff[("NR", Role.SYSTEM_ADMINISTRATOR)]
    assert FairAccessLimit.objects.get(financial_year=2025).combined_limit == 3000  # the data migration's rows
    assert FairAccessLimit.objects.get(financial_year=2016).therapy_limit == 5000
    with pytest.raises(ValidationError):
        services.set_fair_access_limit(actor=region.staff[("NR", Role.RAA_TEAM_MANAGER)], financial_year=2026,
                                       combined_limit=3500, source="Guidance")
    with pytest.raises(ValidationError) as refused:
        services.set_fair_access_limit(actor=admin, financial_year=2026, combined_limit=3500, therapy_limit=10,
                                       source="")
    assert set(refused.value.message_dict) == {"combined_limit", "source"}
    services.set_fair_access_limit(actor=admin, financial_year=2026, combined_limit="3500", source="Guidance 2026")
    case = make_case(region.raa)
    assert services.limit_check(case=case, kind="therapy", amount=0, on=date(2026, 4, 1)).cap == 3500
    assert services.limit_check(case=case, kind="therapy", amount=0, on=date(2026, 3, 31)).cap == 3000
