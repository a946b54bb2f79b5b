"""Reads of adopted adults' requests: an RAA's requests, the waiting list in triage order, the list with its
filters, a request's events.

Which rows a user may see is access's decision (access.adult_requests_visible_to, get_adult_request_for): pass
what it gives.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from permanence.adopted_adults import rules
from permanence.adopted_adults.models import AdultRequest, AdultRequestEvent
from permanence.organisations.models import Organisation

WAITING = [s.value for s in rules.WAITING_STAGES]
OPEN = [s.value for s in rules.OPEN_STAGES]
LIST_RELATED = ("raa", "worker", "adoption_agency")


def requests_of(raa: Organisation | None) -> QuerySet[AdultRequest]:
    """An RAA's adopted adults' requests; none for None (or an organisation that is not an RAA)."""
    if raa is None or raa.kind != Organisation.Kind.RAA:
        return AdultRequest.objects.none()
    return AdultRequest.objects.filter(raa=raa)


def request_events_of(request: AdultRequest) -> QuerySet[AdultRequestEvent]:
    """Every event of the request, corrected ones included."""
    return AdultRequestEvent.objects.filter(adult_request=request)


def timeline(request: AdultRequest) -> QuerySet[AdultRequestEvent]:
    """The request's events in force, newest first, as its page shows them."""
    return (request_events_of(request).filter(superseded=False).select_related("recorded_by", "corrects")
            .order_by("-date", "-id"))


def waiting_list(visible: QuerySet[AdultRequest]) -> QuerySet[AdultRequest]:
    """The requests with no first interview yet, in triage order: a priority (very elderly, seriously ill)
    first, then those not yet triaged, then standard; within each, the longest wait (earliest request) first."""
    return (visible.filter(stage__in=WAITING).select_related(*LIST_RELATED)
            .order_by("priority_rank", "received_on", "id"))


@dataclass(frozen=True)
class Filters:
    request_type: str = ""
    stage: str = ""
    priority: str = ""  # a priority value, or "untriaged"
    worker: int | None = None
    open_only: bool = False


def filtered(visible: QuerySet[AdultRequest], filters: Filters) -> QuerySet[AdultRequest]:
    """The list of every request, with the list page's filters, newest request first."""
    qs = visible
    if filters.request_type:
        qs = qs.filter(request_type=filters.request_type)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.priority == "untriaged":
        qs = qs.filter(priority="")
    elif filters.priority:
        qs = qs.filter(priority=filters.priority)
    if filters.worker:
        qs = qs.filter(worker_id=filters.worker)
    if filters.open_only:
        qs = qs.filter(stage__in=OPEN)
    return qs.select_related(*LIST_RELATED).order_by("-received_on", "-id")
