"""Support plans, the RAA's commissioned providers and the Adoption and Special Guardianship Support Fund (ASF).

- A `SupportProvider` is on one RAA's commissioned provider list; each `Commission` it holds has dates and an
  outcome. A plan's service may only name a provider holding a commission in force on the service's start date.
- A `SupportPlan` belongs to a support case (support.SupportCase) and lists `PlanService`s at the three tiers.
- A `FundApplication` belongs to a support case; its status comes from its dates (rules.status_on), never typed.
- `FairAccessLimit`: the fund's limit per child per financial year, one row per year it changed, with its source
  (installation-wide: the system administrators keep it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from permanence.support_fund import rules


def _choices(enum, labels):
    return [(member.value, labels[member]) for member in enum]


class SupportProvider(models.Model):
    raa = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                            related_name="support_providers")
    name = models.CharField(max_length=200)
    services = models.TextField(help_text="What the provider offers (therapies, groups, assessments…).")
    tier = models.CharField(max_length=12, choices=_choices(rules.Tier, rules.TIER_LABELS))
    registration_number = models.CharField(max_length=40, blank=True,
                                           help_text="Ofsted or other registration number, if it has one.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["raa", "name"], name="support_provider_name_per_raa")]

    def __str__(self) -> str:
        return self.name

    @property
    def tier_label(self) -> str:
        return rules.TIER_LABELS[rules.Tier(self.tier)]


class Commission(models.Model):
    provider = models.ForeignKey(SupportProvider, on_delete=models.CASCADE, related_name="commissions")
    description = models.CharField(max_length=300, help_text="What was commissioned.")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, default=rules.CommissionOutcome.ONGOING,
                               choices=_choices(rules.CommissionOutcome, rules.COMMISSION_OUTCOME_LABELS))

    class Meta:
        ordering = ["-start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.provider}: {self.description}"

    def in_force(self, on) -> bool:
        return rules.in_force(self.start_date, self.end_date, on)


class FairAccessLimit(models.Model):
    financial_year = models.PositiveSmallIntegerField(unique=True, help_text="The year it starts in: 2025 for 2025/26.")
    combined_limit = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True,
                                         help_text="One limit for everything, assessments included.")
    therapy_limit = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    assessment_limit = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    match_funding = models.BooleanField(default=False, help_text="Whether the fund matches funding above the limit.")
    source = models.CharField(max_length=500)

    class Meta:
        ordering = ["-financial_year"]

    def __str__(self) -> str:
        return f"Fair access limit from {self.financial_year_label}"

    @property
    def financial_year_label(self) -> str:
        return rules.financial_year_label(self.financial_year)

    def as_fact(self) -> rules.LimitFact:
        return rules.LimitFact(financial_year=self.financial_year, combined=self.combined_limit,
                               therapy=self.therapy_limit, assessment=self.assessment_limit,
                               match_funding=self.match_funding, source=self.source)

    @property
    def label(self) -> str:
        return self.as_fact().label


class SupportPlan(models.Model):
    """A support plan on a support case: its services at the three tiers, its dates, and at closure its outcome
    and the family's feedback."""

    case = models.ForeignKey("support.SupportCase", on_delete=models.PROTECT, related_name="plans")
    start_date = models.DateField()
    review_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="The needs the assessment found that the plan meets.")
    outcome = models.CharField(max_length=20, blank=True,
                               choices=_choices(rules.PlanOutcome, rules.PLAN_OUTCOME_LABELS))
    family_feedback = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["case", "end_date"]), models.Index(fields=["review_date"])]

    def __str__(self) -> str:
        return f"Support plan from {self.start_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    def review_overdue(self, today) -> bool:
        return rules.review_overdue(self.review_date, self.end_date, today)


class PlanService(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="services")
    tier = models.CharField(max_length=12, choices=_choices(rules.Tier, rules.TIER_LABELS))
    description = models.CharField(max_length=300)
    provider = models.ForeignKey(SupportProvider, on_delete=models.PROTECT, related_name="plan_services")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["tier", "start_date", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def tier_label(self) -> str:
        return rules.TIER_LABELS[rules.Tier(self.tier)]


class FundApplication(models.Model):
    """An application to the Adoption and Special Guardianship Support Fund for a support case's child. Its
    status comes from its dates (rules.status_on)."""

    case = models.ForeignKey("support.SupportCase", on_delete=models.PROTECT, related_name="fund_applications")
    kind = models.CharField(max_length=12, choices=_choices(rules.ApplicationType, rules.APPLICATION_TYPE_LABELS))
    amount_requested = models.DecimalField(max_digits=9, decimal_places=2)
    description = models.TextField(help_text="What the funding is for.")
    provider = models.ForeignKey(SupportProvider, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="fund_applications")
    submitted_on = models.DateField(null=True, blank=True)
    financial_year = models.PositiveSmallIntegerField(null=True, blank=True,
                                                      help_text="Of the submission: 2025 for 2025/26.")
    over_limit = models.BooleanField(default=False, help_text="Submitted over the fair access limit.")
    over_limit_reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=10, blank=True, choices=_choices(rules.Decision, rules.DECISION_LABELS))
    amount_approved = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    amount_paid = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["financial_year", "kind"]), models.Index(fields=["submitted_on"]),
                   models.Index(fields=["decided_on"]), models.Index(fields=["paid_on"])]

    def __str__(self) -> str:
        return f"Support fund application {self.reference}"

    @property
    def reference(self) -> str:
        return f"ASF{self.pk:06d}" if self.pk else "ASF (new)"

    @property
    def status(self) -> rules.Status:
        return rules.status_on(submitted_on=self.submitted_on, decided_on=self.decided_on, decision=self.decision,
                               paid_on=self.paid_on, withdrawn_on=self.withdrawn_on)

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.status]

    @property
    def kind_label(self) -> str:
        return rules.APPLICATION_TYPE_LABELS[rules.ApplicationType(self.kind)]

    @property
    def financial_year_label(self) -> str:
        return rules.financial_year_label(self.financial_year) if self.financial_year is not None else ""
