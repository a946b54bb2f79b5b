"""Support plans, the commissioned provider list and the support fund: who sees and changes them.

- Plans and fund applications are support records: only the RAA's adoption support team and its managers see
  them, and only their own RAA's (access.support); support workers and team managers record them.
- The RAA's commissioned provider list is seen by the same people; its team managers and head of service keep
  it (add providers, record commissions and their outcomes).
- The fund's fair access limit is national: a system administrator keeps the table; the support team sees it.
- Exports (CSV, XLSX) are for the team managers and the head of service. The application pack (a PDF without
  the family's identifying details) is for whoever may record the application.
- Missing and not-yours: the same 404 (get_or_404).
"""

from __future__ import annotations

from permanence.access.common import active, get_or_404
from permanence.access.support import can_record_support, support_raa_for
from permanence.organisations.models import Role

PROVIDER_LIST_ROLES = frozenset({Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE})
SUPPORT_EXPORT_ROLES = frozenset({Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE})


def support_providers_visible_to(user):
    from permanence.support_fund import selectors

    return selectors.providers_of(support_raa_for(user))


def get_support_provider_for(user, pk):
    return get_or_404(support_providers_visible_to(user), "provider", pk=pk)


def get_commission_for(user, provider, pk):
    """One commission of a provider the user sees (get_support_provider_for first)."""
    visible = get_or_404(support_providers_visible_to(user), "provider", pk=provider.pk)
    return get_or_404(visible.commissions.all(), "commission", pk=pk)


def can_keep_provider_list(user) -> bool:
    """Adds and edits the RAA's commissioned providers: its team managers and head of service."""
    return support_raa_for(user) is not None and user.role in PROVIDER_LIST_ROLES


def support_plans_visible_to(user):
    from permanence.support_fund import selectors

    return selectors.plans_of(support_raa_for(user))


def get_support_plan_for(user, pk):
    return get_or_404(support_plans_visible_to(user), "support plan", pk=pk)


def fund_applications_visible_to(user):
    from permanence.support_fund import selectors

    return selectors.applications_of(support_raa_for(user))


def get_fund_application_for(user, pk):
    return get_or_404(fund_applications_visible_to(user), "application", pk=pk)


def can_record_support_fund(user) -> bool:
    """Records plans and fund applications (of their own RAA's cases): support workers and team managers."""
    return can_record_support(user)


def can_export_support_fund(user) -> bool:
    return support_raa_for(user) is not None and user.role in SUPPORT_EXPORT_ROLES


def can_set_fair_access_limits(user) -> bool:
    """The fair access limit is the fund's (national): the installation's system administrators keep it."""
    return active(user) and user.role == Role.SYSTEM_ADMINISTRATOR


def can_see_fair_access_limits(user) -> bool:
    return can_set_fair_access_limits(user) or support_raa_for(user) is not None
