"""Every write of support plans, the provider list and the support fund: validate, save in a transaction, audit.

The role checks are access's (access.support_fund); `check_role=False` is for the demo and tests only.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence import access
from permanence.core import audit
from permanence.core.clock import today  # noqa: F401 (services.today: the one clock)
from permanence.journeys.services import actor_or_none as _actor
from permanence.support_fund import rules, selectors
from permanence.support_fund.models import (
    Commission,
    FairAccessLimit,
    FundApplication,
    PlanService,
    SupportPlan,
    SupportProvider,
)

PROVIDER_FIELDS = ["name", "services", "tier", "registration_number"]
COMMISSION_FIELDS = ["description", "start_date", "end_date", "outcome"]
LIMIT_FIELDS = ["combined_limit", "therapy_limit", "assessment_limit", "match_funding", "source"]


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise ValidationError(message)


def _pounds(value, name: str, errors: dict, message: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[name] = message
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors[name] = message
        return None
    if amount <= 0 or amount >= Decimal("10000000"):
        errors[name] = message
        return None
    return amount


# ---------------------------------------------------------------------------------------------
# The commissioned provider list


def _provider_errors(raa, values: dict, instance: SupportProvider | None) -> dict:
    errors = {}
    name = values["name"]
    if not name:
        errors["name"] = "Enter the provider's name."
    elif SupportProvider.objects.filter(raa=raa, name__iexact=name).exclude(
            pk=instance.pk if instance else None).exists():
        errors["name"] = "A provider with this name is already on the list."
    if not values["services"]:
        errors["services"] = "Enter the services the provider offers."
    if values["tier"] not in rules.Tier.__members__.values():
        errors["tier"] = "Choose the tier of the provider's services."
    return errors


def _provider_values(name, services, tier, registration_number) -> dict:
    return {"name": (name or "").strip(), "services": (services or "").strip(), "tier": tier or "",
            "registration_number": (registration_number or "").strip()}


@transaction.atomic
def add_provider(*, actor, raa, name: str, services: str, tier: str, registration_number: str = "",
                 check_role: bool = True) -> SupportProvider:
    if check_role:
        _refuse_unless(access.can_keep_provider_list(actor) and access.support_raa_for(actor) == raa,
                       "Only the RAA's team managers and head of service keep its provider list.")
    values = _provider_values(name, services, tier, registration_number)
    errors = _provider_errors(raa, values, None)
    if errors:
        raise ValidationError(errors)
    provider = SupportProvider.objects.create(raa=raa, **values)
    audit.record_change(actor=actor, action="support_provider.add", instance=provider,
                        after=audit.snapshot(provider, PROVIDER_FIELDS))
    return provider


@transaction.atomic
def change_provider(*, actor, provider: SupportProvider, name: str, services: str, tier: str,
                    registration_number: str = "", check_role: bool = True) -> SupportProvider:
    if check_role:
        _refuse_unless(access.can_keep_provider_list(actor) and access.support_raa_for(actor) == provider.raa,
                       "Only the RAA's team managers and head of service keep its provider list.")
    provider = SupportProvider.objects.select_for_update().get(pk=provider.pk)
    values = _provider_values(name, services, tier, registration_number)
    errors = _provider_errors(provider.raa, values, provider)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(provider, PROVIDER_FIELDS)
    for k, v in values.items():
        setattr(provider, k, v)
    provider.save()
    audit.record_change(actor=actor, action="support_provider.change", instance=provider, before=before,
                        after=audit.snapshot(provider, PROVIDER_FIELDS))
    return provider


def _commission_values(description, start_date, end_date, outcome) -> tuple[dict, dict]:
    values = {"description": (description or "").strip(), "start_date": start_date, "end_date": end_date,
              "outcome": outcome or rules.CommissionOutcome.ONGOING}
    errors = {}
    if not values["description"]:
        errors["description"] = "Enter what was commissioned."
    if start_date is None:
        errors["start_date"] = "Enter the date the commission starts."
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = "The date the commission ends must be the same as or after the date it starts."
    if values["outcome"] not in rules.CommissionOutcome.__members__.values():
        errors["outcome"] = "Choose the commission's outcome."
    elif values["outcome"] != rules.CommissionOutcome.ONGOING and end_date is None:
        errors["end_date"] = "Enter the date the commission ended, or choose ‘Ongoing’ as its outcome."
    return values, errors


@transaction.atomic
def add_commission(*, actor, provider: SupportProvider, description: str, start_date: date,
                   end_date: date | None = None, outcome: str = rules.CommissionOutcome.ONGOING,
                   check_role: bool = True) -> Commission:
    if check_role:
        _refuse_unless(access.can_keep_provider_list(actor) and access.support_raa_for(actor) == provider.raa,
                       "Only the RAA's team managers and head of service record commissions.")
    values, errors = _commission_values(description, start_date, end_date, outcome)
    if errors:
        raise ValidationError(errors)
    commission = Commission.objects.create(provider=provider, **values)
    audit.record_change(actor=actor, action="support_commission.add", instance=commission,
                        after=audit.snapshot(commission, ["provider", *COMMISSION_FIELDS]))
    return commission


@transaction.atomic
def change_commission(*, actor, commission: Commission, description: str, start_date: date,
                      end_date: date | None = None, outcome: str = rules.CommissionOutcome.ONGOING,
                      check_role: bool = True) -> Commission:
    if check_role:
        _refuse_unless(access.can_keep_provider_list(actor)
                       and access.support_raa_for(actor) == commission.provider.raa,
                       "Only the RAA's team managers and head of service record commissions.")
    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    values, errors = _commission_values(description, start_date, end_date, outcome)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(commission, COMMISSION_FIELDS)
    for k, v in values.items():
        setattr(commission, k, v)
    commission.save()
    audit.record_change(actor=actor, action="support_commission.change", instance=commission, before=before,
                        after=audit.snapshot(commission, COMMISSION_FIELDS))
    return commission


# ---------------------------------------------------------------------------------------------
# The fair access limit


@transaction.atomic
def set_fair_access_limit(*, actor, financial_year: int, source: str, combined_limit=None, therapy_limit=None,
                          assessment_limit=None, match_funding: bool = False,
                          check_role: bool = True) -> FairAccessLimit:
    """Record the limit from a financial year on (or change the one recorded), with its source; audited with
    what it was before. Every check of an application reads the table, so a change applies at once."""
    if check_role:
        _refuse_unless(access.can_set_fair_access_limits(actor),
                       "Only a system administrator changes the fair access limit.")
    errors: dict = {}
    try:
        year = int(financial_year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= today().year + 1:
        errors["financial_year"] = f"The financial year must start between 2000 and {today().year + 1}."
    message = "Enter the limit in pounds, for example 3000."
    combined = _pounds(combined_limit, "combined_limit", errors, message, required=False)
    therapy = _pounds(therapy_limit, "therapy_limit", errors, message, required=False)
    assessment = _pounds(assessment_limit, "assessment_limit", errors, message, required=False)
    if not errors and combined is None and therapy is None and assessment is None:
        errors["combined_limit"] = "Enter one limit for everything, or a limit for therapy and for assessments."
    if combined is not None and (therapy is not None or assessment is not None):
        errors["combined_limit"] = ("Enter either one limit for everything or separate limits for therapy and "
                                    "assessments, not both.")
    if not (source or "").strip():
        errors["source"] = "Enter where the limit comes from (for example, the fund's guidance for the year)."
    if errors:
        raise ValidationError(errors)
    values = {"combined_limit": combined, "therapy_limit": therapy, "assessment_limit": assessment,
              "match_funding": bool(match_funding), "source": source.strip()}
    row = FairAccessLimit.objects.select_for_update().filter(financial_year=year).first()
    before = audit.snapshot(row, LIMIT_FIELDS) if row else None
    if row is None:
        row = FairAccessLimit.objects.create(financial_year=year, **values)
    else:
        for k, v in values.items():
            setattr(row, k, v)
        row.save()
    audit.record_change(actor=actor, action="fair_access_limit.set", instance=row, before=before,
                        after=audit.snapshot(row, LIMIT_FIELDS))
    return row


# ---------------------------------------------------------------------------------------------
# Support plans


PLAN_FIELDS = ["start_date", "review_date", "end_date", "summary", "outcome", "family_feedback"]
SERVICE_FIELDS = ["tier", "description", "provider", "start_date", "end_date"]


def _can_record_on(actor, case) -> bool:
    raa = access.support_raa_for(actor)
    return access.can_record_support_fund(actor) and raa is not None and raa.pk == case.raa_id


def _plan_errors(start_date, review_date) -> dict:
    errors = {}
    if start_date is None:
        errors["start_date"] = "Enter the date the plan starts."
    if review_date is None:
        errors["review_date"] = "Enter the date the plan is to be reviewed."
    elif start_date and review_date < start_date:
        errors["review_date"] = "The review date must be the same as or after the date the plan starts."
    return errors


@transaction.atomic
def add_plan(*, actor, case, start_date: date, review_date: date, summary: str = "", check_role: bool = True,
             on: date | None = None) -> SupportPlan:
    """A support plan agreed on the case from `start_date`: recorded on the case's journey as "support plan
    agreed" (support.services), which refuses it unless the assessment of need is completed."""
    from permanence.support import rules as support_rules
    from permanence.support import services as support_services

    if check_role:
        _refuse_unless(_can_record_on(actor, case),
                       "Only the RAA's adoption support workers and team managers record support plans.")
    errors = _plan_errors(start_date, review_date)
    if errors:
        raise ValidationError(errors)
    plan = SupportPlan.objects.create(case=case, start_date=start_date, review_date=review_date,
                                      summary=(summary or "").strip(), created_by=_actor(actor))
    audit.record_change(actor=actor, action="support_plan.add", instance=plan,
                        after=audit.snapshot(plan, ["case", *PLAN_FIELDS]))
    try:
        support_services.record_event(case=case, kind=support_rules.Kind.SUPPORT_PLAN_AGREED, date=start_date,
                                      actor=actor, note=f"Support plan {plan.pk}", on=on, check_role=check_role)
    except ValidationError as err:
        raise ValidationError({"start_date": err.messages}) from None
    return plan


@transaction.atomic
def change_plan(*, actor, plan: SupportPlan, start_date: date, review_date: date, summary: str = "",
                check_role: bool = True) -> SupportPlan:
    if check_role:
        _refuse_unless(_can_record_on(actor, plan.case),
                       "Only the RAA's adoption support workers and team managers change support plans.")
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    errors = _plan_errors(start_date, review_date)
    if plan.end_date is not None and review_date and review_date > plan.end_date:
        errors.setdefault("review_date", "The review date must be on or before the date the plan ended.")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.start_date, plan.review_date, plan.summary = start_date, review_date, (summary or "").strip()
    plan.save()
    audit.record_change(actor=actor, action="support_plan.change", instance=plan, before=before,
                        after=audit.snapshot(plan, PLAN_FIELDS))
    return plan


@transaction.atomic
def close_plan(*, actor, plan: SupportPlan, end_date: date, outcome: str, family_feedback: str,
               check_role: bool = True) -> SupportPlan:
    """The plan ends: its end date, its outcome and the family's feedback."""
    if check_role:
        _refuse_unless(_can_record_on(actor, plan.case),
                       "Only the RAA's adoption support workers and team managers close support plans.")
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    errors = {}
    if end_date is None:
        errors["end_date"] = "Enter the date the plan ended."
    elif end_date < plan.start_date:
        errors["end_date"] = "The date the plan ended must be the same as or after the date it started."
    if outcome not in rules.PlanOutcome.__members__.values():
        errors["outcome"] = "Choose the plan's outcome."
    if not (family_feedback or "").strip():
        errors["family_feedback"] = "Enter the family's feedback on the support."
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.end_date, plan.outcome, plan.family_feedback = end_date, outcome, family_feedback.strip()
    plan.save()
    audit.record_change(actor=actor, action="support_plan.close", instance=plan, before=before,
                        after=audit.snapshot(plan, PLAN_FIELDS))
    return plan


def _service_values(plan, tier, description, provider, start_date, end_date) -> tuple[dict, dict]:
    values = {"tier": tier or "", "description": (description or "").strip(), "provider": provider,
              "start_date": start_date, "end_date": end_date}
    errors = {}
    if values["tier"] not in rules.Tier.__members__.values():
        errors["tier"] = "Choose the service's tier."
    if not values["description"]:
        errors["description"] = "Enter the service, for example ‘therapeutic parenting group’."
    if start_date is None:
        errors["start_date"] = "Enter the date the service starts."
    elif start_date < plan.start_date:
        errors["start_date"] = "The service must start on or after the date the plan starts."
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = "The date the service ends must be the same as or after the date it starts."
    if provider is None:
        errors["provider"] = "Choose the provider."
    elif provider.raa_id != plan.case.raa_id:
        errors["provider"] = "Choose a provider from your RAA's commissioned provider list."
    elif start_date and not selectors.in_force_on(SupportProvider.objects.filter(pk=provider.pk),
                                                  start_date).exists():
        errors["provider"] = (f"{provider.name} has no commission in force on {start_date:%-d %B %Y}: choose "
                              "another provider, or record the commission first.")
    return values, errors


@transaction.atomic
def add_service(*, actor, plan: SupportPlan, tier: str, description: str, provider: SupportProvider | None,
                start_date: date, end_date: date | None = None, check_role: bool = True) -> PlanService:
    if check_role:
        _refuse_unless(_can_record_on(actor, plan.case),
                       "Only the RAA's adoption support workers and team managers change support plans.")
    values, errors = _service_values(plan, tier, description, provider, start_date, end_date)
    if errors:
        raise ValidationError(errors)
    service = PlanService.objects.create(plan=plan, **values)
    audit.record_change(actor=actor, action="support_plan.service_add", instance=service,
                        after=audit.snapshot(service, ["plan", *SERVICE_FIELDS]))
    return service


@transaction.atomic
def change_service(*, actor, service: PlanService, tier: str, description: str, provider: SupportProvider | None,
                   start_date: date, end_date: date | None = None, check_role: bool = True) -> PlanService:
    if check_role:
        _refuse_unless(_can_record_on(actor, service.plan.case),
                       "Only the RAA's adoption support workers and team managers change support plans.")
    service = PlanService.objects.select_for_update().select_related("plan__case").get(pk=service.pk)
    values, errors = _service_values(service.plan, tier, description, provider, start_date, end_date)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(service, SERVICE_FIELDS)
    for k, v in values.items():
        setattr(service, k, v)
    service.save()
    audit.record_change(actor=actor, action="support_plan.service_change", instance=service, before=before,
                        after=audit.snapshot(service, SERVICE_FIELDS))
    return service


# ---------------------------------------------------------------------------------------------
# Support fund applications


APPLICATION_FIELDS = ["kind", "amount_requested", "description", "provider", "submitted_on", "financial_year",
                      "over_limit", "over_limit_reason", "decided_on", "decision", "amount_approved", "paid_on",
                      "amount_paid", "withdrawn_on"]


def limit_check(*, case, kind: str, amount, on: date, exclude: FundApplication | None = None) -> rules.LimitCheck:
    """Whether an application of `kind` for `amount` for the case's child, submitted on `on`, would breach the
    fair access limit of that financial year (the child's approved and pending applications counted, from any
    case and any RAA)."""
    return rules.check_limit(limits=selectors.limits(), applications=selectors.child_application_facts(case),
                             child_key=selectors.child_key_of(case), kind=kind, amount=Decimal(amount or 0),
                             on=on, exclude_id=exclude.pk if exclude else None)


def _application_values(case, kind, amount_requested, description, provider) -> tuple[dict, dict]:
    errors: dict = {}
    values = {"kind": kind or "", "description": (description or "").strip(), "provider": provider}
    if values["kind"] not in rules.ApplicationType.__members__.values():
        errors["kind"] = "Choose therapy or specialist assessment."
    values["amount_requested"] = _pounds(amount_requested, "amount_requested", errors,
                                         "Enter the amount requested, in pounds, like 1500.")
    if not values["description"]:
        errors["description"] = "Enter what the funding is for."
    if provider is not None and provider.raa_id != case.raa_id:
        errors["provider"] = "Choose a provider from your RAA's commissioned provider list."
    return values, errors


@transaction.atomic
def create_application(*, actor, case, kind: str, amount_requested, description: str,
                       provider: SupportProvider | None = None, check_role: bool = True) -> FundApplication:
    """A draft application (not yet submitted to the fund)."""
    if check_role:
        _refuse_unless(_can_record_on(actor, case),
                       "Only the RAA's adoption support workers and team managers make fund applications.")
    values, errors = _application_values(case, kind, amount_requested, description, provider)
    if errors:
        raise ValidationError(errors)
    application = FundApplication.objects.create(case=case, created_by=_actor(actor), **values)
    audit.record_change(actor=actor, action="fund_application.create", instance=application,
                        after=audit.snapshot(application, ["case", *APPLICATION_FIELDS]))
    return application


def _locked(application: FundApplication) -> FundApplication:
    return FundApplication.objects.select_for_update().select_related("case").get(pk=application.pk)


def _save_audited(actor, application: FundApplication, action: str, before: dict) -> FundApplication:
    application.save()
    audit.record_change(actor=actor, action=action, instance=application, before=before,
                        after=audit.snapshot(application, APPLICATION_FIELDS))
    return application


@transaction.atomic
def change_application(*, actor, application: FundApplication, kind: str, amount_requested, description: str,
                       provider: SupportProvider | None = None, check_role: bool = True) -> FundApplication:
    if check_role:
        _refuse_unless(_can_record_on(actor, application.case),
                       "Only the RAA's adoption support workers and team managers change fund applications.")
    application = _locked(application)
    if application.status is not rules.Status.DRAFT:
        raise ValidationError("Only a draft application can be changed: this one has been submitted.")
    values, errors = _application_values(application.case, kind, amount_requested, description, provider)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(application, APPLICATION_FIELDS)
    for k, v in values.items():
        setattr(application, k, v)
    return _save_audited(actor, application, "fund_application.change", before)


def over_limit_message(check: rules.LimitCheck) -> str:
    funding = ("the fund matches funding above it" if check.limit and check.limit.match_funding
               else "there is no match funding above it")
    return (f"This application is £{check.over_by:,.2f} over the fair access limit for {check.year_label}: "
            f"£{check.headroom:,.2f} of the £{check.cap:,.2f} limit is left for this child, and {funding}.")


@transaction.atomic
def submit_application(*, actor, application: FundApplication, submitted_on: date,
                       confirm_over_limit: bool = False, over_limit_reason: str = "",
                       check_role: bool = True) -> FundApplication:
    """Submit the draft to the fund on `submitted_on`. Over the fair access limit of that financial year (the
    child's other approved and pending applications counted) it is refused unless the worker confirms and says
    why."""
    if check_role:
        _refuse_unless(_can_record_on(actor, application.case),
                       "Only the RAA's adoption support workers and team managers submit fund applications.")
    application = _locked(application)
    if application.status is not rules.Status.DRAFT:
        raise ValidationError("This application has already been submitted.")
    if submitted_on is None:
        raise ValidationError({"submitted_on": "Enter the date the application was submitted."})
    if submitted_on > today():
        raise ValidationError({"submitted_on": "The date the application was submitted must be today or in the "
                                               "past."})
    check = limit_check(case=application.case, kind=application.kind, amount=application.amount_requested,
                        on=submitted_on, exclude=application)
    reason = (over_limit_reason or "").strip()
    if check.breaches:
        errors = {}
        if not confirm_over_limit:
            errors["confirm_over_limit"] = over_limit_message(check) + " Confirm you want to submit it."
        if not reason:
            errors["over_limit_reason"] = "Enter why the application is submitted over the limit."
        if errors:
            raise ValidationError(errors)
    before = audit.snapshot(application, APPLICATION_FIELDS)
    application.submitted_on = submitted_on
    application.financial_year = check.financial_year
    application.over_limit = check.breaches
    application.over_limit_reason = reason if check.breaches else ""
    return _save_audited(actor, application, "fund_application.submit", before)


@transaction.atomic
def decide_application(*, actor, application: FundApplication, decided_on: date, decision: str,
                       amount_approved=None, check_role: bool = True) -> FundApplication:
    if check_role:
        _refuse_unless(_can_record_on(actor, application.case),
                       "Only the RAA's adoption support workers and team managers record the fund's decision.")
    application = _locked(application)
    if application.status is not rules.Status.SUBMITTED:
        raise ValidationError("The fund's decision can be recorded only on a submitted application awaiting one.")
    errors: dict = {}
    if decided_on is None:
        errors["decided_on"] = "Enter the date the fund decided."
    elif decided_on < application.submitted_on:
        errors["decided_on"] = "The date of the decision must be the same as or after the date it was submitted."
    elif decided_on > today():
        errors["decided_on"] = "The date of the decision must be today or in the past."
    if decision not in rules.Decision.__members__.values():
        errors["decision"] = "Choose whether the application was approved."
    approved = None
    if decision == rules.Decision.APPROVED:
        approved = _pounds(amount_approved, "amount_approved", errors, "Enter the amount approved, in pounds.")
        if approved is not None and approved > application.amount_requested:
            errors["amount_approved"] = (f"The amount approved cannot be more than the £"
                                         f"{application.amount_requested:,.2f} requested.")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(application, APPLICATION_FIELDS)
    application.decided_on, application.decision, application.amount_approved = decided_on, decision, approved
    return _save_audited(actor, application, "fund_application.decide", before)


@transaction.atomic
def record_payment(*, actor, application: FundApplication, paid_on: date, amount_paid,
                   check_role: bool = True) -> FundApplication:
    if check_role:
        _refuse_unless(_can_record_on(actor, application.case),
                       "Only the RAA's adoption support workers and team managers record payments.")
    application = _locked(application)
    if application.status is not rules.Status.APPROVED:
        raise ValidationError("A payment can be recorded only on an approved application not yet paid.")
    errors: dict = {}
    if paid_on is None:
        errors["paid_on"] = "Enter the date the fund paid."
    elif paid_on < application.decided_on:
        errors["paid_on"] = "The date paid must be the same as or after the date of the decision."
    elif paid_on > today():
        errors["paid_on"] = "The date paid must be today or in the past."
    paid = _pounds(amount_paid, "amount_paid", errors, "Enter the amount paid, in pounds.")
    if paid is not None and paid > application.amount_approved:
        errors["amount_paid"] = f"The amount paid cannot be more than the £{application.amount_approved:,.2f} approved."
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(application, APPLICATION_FIELDS)
    application.paid_on, application.amount_paid = paid_on, paid
    return _save_audited(actor, application, "fund_application.pay", before)


@transaction.atomic
def withdraw_application(*, actor, application: FundApplication, withdrawn_on: date,
                         check_role: bool = True) -> FundApplication:
    if check_role:
        _refuse_unless(_can_record_on(actor, application.case),
                       "Only the RAA's adoption support workers and team managers withdraw fund applications.")
    application = _locked(application)
    if application.status not in (rules.Status.DRAFT, rules.Status.SUBMITTED):
        raise ValidationError("Only a draft or an application awaiting a decision can be withdrawn.")
    if withdrawn_on is None:
        raise ValidationError({"withdrawn_on": "Enter the date the application was withdrawn."})
    if application.submitted_on and withdrawn_on < application.submitted_on:
        raise ValidationError({"withdrawn_on": "The date it was withdrawn must be on or after it was submitted."})
    before = audit.snapshot(application, APPLICATION_FIELDS)
    application.withdrawn_on = withdrawn_on
    return _save_audited(actor, application, "fund_application.withdraw", before)
