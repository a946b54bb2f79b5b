"""Adopted adults' requests: who sees them and who records their steps (access.support's rule).

- The RAA's adoption support workers, team managers and head of service see their own RAA's requests; support
  workers and team managers record them (and their steps); the head of service reads.
- Nobody else sees a request: family finders, assessing workers, panel advisers, ADMs, data officers, board
  members and every LA's staff get the same 404 as for a request that does not exist.
- A request's PDF and the list's downloads leave the system: the RAA's team managers and head of service only
  (access.EXPORT_ROLES among the support roles).

The rows come from permanence.adopted_adults.selectors; which role may record which step is the request
journey's table (adopted_adults.rules).
"""

from __future__ import annotations

from permanence.access.api import EXPORT_ROLES
from permanence.access.common import get_or_404
from permanence.access.support import can_record_support, can_see_support, support_raa_for


def adult_requests_visible_to(user):
    from permanence.adopted_adults import selectors

    return selectors.requests_of(support_raa_for(user))


def can_see_adult_requests(user) -> bool:
    return can_see_support(user)


def can_record_adult_requests(user) -> bool:
    return can_record_support(user)


def can_export_adult_requests(user) -> bool:
    return can_see_support(user) and user.role in EXPORT_ROLES


def get_adult_request_for(user, pk):
    return get_or_404(adult_requests_visible_to(user).select_related("raa", "worker", "adoption_agency",
                                                                      "created_by"), "request", pk=pk)


def get_adult_request_event_for(user, request, pk):
    """One event of a request the user may see (get_adult_request_for first). Missing and not-yours: 404."""
    from permanence.adopted_adults import selectors

    visible = get_or_404(adult_requests_visible_to(user), "event", pk=request.pk)
    return get_or_404(selectors.request_events_of(visible), "event", pk=pk)


def adult_request_event_refusal(user, request, kind) -> str | None:
    """Why this user may not record this kind of step on this request (None if they may)."""
    from permanence.adopted_adults import rules

    if not adult_requests_visible_to(user).filter(pk=request.pk).exists():
        return "You do not have access to this request."
    if not can_record_support(user):
        return "Only the RAA's adoption support workers and team managers record steps on a request."
    return rules.recording_refusal(user.role, rules.Kind(kind))


def adult_request_kinds_for(user, request, state) -> list:
    """The steps this user may record next on this request (as adult_request_event_refusal decides)."""
    from permanence.adopted_adults import rules

    if not can_record_support(user) or not adult_requests_visible_to(user).filter(pk=request.pk).exists():
        return []
    return rules.kinds_recordable(user.role, state)


def adult_request_workers_for(user):
    """The workers a request of the user's RAA may be allocated to: its support workers and team managers."""
    from permanence.access.support import SUPPORT_WRITE_ROLES
    from permanence.organisations.models import Staff

    raa = support_raa_for(user)
    if raa is None:
        return Staff.objects.none()
    return Staff.objects.filter(organisation=raa, role__in=SUPPORT_WRITE_ROLES, is_active=True).order_by(
        "first_name", "last_name", "pk")
