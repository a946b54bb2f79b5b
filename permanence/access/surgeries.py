"""Performance surgeries.

A surgery belongs to an organisation (an RAA or an LA) and is for one of its teams or one of its workers. Team
managers and the head of service run them: they see any team's or worker's list in their organisation, agree,
complete, escalate and withdraw actions, see the escalated actions and print the agenda. A worker (family finder,
assessing social worker, LA child's social worker) sees their own list only, and may mark done or escalate the
actions they own; agreeing actions is the surgery's job. Actions are seen only inside the organisation whose
surgery agreed them, and only for children and households the user may see. LA staff never see households.
The actions come from permanence.performance.selectors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from permanence.access.api import can_export
from permanence.access.children import (
    CHILD_RECORD_ROLES,
    can_see_child_records,
    children_visible_to,
    get_child_for,
    sees_child,
)
from permanence.access.common import get_or_404, not_found
from permanence.access.households import (
    ADOPTER_RECORD_ROLES,
    get_household_for,
    households_visible_to,
    sees_household,
)
from permanence.organisations.models import Organisation, Role, Staff, Team

if TYPE_CHECKING:
    from permanence.children.models import Child

SURGERY_MANAGER_ROLES = frozenset({Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE, Role.LA_TEAM_MANAGER})
SURGERY_WORKER_ROLES = frozenset({Role.RAA_FAMILY_FINDER, Role.RAA_ASSESSING_SOCIAL_WORKER, Role.LA_SOCIAL_WORKER})
# Who an action can be escalated to: a manager or the head of service of the organisation whose surgery agreed it.
SURGERY_ESCALATION_ROLES = SURGERY_MANAGER_ROLES


def can_run_surgeries(user) -> bool:
    return can_see_child_records(user) and user.role in SURGERY_MANAGER_ROLES


def can_see_surgeries(user) -> bool:
    """The surgery list: managers for their organisation, workers for their own items."""
    return can_see_child_records(user) and user.role in SURGERY_MANAGER_ROLES | SURGERY_WORKER_ROLES


def can_print_surgery_agenda(user) -> bool:
    return can_run_surgeries(user) and can_export(user)


def surgery_teams_for(user):
    """Teams whose surgery list the user may see: every team of a manager's own organisation."""
    if not can_run_surgeries(user):
        return Team.objects.none()
    return Team.objects.filter(organisation=user.organisation).order_by("name")


def surgery_workers_for(user) -> QuerySet[Staff]:
    """Workers whose own surgery list the user may see: a manager, any active worker or manager of their
    organisation; a worker, themselves."""
    if not can_see_surgeries(user):
        return Staff.objects.none()
    if not can_run_surgeries(user):
        return Staff.objects.filter(pk=user.pk)
    return Staff.objects.filter(organisation=user.organisation, is_active=True,
                                role__in=SURGERY_MANAGER_ROLES | SURGERY_WORKER_ROLES).order_by(
        "last_name", "first_name", "pk")


def get_surgery_team_for(user, pk):
    return get_or_404(surgery_teams_for(user).select_related("organisation"), "team", pk=pk)


def get_surgery_worker_for(user, pk) -> Staff:
    return get_or_404(surgery_workers_for(user).select_related("team"), "worker", pk=pk)


def surgery_actions_visible_to(user):
    """Actions agreed by the user's organisation's surgeries, on children and households the user may see; for a
    worker, only those they own or on items they work."""
    from permanence.performance import selectors

    if not can_see_surgeries(user):
        return selectors.surgery_actions_of(None)
    return selectors.surgery_actions_of(
        user.organisation, children=children_visible_to(user), households=households_visible_to(user),
        worked_by=None if can_run_surgeries(user) else user)


def get_surgery_action_for(user, pk):
    return get_or_404(surgery_actions_visible_to(user).select_related(
        "child", "child__la", "household", "owner", "agreed_by", "escalated_to", "escalated_by", "closed_by",
        "team", "organisation"), "action", pk=pk)


def get_surgery_child_for(user, pk) -> Child:
    """A child an action may be agreed for at this user's surgery (managers only)."""
    if not can_run_surgeries(user):
        not_found("child")
    return get_child_for(user, pk)


def get_surgery_household_for(user, pk):
    if not can_run_surgeries(user):
        not_found("household")
    return get_household_for(user, pk)


def can_agree_surgery_action(user) -> bool:
    return can_run_surgeries(user)


def can_complete_surgery_action(user, action) -> bool:
    """Mark done: a manager of the organisation, the action's owner, or the person it was escalated to."""
    return can_see_surgeries(user) and action.is_open and action.organisation_id == user.organisation_id and (
        can_run_surgeries(user) or user.pk in (action.owner_id, action.escalated_to_id))


def can_escalate_surgery_action(user, action) -> bool:
    return can_see_surgeries(user) and action.is_open and action.organisation_id == user.organisation_id and (
        can_run_surgeries(user) or user.pk == action.owner_id)


def can_withdraw_surgery_action(user, action) -> bool:
    return can_run_surgeries(user) and action.is_open and action.organisation_id == user.organisation_id


def can_own_surgery_action(staff, *, child=None, household=None) -> bool:
    """Whether this member of staff may own an action about this child or household: active, and able to see it."""
    if staff is None or not getattr(staff, "is_active", False):
        return False
    if child is not None:
        return sees_child(staff, child)
    if household is not None:
        return sees_household(staff, household)
    return False


def surgery_owners_for(user, *, household: bool = False) -> QuerySet[Staff]:
    """Who a manager can give an action to: active staff of their organisation whose role sees children's records
    (or adopters' records, for a household). The service still checks the chosen person sees the subject."""
    if not can_run_surgeries(user):
        return Staff.objects.none()
    org = user.organisation
    roles = ADOPTER_RECORD_ROLES if household else CHILD_RECORD_ROLES.get(org.kind, frozenset())
    if household and org.kind != Organisation.Kind.RAA:
        return Staff.objects.none()
    return Staff.objects.filter(organisation=org, is_active=True, role__in=roles).order_by(
        "last_name", "first_name", "pk")


def surgery_escalation_targets(user, action=None) -> QuerySet[Staff]:
    """Who an action can be escalated to: the organisation's active team managers and head of service, other than
    the person escalating (and the person it is already with)."""
    if not can_see_surgeries(user):
        return Staff.objects.none()
    qs = Staff.objects.filter(organisation=user.organisation, is_active=True,
                              role__in=SURGERY_ESCALATION_ROLES).exclude(pk=user.pk)
    if action is not None and action.escalated_to_id:
        qs = qs.exclude(pk=action.escalated_to_id)
    return qs.order_by("last_name", "first_name", "pk")


def can_see_unallocated_surgery(user) -> bool:
    """The "Not allocated" surgery list – the organisation's children (and, for an RAA, households) with no worker
    of its side allocated: managers and the head of service only; a worker has no such list (404)."""
    return can_run_surgeries(user)


def surgery_support_cases(user):
    """The support cases a surgery may list (adoption support, issue 12): the RAA's, for its team managers and head
    of service running a surgery; none for anyone else."""
    from permanence.access.support_cases import support_cases_visible_to

    if not can_run_surgeries(user):
        from permanence.support.selectors import cases_of

        return cases_of(None)
    return support_cases_visible_to(user)
