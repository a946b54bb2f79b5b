"""Organisations: the LAs a user may see, and who administers an RAA's member LAs.

Access is written in the organisations' vocabulary (roles, kinds of organisation), so this module reads
organisations' own rows directly; every other app's rows are read through that app's selectors.
"""

from __future__ import annotations

from django.db.models import QuerySet

from permanence.access.common import active, get_or_404
from permanence.organisations.models import Organisation, Role, Staff


def las_visible_to(user) -> QuerySet[Organisation]:
    """LAs whose children (or aggregate figures) the user may see."""
    las = Organisation.objects.filter(kind=Organisation.Kind.LA)
    if not active(user):
        return las.none()
    org = user.organisation
    if org.kind == Organisation.Kind.LA:
        return las.filter(pk=org.pk)
    if org.kind == Organisation.Kind.RAA:
        return las.filter(raa=org)
    return las.none()


def get_la_for(user, code) -> Organisation:
    """An LA the user may see (las_visible_to), by its code. Missing and not-yours give the same 404."""
    return get_or_404(las_visible_to(user), "local authority", code=str(code))


def administered_las(user) -> QuerySet[Organisation]:
    """LAs whose policy this user may change: an RAA's system administrator, for its member LAs."""
    if not active(user) or user.role != Role.SYSTEM_ADMINISTRATOR or user.organisation.kind != "raa":
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=Organisation.Kind.LA, raa=user.organisation)


def get_administered_la(user, code: str) -> Organisation:
    return get_or_404(administered_las(user), "local authority", code=code)


def can_administer(user) -> bool:
    return active(user) and user.role == Role.SYSTEM_ADMINISTRATOR


def administered_staff(user) -> QuerySet[Staff]:
    """Staff whose sign-in a system administrator may manage: their own organisation's and its member LAs'."""
    if not can_administer(user):
        return Staff.objects.none()
    return Staff.objects.filter(organisation__in=[user.organisation_id, *administered_las(user).values_list(
        "pk", flat=True)])


def get_administered_staff(user, pk) -> Staff:
    return get_or_404(administered_staff(user), "member of staff", pk=pk)


TEAM_MANAGER_ROLES = frozenset({Role.RAA_TEAM_MANAGER, Role.LA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE})
CASE_WORKER_ROLES = frozenset({Role.RAA_FAMILY_FINDER, Role.RAA_ASSESSING_SOCIAL_WORKER, Role.RAA_SUPPORT_WORKER,
                               Role.LA_SOCIAL_WORKER})


def manages_a_team(user) -> bool:
    """A manager's home page shows their team (its workers from team_for, who may be nobody yet)."""
    return active(user) and user.role in TEAM_MANAGER_ROLES


def team_for(user) -> QuerySet[Staff]:
    """The workers whose caseloads and tasks a manager sees on their home page: the active case workers of the
    manager's own team, or of the whole organisation when the manager is in no team (a head of service: the
    whole organisation). Nobody's for anyone else."""
    if not active(user) or user.role not in TEAM_MANAGER_ROLES:
        return Staff.objects.none()
    staff = Staff.objects.filter(organisation=user.organisation, is_active=True, role__in=CASE_WORKER_ROLES)
    if user.team_id and user.role != Role.RAA_HEAD_OF_SERVICE:
        staff = staff.filter(team_id=user.team_id)
    return staff.order_by("last_name", "first_name", "pk")
