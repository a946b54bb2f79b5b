"""Children's records: who works with them, which children a user sees, who may record which event.

The rows come from permanence.children.selectors; this module decides whose they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from permanence.access.common import active, get_or_404
from permanence.access.organisations import las_visible_to
from permanence.children import rules
from permanence.organisations.models import Organisation, Role, Staff

if TYPE_CHECKING:
    from permanence.children.models import Child, JourneyEvent

# Roles that work with individual children's records, by the kind of organisation they belong to.
CHILD_RECORD_ROLES: dict[str, frozenset[str]] = {
    Organisation.Kind.LA: frozenset(
        {Role.LA_SOCIAL_WORKER, Role.LA_TEAM_MANAGER, Role.AGENCY_DECISION_MAKER, Role.DATA_OFFICER}
    ),
    Organisation.Kind.RAA: frozenset(
        {
            Role.RAA_FAMILY_FINDER,
            Role.RAA_ASSESSING_SOCIAL_WORKER,
            Role.RAA_SUPPORT_WORKER,
            Role.RAA_TEAM_MANAGER,
            Role.RAA_HEAD_OF_SERVICE,
            Role.PANEL_ADVISER,
            Role.AGENCY_DECISION_MAKER,
            Role.DATA_OFFICER,
        }
    ),
}
CHILD_CREATE_ROLES = frozenset({Role.LA_SOCIAL_WORKER, Role.LA_TEAM_MANAGER, Role.RAA_FAMILY_FINDER,
                                Role.RAA_TEAM_MANAGER, Role.DATA_OFFICER})
AUDIT_ROLES = frozenset({Role.LA_TEAM_MANAGER, Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE})


def side_of(user: Staff) -> str | None:
    if not active(user):
        return None
    return {Organisation.Kind.LA: rules.LA, Organisation.Kind.RAA: rules.RAA}.get(user.organisation.kind)


def can_see_child_records(user) -> bool:
    return active(user) and user.role in CHILD_RECORD_ROLES.get(user.organisation.kind, frozenset())


# Special-category data (UK GDPR art. 9): the free-text descriptions of a child's disabilities and health needs are
# for the people who work with the child. Data officers see children's records for the returns, which need only the
# coded fields (ethnicity, whether the child has a disability): not the descriptions.
SPECIAL_CATEGORY_HIDDEN_FROM = frozenset({Role.DATA_OFFICER})


def sees_special_category(user) -> bool:
    """Whether the user's role may see special-category data at all (religion, health descriptions), on the records
    the user already sees."""
    return user.role not in SPECIAL_CATEGORY_HIDDEN_FROM


def can_see_health_details(user) -> bool:
    """May read (and so type) the descriptions of a child's disabilities and health needs."""
    return can_see_child_records(user) and user.role not in SPECIAL_CATEGORY_HIDDEN_FROM


def children_visible_to(user) -> QuerySet[Child]:
    from permanence.children import selectors

    return selectors.children_of(user.organisation if can_see_child_records(user) else None)


def get_child_for(user, pk) -> Child:
    return get_or_404(children_visible_to(user).select_related(
        "la", "la__raa", "case_holder", "sibling_group", "la_social_worker", "family_finder"), "child", pk=pk)


def sees_child(user, child: Child) -> bool:
    """Whether this child is among those the user may see."""
    return children_visible_to(user).filter(pk=child.pk).exists()


def sibling_groups_visible_to(user):
    from permanence.children import selectors

    return selectors.sibling_groups_of_las(las_visible_to(user) if can_see_child_records(user) else None)


def get_sibling_group_for(user, pk):
    return get_or_404(sibling_groups_visible_to(user).select_related("la"), "sibling group", pk=pk)


def get_event_for(user, child: Child, pk) -> JourneyEvent:
    """One event of a child the user may see (get_child_for first). Missing and not-yours: 404."""
    from permanence.children import selectors

    return get_or_404(selectors.journey_events_of(child), "event", pk=pk)


def can_create_child_in(user, la: Organisation) -> bool:
    return can_see_child_records(user) and user.role in CHILD_CREATE_ROLES and las_visible_to(user).filter(
        pk=la.pk).exists()


def event_refusal(user, child: Child, kind: rules.Kind, policy: rules.PolicyFact | None) -> str | None:
    """Why this user may not record this kind of event for this child (None if they may)."""
    if not sees_child(user, child):
        return "You do not have access to this child's record."
    return rules.recording_refusal(user.role, side_of(user), kind, policy)


def can_view_audit(user, child: Child) -> bool:
    return user.role in AUDIT_ROLES and sees_child(user, child)
