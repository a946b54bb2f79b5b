"""The API and exports (Issue 4 part B): who may use the API, who may take records out as files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from permanence.access.children import can_see_child_records, sees_child
from permanence.access.common import active
from permanence.organisations.models import Role

if TYPE_CHECKING:
    from permanence.children.models import Child

# Who may take records out of Permanence as files (CSV/XLSX lists, a child's whole record as a PDF).
# Managers and data officers only: a social worker reads records on screen, where every view is logged,
# but a file leaves the system, so taking one out is a separate, narrower permission (see docs/api.md).
EXPORT_ROLES = frozenset({Role.LA_TEAM_MANAGER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE,
                          Role.DATA_OFFICER})


def can_use_api(user) -> bool:
    """Any active member of staff with an organisation; what they then see is decided per record."""
    return active(user)


def can_export(user) -> bool:
    return can_see_child_records(user) and user.role in EXPORT_ROLES


def can_list_in_bulk(user) -> bool:
    """May list more than one default page of records at once through the API: that is an export (issue 15),
    so it needs the roles that may take records out as files (EXPORT_ROLES). Paging at the default size is
    open to anyone who may see the records, and logged."""
    return active(user) and user.role in EXPORT_ROLES


def can_export_child(user, child: Child) -> bool:
    return can_export(user) and sees_child(user, child)
