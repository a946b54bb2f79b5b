"""Writes to the measures' configuration: each validated, saved in a transaction and audited."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence.core import audit
from permanence.organisations.models import Organisation
from permanence.performance.models import DailyCostOfCare, RAAMembership, Threshold


@transaction.atomic
def record_raa_membership(*, actor, la: Organisation, raa: Organisation, valid_from: date | None,
                          valid_to: date | None = None, source: str = "") -> RAAMembership:
    """Record that `la` belonged to `raa` from `valid_from` to `valid_to` (inclusive; None: open). Periods of one
    LA may not overlap. Once an LA has any row, its rows alone decide which RAA its children count for."""
    if la.kind != Organisation.Kind.LA or raa.kind != Organisation.Kind.RAA:
        raise ValidationError("A membership joins a local authority to a regional adoption agency.")
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": "The end cannot be before the start."})
    for other in RAAMembership.objects.select_for_update().filter(la=la):
        if (other.valid_to is None or valid_from is None or other.valid_to >= valid_from) and \
                (valid_to is None or other.valid_from is None or valid_to >= other.valid_from):
            raise ValidationError(f"{la} already belongs to {other.raa} in part of that period.")
    membership = RAAMembership.objects.create(la=la, raa=raa, valid_from=valid_from, valid_to=valid_to,
                                              source=source)
    audit.record_change(actor=actor, action="performance.raa_membership.created", instance=membership,
                        after=audit.snapshot(membership))
    return membership


@transaction.atomic
def add_threshold(*, actor, key: str, value, unit: str, valid_from: date, source: str,
                  valid_to: date | None = None) -> Threshold:
    if not source.strip():
        raise ValidationError({"source": "Say where the threshold comes from."})
    threshold = Threshold.objects.create(key=key, value=Decimal(str(value)), unit=unit, valid_from=valid_from,
                                         valid_to=valid_to, source=source.strip())
    audit.record_change(actor=actor, action="performance.threshold.created", instance=threshold,
                        after=audit.snapshot(threshold))
    return threshold


@transaction.atomic
def set_daily_cost_of_care(*, actor, amount, valid_from: date, source: str) -> DailyCostOfCare:
    if Decimal(str(amount)) <= 0:
        raise ValidationError({"amount": "A day in care costs more than nothing."})
    if not source.strip():
        raise ValidationError({"source": "Say where the figure comes from."})
    cost = DailyCostOfCare.objects.create(amount=Decimal(str(amount)), valid_from=valid_from, source=source.strip())
    audit.record_change(actor=actor, action="performance.daily_cost.created", instance=cost,
                        after=audit.snapshot(cost))
    return cost
