from rest_framework.permissions import BasePermission

from permanence import access


class StaffWithAccess(BasePermission):
    """Deny by default: an active member of staff with an organisation. Records are then scoped by access."""

    def has_permission(self, request, view) -> bool:
        return access.can_use_api(request.user)
