"""Support plans, the RAA's commissioned providers and the Adoption and Special Guardianship Support Fund (ASF).

- A `SupportProvider` is on one RAA's commissioned provider list; each `Commission` it holds has dates and an
  outcome. A plan's service may only name a provider holding a commission in force on the service's start date.
- A `SupportPlan` belongs to a support case (support.SupportCase) and lists `PlanService`s at the three tiers.
- A `FundApplication` belongs to a support case; its status comes from its dates (rules.status_on), never typed.
- `FairAccessLimit`: the fund's limit per child per financial year, one row per year it changed, with its source
  (installation-wide: the system administrators keep it).
"""

from __future__ import annotations

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
