"""Reads of adoption support's cases: the one place their querysets are built (access scopes them by RAA)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from permanence.core import search
from permanence.support import rules
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


# ---------------------------------------------------------------------------------------------
# The lists


@dataclass(frozen=True)
class CaseFilters:
    stage: str = ""
    referrer_type: str = ""
    urgency: str = ""
    worker: str = ""  # a worker's id, "none" (not allocated) or "" (anyone)
    waiting: bool = False
    long_wait: bool = False


def filtered(cases: QuerySet[SupportCase], filters: CaseFilters, on: date) -> QuerySet[SupportCase]:
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.referrer_type:
        cases = cases.filter(referrer_type=filters.referrer_type)
    if filters.urgency:
        cases = cases.filter(urgency=filters.urgency)
    if filters.worker == "none":
        cases = cases.filter(worker__isnull=True)
    elif filters.worker.isdigit() and len(filters.worker) <= 18:
        cases = cases.filter(worker_id=int(filters.worker))
    if filters.waiting:
        cases = cases.filter(stage__in=WAITING)
    if filters.long_wait:
        cases = cases.filter(requested_on__lte=on - timedelta(days=rules.LONG_WAIT_DAYS))
    return cases


WAITING = [s.value for s in rules.WAITING_STAGES]
URGENT_FIRST = Case(When(urgency="urgent", then=Value(0)), default=Value(1), output_field=IntegerField())


def waiting_list(cases: QuerySet[SupportCase]) -> QuerySet[SupportCase]:
    """Cases waiting for an assessment of need to start, in the waiting list's order (rules.waiting_order):
    urgent first, then the longest wait, then the oldest case."""
    return (cases.filter(stage__in=WAITING).annotate(urgent_first=URGENT_FIRST)
            .order_by("urgent_first", "requested_on", "pk"))


def interim_offers(case_ids) -> dict[int, list[tuple[date, str]]]:
    """The interim support each case has been offered: {case id: [(date, what was offered)]}, earliest first."""
    out: dict[int, list] = {}
    for case_id, day, details in (SupportEvent.objects.filter(case_id__in=list(case_ids), superseded=False,
                                                              kind=rules.Kind.INTERIM_SUPPORT.value)
                                  .order_by("date", "pk").values_list("case_id", "date", "details")):
        out.setdefault(case_id, []).append((day, details.get("offered", "")))
    return out


def timeline(case) -> QuerySet[SupportEvent]:
    return events_of(case).select_related("recorded_by", "corrects").order_by("-date", "-pk")


def counts(cases: QuerySet[SupportCase], on: date) -> dict[str, int]:
    """The home page's figures for the RAA's cases on `on`."""
    long_before = on - timedelta(days=rules.LONG_WAIT_DAYS)
    open_stages = [s.value for s in rules.OPEN_STAGES]
    return cases.aggregate(
        open=Count("pk", filter=Q(stage__in=open_stages)),
        duty=Count("pk", filter=Q(stage=rules.Stage.REFERRED.value)),
        waiting=Count("pk", filter=Q(stage__in=WAITING)),
        long_wait=Count("pk", filter=Q(stage__in=WAITING, requested_on__lte=long_before)),
        overdue=Count("pk", filter=Q(stage__in=open_stages, next_due_date__lt=on)),
        receiving=Count("pk", filter=Q(stage=rules.Stage.RECEIVING_SUPPORT.value)),
    )


SURGERY_SHOWN = 20  # waiting cases on the surgery page (longest first); the waiting list has them all


def surgery_waiting(cases: QuerySet[SupportCase], *, team=None, worker=None, unallocated: bool = False):
    """The waiting support cases on a surgery's list, the longest wait first: the team's or the worker's cases, or
    those with no worker allocated."""
    waiting = cases.filter(stage__in=WAITING)
    if unallocated:
        waiting = waiting.filter(worker__isnull=True)
    elif team is not None:
        waiting = waiting.filter(worker__team=team)
    elif worker is not None:
        waiting = waiting.filter(worker=worker)
    return waiting.select_related("worker").order_by("requested_on", "pk")


def _case_word(word: str, close: bool = False) -> Q:
    match = search.holds("family_name", word, close=close) | search.holds("child_name", word, close=close)
    if (pk := search.reference(word, "S")) is not None:
        match |= Q(pk=pk)
    return match


SEARCH = search.Fields(_case_word)
