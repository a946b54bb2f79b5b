"""Reads across rows: the RAA's providers, plans and fund applications, and the facts the limit is checked on."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q

from permanence.support_fund import rules
from permanence.support_fund.models import Commission, FairAccessLimit, SupportProvider


def providers_of(raa):
    """The RAA's commissioned provider list (none for no RAA)."""
    if raa is None:
        return SupportProvider.objects.none()
    return SupportProvider.objects.filter(raa=raa)


def in_force_on(providers, on: date):
    """The providers holding a commission in force on `on`."""
    live = Commission.objects.filter(provider=OuterRef("pk"), start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on))
    return providers.filter(Exists(live))


def limits() -> list[rules.LimitFact]:
    return [row.as_fact() for row in FairAccessLimit.objects.all()]


def plans_of(raa):
    from permanence.support_fund.models import SupportPlan

    if raa is None:
        return SupportPlan.objects.none()
    return SupportPlan.objects.filter(case__raa=raa)


def applications_of(raa):
    from permanence.support_fund.models import FundApplication

    if raa is None:
        return FundApplication.objects.none()
    return FundApplication.objects.filter(case__raa=raa)


def child_key_of(case) -> str:
    """Who the fair access limit is counted for: the case's child record when held, else its typed name and date
    of birth."""
    return rules.child_key(child_id=case.child_id, name=case.child_name, date_of_birth=case.child_date_of_birth)


def fact_of(app, key: str) -> rules.ApplicationFact:
    return rules.ApplicationFact(
        id=app.pk, child_key=key, kind=app.kind, requested=app.amount_requested, submitted_on=app.submitted_on,
        decided_on=app.decided_on, decision=app.decision, approved=app.amount_approved, paid_on=app.paid_on,
        withdrawn_on=app.withdrawn_on)


def child_application_facts(case) -> list[rules.ApplicationFact]:
    """Every application for the case's child, from any case of any RAA (the limit is the child's)."""
    from permanence.support_fund.models import FundApplication

    key = child_key_of(case)
    if case.child_id is not None:
        rows = FundApplication.objects.filter(case__child_id=case.child_id)
    else:
        rows = FundApplication.objects.filter(case__child__isnull=True,
                                              case__child_date_of_birth=case.child_date_of_birth)
    rows = rows.select_related("case")
    return [fact_of(a, key) for a in rows if child_key_of(a.case) == key]


def status_q(status: str) -> Q:
    """Applications whose status (from their dates, as recorded) is `status`."""
    s = rules.Status(status)
    live = Q(withdrawn_on__isnull=True)
    return {
        rules.Status.WITHDRAWN: Q(withdrawn_on__isnull=False),
        rules.Status.DRAFT: live & Q(submitted_on__isnull=True),
        rules.Status.SUBMITTED: live & Q(submitted_on__isnull=False) & (Q(decided_on__isnull=True) | Q(decision="")),
        rules.Status.DECLINED: live & Q(submitted_on__isnull=False, decided_on__isnull=False,
                                        decision=rules.Decision.DECLINED),
        rules.Status.APPROVED: live & Q(submitted_on__isnull=False, decided_on__isnull=False,
                                        decision=rules.Decision.APPROVED, paid_on__isnull=True),
        rules.Status.PAID: live & Q(submitted_on__isnull=False, decided_on__isnull=False,
                                    decision=rules.Decision.APPROVED, paid_on__isnull=False),
    }[s]


def fund_timescale(key: str, on: date):
    """The fund's timescale `key` in force on `on` (a TimescaleFact), or None."""
    from permanence.timescales.selectors import timescales_in_force

    return next((t for t in timescales_in_force(on, subject="support") if t.key == key), None)
