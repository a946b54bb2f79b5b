"""Reads of adoption support's cases: the one place their querysets are built (access scopes them by RAA)."""

from __future__ import annotations

from django.db.models import QuerySet

from permanence.support.models import SupportCase, SupportEvent


def cases_of(raa) -> QuerySet[SupportCase]:
    """The RAA's support cases (none without an RAA)."""
    if raa is None:
        return SupportCase.objects.none()
    return SupportCase.objects.filter(raa=raa)


def events_of(case) -> QuerySet[SupportEvent]:
    return SupportEvent.objects.filter(case=case)


def safeguarding_referrals(la, child) -> list:
    """The dates this LA was told of a safeguarding concern about this child by an RAA's adoption support team,
    with the RAA: [(told_on, raa name)], earliest first. Nothing else of the case."""
    if la is None:
        return []
    return list(SupportCase.objects.filter(safeguarding=True, safeguarding_la=la, child=child)
                .order_by("safeguarding_told_on", "pk").values_list("safeguarding_told_on", "raa__name"))
