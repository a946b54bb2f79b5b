"""The forms parse what is typed; the services check it (and say what is wrong in the same words)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from permanence.core import forms as core_forms
from permanence.core.concurrency import VersionedForm
from permanence.core.forms import DateField
from permanence.support_fund import rules

POUNDS_ERRORS = {"invalid": "Enter an amount in pounds, like 1500 or 1500.50",
                 "min_value": "Enter an amount of more than £0",
                 "max_digits": "Enter an amount of less than £10,000,000",
                 "max_decimal_places": "Enter the pence as 2 numbers, like 1500.50"}


def _choices(enum, labels):
    return [(m.value, labels[m]) for m in enum]


def _pounds(label, required_message=None, **kwargs):
    errors = dict(POUNDS_ERRORS)
    if required_message:
        errors["required"] = required_message
    return forms.DecimalField(label=label, min_value=Decimal("0.01"), max_digits=9, decimal_places=2,
                              required=required_message is not None, error_messages=errors,
                              widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10",
                                                            "spellcheck": "false"}), **kwargs)


def _date(label, required_message=None, **kwargs):
    return DateField(label=label, required=required_message is not None,
                     error_messages={"required": required_message} if required_message else {}, **kwargs)


class ProviderForm(VersionedForm, core_forms.Form):
    name = forms.CharField(label="Provider's name", max_length=200,
                           error_messages={"required": "Enter the provider's name"})
    services = forms.CharField(label="Services they provide", widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": "Enter the services the provider offers"})
    tier = forms.ChoiceField(label="Tier", widget=forms.RadioSelect,
                             choices=[(t.value, f"{rules.TIER_LABELS[t]} – {rules.TIER_HINTS[t].lower()}")
                                      for t in rules.Tier],
                             error_messages={"required": "Choose the tier of the provider's services"})
    registration_number = forms.CharField(label="Ofsted or registration number", max_length=40, required=False)


class CommissionForm(VersionedForm, core_forms.Form):
    description = forms.CharField(label="What was commissioned", max_length=300,
                                  error_messages={"required": "Enter what was commissioned"})
    start_date = _date(kind="planned", label="Start date", required_message="Enter the date the commission starts")
    end_date = _date(kind="planned", label="End date", help_text="Leave blank while it is open-ended.")
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                                choices=_choices(rules.CommissionOutcome, rules.COMMISSION_OUTCOME_LABELS),
                                initial=rules.CommissionOutcome.ONGOING,
                                error_messages={"required": "Choose the commission's outcome"})


class ProviderFilterForm(core_forms.Form):
    tier = forms.ChoiceField(label="Tier", required=False,
                             choices=[("", "All tiers"), *_choices(rules.Tier, rules.TIER_LABELS)])
    in_force = forms.BooleanField(label="Only those with a commission in force today", required=False)


class FairAccessLimitForm(core_forms.Form):
    financial_year = forms.IntegerField(label="Financial year it applies from", help_text="2025 for 2025/26.",
                                        error_messages={"required": "Enter the year the financial year starts in",
                                                        "invalid": "Enter a year, like 2026"})
    combined_limit = _pounds("One limit for everything, assessments included (£)")
    therapy_limit = _pounds("Or: the limit for therapy (£)")
    assessment_limit = _pounds("… and the limit for specialist assessments (£)")
    match_funding = forms.BooleanField(label="The fund matches funding above the limit", required=False)
    source = forms.CharField(label="Source", max_length=500,
                             error_messages={"required": "Enter where the limit comes from"})


class PlanForm(VersionedForm, core_forms.Form):
    start_date = _date(kind="planned", label="Start date", required_message="Enter the date the plan starts")
    review_date = _date(kind="planned", label="Review date", required_message="Enter the date the plan is to be reviewed")
    summary = forms.CharField(label="What the plan is for", widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, help_text="The needs the assessment found that the plan meets.")


class CloseForm(core_forms.Form):
    end_date = _date(kind="planned", label="End date", required_message="Enter the date the plan ended")
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                                choices=_choices(rules.PlanOutcome, rules.PLAN_OUTCOME_LABELS),
                                error_messages={"required": "Choose the plan's outcome"})
    family_feedback = forms.CharField(label="The family's feedback", widget=forms.Textarea(attrs={"rows": 4}),
                                      error_messages={"required": "Enter the family's feedback on the support"})


class ServiceForm(VersionedForm, core_forms.Form):
    tier = forms.ChoiceField(label="Tier", widget=forms.RadioSelect,
                             choices=[(t.value, rules.TIER_LABELS[t]) for t in rules.Tier],
                             error_messages={"required": "Choose the service's tier"})
    description = forms.CharField(label="Service", max_length=300,
                                  error_messages={"required": "Enter the service, for example ‘therapeutic "
                                                              "parenting group’"})
    provider = forms.ChoiceField(label="Provider", help_text="Providers with a commission in force on the start "
                                                             "date.",
                                 error_messages={"required": "Choose the provider",
                                                 "invalid_choice": "Choose a provider from the list"})
    start_date = _date(kind="planned", label="Start date", required_message="Enter the date the service starts")
    end_date = _date(kind="planned", label="End date", help_text="Leave blank while it continues.")

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Choose a provider"),
                                           *[(str(p.pk), f"{p.name} ({p.tier_label})") for p in providers]]


class ApplicationForm(VersionedForm, core_forms.Form):
    kind = forms.ChoiceField(label="What the application is for", widget=forms.RadioSelect,
                             choices=_choices(rules.ApplicationType, rules.APPLICATION_TYPE_LABELS),
                             error_messages={"required": "Choose therapy or specialist assessment"})
    amount_requested = _pounds("Amount requested (£)", "Enter the amount requested")
    description = forms.CharField(label="What the funding is for", widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": "Enter what the funding is for"})
    provider = forms.ChoiceField(label="Provider", required=False)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Not chosen yet"),
                                           *[(str(p.pk), p.name) for p in providers]]


class SubmitForm(core_forms.Form):
    submitted_on = _date("Date submitted to the fund", "Enter the date the application was submitted")
    confirm_over_limit = forms.BooleanField(
        label="I understand the application is over the fair access limit and want to submit it", required=False)
    over_limit_reason = forms.CharField(label="Why it is submitted over the limit", required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(core_forms.Form):
    decided_on = _date("Date of the fund's decision", "Enter the date the fund decided")
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect,
                                 choices=_choices(rules.Decision, rules.DECISION_LABELS),
                                 error_messages={"required": "Choose whether the application was approved"})
    amount_approved = _pounds("Amount approved (£)", help_text="When approved.")


class PaymentForm(core_forms.Form):
    paid_on = _date("Date paid", "Enter the date the fund paid")
    amount_paid = _pounds("Amount paid (£)", "Enter the amount paid")


class ApplicationFilterForm(core_forms.Form):
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "Any status"), *_choices(rules.Status, rules.STATUS_LABELS)])
    year = forms.ChoiceField(label="Financial year", required=False)
    kind = forms.ChoiceField(label="Type", required=False,
                             choices=[("", "Therapy and assessments"),
                                      *_choices(rules.ApplicationType, rules.APPLICATION_TYPE_LABELS)])

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Every year"), *[(str(y), rules.financial_year_label(y))
                                                             for y in years]]
