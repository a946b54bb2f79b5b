"""Adoption support: who sees support records (support cases, the support fund, adopted adults' requests, birth
relatives' support, contact and letterbox).

- The RAA's adoption support team and its managers see their own RAA's support records: adoption support workers,
  team managers and the head of service of the RAA. Support workers and team managers record; the head of
  service reads.
- Nobody else sees them: a family finder, an assessing worker, a panel adviser, an ADM, an LA's staff, data
  officers and board members see no support record (aggregate figures aside). The LA told of a safeguarding
  referral sees that it was told, on its child's record, and no more.
- Missing and not-yours: the same 404 (get_or_404).

Each support app's own get_*_for lives in this module (or a sibling module imported by access/__init__.py) and
reads its rows through that app's selectors, scoped by `support_raa_for(user)`.
"""

from __future__ import annotations

from permanence.access.common import active
from permanence.organisations.models import Organisation, Role

SUPPORT_ROLES = frozenset({Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE})
SUPPORT_WRITE_ROLES = frozenset({Role.RAA_SUPPORT_WORKER, Role.RAA_TEAM_MANAGER})


def support_raa_for(user) -> Organisation | None:
    """The RAA whose support records the user sees, or None (every other role, and every LA's or VAA's staff)."""
    if not active(user) or user.role not in SUPPORT_ROLES:
        return None
    organisation = user.organisation
    return organisation if organisation.kind == Organisation.Kind.RAA else None


def can_see_support(user) -> bool:
    return support_raa_for(user) is not None


def can_record_support(user) -> bool:
    """May record and change support records (of their own RAA): support workers and team managers."""
    return support_raa_for(user) is not None and user.role in SUPPORT_WRITE_ROLES
