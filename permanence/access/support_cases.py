"""Support cases (issue 12): the RAA's adoption support team and its managers only (access.support).

- `support_cases_visible_to`: the RAA's cases for its support workers, team managers and head of service; none
  for anyone else (a family finder, an LA's staff, another RAA's support team).
- Support workers and team managers record; the head of service reads. The team manager and the head of service
  change the RAA's support settings.
- The LA told of a safeguarding referral sees, on its child's record, that it was told and when: nothing else.
"""

from __future__ import annotations

from permanence.access.common import active, get_or_404
from permanence.access.support import SUPPORT_WRITE_ROLES, can_record_support, support_raa_for
from permanence.organisations.models import Organisation, Role

SUPPORT_SETTINGS_ROLES = frozenset({Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE})


def support_cases_visible_to(user):
    from permanence.support import selectors

    return selectors.cases_of(support_raa_for(user))


def get_support_case_for(user, pk):
    """One support case the user may see. Missing and not-yours: the same 404."""
    return get_or_404(support_cases_visible_to(user).select_related(
        "raa", "child", "child__la", "placing_la", "family_la", "safeguarding_la", "worker", "created_by"),
        "support case", pk=pk)


def get_support_event_for(user, case, pk):
    """One event of a support case the user may see (get_support_case_for first). Missing and not-yours: 404."""
    from permanence.support import selectors

    visible = get_or_404(support_cases_visible_to(user), "event", pk=case.pk)
    return get_or_404(selectors.events_of(visible), "event", pk=pk)


def can_record_support_for(user, raa) -> bool:
    """May record referrals and steps for this RAA: its support workers and team managers."""
    return can_record_support(user) and raa is not None and user.organisation_id == raa.pk


def can_change_support_settings(user, raa) -> bool:
    raa_of_user = support_raa_for(user)
    return raa_of_user is not None and raa is not None and raa_of_user.pk == raa.pk \
        and user.role in SUPPORT_SETTINGS_ROLES


def can_export_support(user) -> bool:
    """May take the RAA's support cases out as files (CSV/XLSX lists, a case's PDF): its team managers and head of
    service (as access.EXPORT_ROLES: a file leaves the system); a support worker reads them on screen."""
    from permanence.access.api import EXPORT_ROLES

    return support_raa_for(user) is not None and user.role in EXPORT_ROLES


def support_event_refusal(user, case, kind) -> str | None:
    """Why this user may not record this kind of step on this case (None if they may)."""
    from permanence.support import rules

    if support_raa_for(user) is None or user.organisation_id != case.raa_id:
        return "You do not have access to this support case."
    return rules.recording_refusal(user.role, rules.Kind(kind))


def support_workers_for(raa):
    """The staff a case may be allocated to: the RAA's active support workers and team managers."""
    from permanence.organisations.models import Staff

    if raa is None or raa.kind != Organisation.Kind.RAA:
        return Staff.objects.none()
    return Staff.objects.filter(organisation=raa, role__in=SUPPORT_WRITE_ROLES, is_active=True)


def safeguarding_referrals_for(user, child) -> list:
    """What the LA told of a safeguarding referral about its child sees: [(date told, RAA name)]. Only the LA's own
    staff, on a child's page they already see, and only what they were told."""
    from permanence.support import selectors

    if not active(user) or user.organisation.kind != Organisation.Kind.LA:
        return []
    return selectors.safeguarding_referrals(user.organisation, child)
