"""Synthetic support plans, commissioned providers and support fund applications for the demo and national data.

Runs after the support cases are loaded (demo/support.py): every RAA with support cases gets a commissioned
provider list (each provider with a commission or two, some ended); each case with a support plan agreed gets
the plan (services at the three tiers, from providers in force on the day), and about half of those a fund
application at some step: a draft, submitted, approved, paid, declined – a few over the limit. Everything is
written with bulk_create (seconds even for the national set). Synthetic data only.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from permanence.support_fund import rules
from permanence.support_fund.models import (
    Commission,
    FundApplication,
    PlanService,
    SupportPlan,
    SupportProvider,
)
from permanence.timescales.rules import add_working_days

# (name, tier, services): invented providers (any likeness to a real one is chance).
PROVIDERS = [
    ("Harbour Therapeutic Services", "specialist", "Dyadic developmental psychotherapy, Theraplay"),
    ("Lanterns Family Assessment", "specialist", "Multi-disciplinary and neurodevelopmental assessments"),
    ("Oakroot Play Therapy", "specialist", "Play and creative arts therapy"),
    ("Steady Steps Parenting", "targeted", "Therapeutic parenting workshops, NVR groups"),
    ("Compass Teen Groups", "targeted", "Therapeutic groups for adopted teenagers"),
    ("Open Door Adopter Network", "universal", "Support groups, training days, newsletters"),
]
SERVICES = {
    "universal": ["Adopters' support group", "Training day: life story work", "Newsletter and events"],
    "targeted": ["Therapeutic parenting workshop", "NVR parenting group", "Teen group"],
    "specialist": ["Dyadic developmental psychotherapy", "Theraplay", "Sensory integration assessment"],
}
OUTCOMES = [o.value for o in rules.PlanOutcome]
FEEDBACK = ["The group helped us feel less alone.", "Therapy made a real difference at home.",
            "We would have liked support sooner.", "Helpful, but the sessions were far away."]


def _providers_for(raa, rng: random.Random, today: date) -> list[SupportProvider]:
    rows = [SupportProvider(raa=raa, name=name, tier=tier, services=services,
                            registration_number=f"SC{rng.randrange(100000, 999999)}" if tier == "specialist" else "")
            for name, tier, services in PROVIDERS]
    return rows


def _commissions(providers, rng: random.Random, today: date) -> list[Commission]:
    out = []
    for i, p in enumerate(providers):
        start = date(2015, 4, 1)
        if i % 3 == 2:  # an earlier commission, ended and delivered, then a new one
            out.append(Commission(provider=p, description="Spot purchase", start_date=start,
                                  end_date=date(today.year - 2, 3, 31), outcome=rules.CommissionOutcome.DELIVERED))
            start = date(today.year - 2, 4, 1)
        out.append(Commission(provider=p, description="Framework agreement", start_date=start,
                              end_date=None, outcome=rules.CommissionOutcome.ONGOING))
    return out


def _plan_for(case, rng: random.Random, today: date):
    start = case.plan_agreed_on
    review = start + timedelta(days=rng.choice((60, 90, 120, 180)))
    plan = SupportPlan(case=case, start_date=start, review_date=review,
                       summary="Support for the needs the assessment found.")
    if case.closed_on and case.closed_on >= start:
        plan.end_date = case.closed_on
        plan.outcome = rng.choice(OUTCOMES)
        plan.family_feedback = rng.choice(FEEDBACK)
    return plan


def _services_for(plan, providers_by_tier, rng: random.Random) -> list[PlanService]:
    out = []
    for tier in ("universal", "targeted", "specialist"):
        if rng.random() < (0.9 if tier == "specialist" else 0.6):
            out.append(PlanService(plan=plan, tier=tier, description=rng.choice(SERVICES[tier]),
                                   provider=rng.choice(providers_by_tier[tier]), start_date=plan.start_date,
                                   end_date=plan.end_date))
    return out


def _application_for(case, plan, specialist, rng: random.Random, today: date):
    kind = rng.choice(("therapy", "therapy", "assessment"))
    amount = Decimal(rng.choice((1200, 1800, 2400, 2900, 3400)))
    submitted = plan.start_date + timedelta(days=rng.randrange(3, 30))
    app = FundApplication(case=case, kind=kind, amount_requested=amount, provider=specialist,
                          description=("Dyadic developmental psychotherapy, 12 sessions" if kind == "therapy"
                                       else "Sensory integration assessment"))
    step = rng.random()
    if step < 0.1 or submitted > today:
        return app  # a draft
    app.submitted_on = submitted
    app.financial_year = rules.financial_year(submitted)
    app.over_limit = amount > 3000 and app.financial_year >= 2025
    app.over_limit_reason = "Agreed with the placing LA, which funds the rest" if app.over_limit else ""
    decided = add_working_days(submitted, rng.choice((8, 15, 19, 24, 35)))
    if step < 0.3 or decided > today:
        return app  # waiting for the fund's decision
    app.decided_on = decided
    if step < 0.38:
        app.decision = rules.Decision.DECLINED
        return app
    app.decision = rules.Decision.APPROVED
    app.amount_approved = amount if rng.random() < 0.8 else (amount * Decimal("0.75")).quantize(Decimal("1"))
    paid = add_working_days(decided, rng.choice((5, 12, 25)))
    if step < 0.55 or paid > today:
        return app
    app.paid_on, app.amount_paid = paid, app.amount_approved
    return app


def load(cases, *, seed: int, today: date) -> dict[str, int]:
    """Providers for each RAA of `cases` (a SupportCase queryset) that has none yet, then plans and applications on
    those with a plan agreed and no plan recorded."""
    rng = random.Random(f"support-fund-{seed}")
    raas = {c.raa_id: c.raa for c in cases.select_related("raa")}
    have = set(SupportProvider.objects.filter(raa_id__in=raas).values_list("raa_id", flat=True))
    new = [p for raa_id, raa in sorted(raas.items()) if raa_id not in have for p in _providers_for(raa, rng, today)]
    SupportProvider.objects.bulk_create(new)
    fresh = list(SupportProvider.objects.filter(raa_id__in=set(raas) - have))
    Commission.objects.bulk_create(_commissions(fresh, rng, today))
    by_raa: dict[int, dict[str, list]] = {}
    for p in SupportProvider.objects.filter(raa_id__in=raas):
        by_raa.setdefault(p.raa_id, {}).setdefault(p.tier, []).append(p)
    planned = list(cases.filter(plan_agreed_on__isnull=False, plans__isnull=True).order_by("pk"))
    plans = [_plan_for(c, rng, today) for c in planned]
    SupportPlan.objects.bulk_create(plans)
    services, applications = [], []
    for case, plan in zip(planned, plans, strict=True):
        tiers = by_raa[case.raa_id]
        services += _services_for(plan, tiers, rng)
        if rng.random() < 0.55:
            applications.append(_application_for(case, plan, rng.choice(tiers["specialist"]), rng, today))
    PlanService.objects.bulk_create(services)
    FundApplication.objects.bulk_create(applications)
    return {"providers": len(new), "plans": len(plans), "plan_services": len(services),
            "fund_applications": len(applications)}


def demo_cases():
    from permanence.support.models import SupportCase, SupportEvent

    return SupportCase.objects.filter(pk__in=SupportEvent.objects.filter(source="demo").values("case_id"))


def load_demo(*, seed: int, today: date) -> dict[str, int]:
    return load(demo_cases(), seed=seed, today=today)


def delete_demo() -> int:
    """The demo cases' plans and applications, and the demo providers no other record uses."""
    cases = demo_cases()
    n = FundApplication.objects.filter(case__in=cases).delete()[0]
    n += SupportPlan.objects.filter(case__in=cases).delete()[0]
    names = [name for name, _tier, _services in PROVIDERS]
    n += SupportProvider.objects.filter(name__in=names, plan_services__isnull=True,
                                        fund_applications__isnull=True).delete()[0]
    return n


def top_up(*, seed: int, today: date) -> dict[str, int]:
    """The national set: the same over every support case with a plan agreed (bulk writes only)."""
    from permanence.support.models import SupportCase

    return load(SupportCase.objects.all(), seed=seed, today=today)
