"""Records and data protection: the retention schedule, disposal and subject access.

- The records due for disposal and the disposal itself: the RAA's head of service (who acts as its data
  protection lead: there is no separate role) and its system administrator, for the RAA's own records only (its
  member LAs' children, its households and enquiries).
- A subject access export of an adopter's record: the same roles and the RAA's team managers, for the RAA's
  households (through households_visible_to).
"""

from __future__ import annotations

from permanence.access.common import active, get_or_404, not_found
from permanence.organisations.models import Organisation, Role

RETENTION_ROLES = frozenset({Role.RAA_HEAD_OF_SERVICE, Role.SYSTEM_ADMINISTRATOR})
SUBJECT_ACCESS_ROLES = frozenset({*RETENTION_ROLES, Role.RAA_TEAM_MANAGER})
RETENTION_KINDS = ("child", "household", "enquiry")


def retention_raa_for(user) -> Organisation | None:
    """The RAA whose records' retention this user manages, or None."""
    if active(user) and user.role in RETENTION_ROLES and user.organisation.kind == Organisation.Kind.RAA:
        return user.organisation
    return None


def can_manage_retention(user) -> bool:
    return retention_raa_for(user) is not None


def retention_records_visible_to(user, kind: str):
    """The RAA's records of this kind ("child", "household", "enquiry") for a retention manager; none otherwise."""
    from permanence.records import selectors

    model = selectors.KINDS.get(kind)
    if model is None:
        not_found("record")
    raa = retention_raa_for(user)
    if raa is None:
        return model.objects.none()
    if kind == "child":
        return model.objects.filter(la__raa=raa).select_related("la", "la__raa")
    return model.objects.filter(raa=raa).select_related("raa")


def get_retention_record_for(user, kind: str, pk):
    """One record of the user's RAA, to see its retention and dispose of it. Missing and not-yours: 404."""
    return get_or_404(retention_records_visible_to(user, kind), "record", pk=pk)


def can_export_subject_access(user) -> bool:
    """May produce a subject access export of an adopter's record (the household must be visible too)."""
    return (
        active(user) and user.role in SUBJECT_ACCESS_ROLES and user.organisation.kind == Organisation.Kind.RAA
    )


def subject_households_for(user):
    """The households whose members' data this user may export."""
    from permanence.adopters.models import Household

    if not can_export_subject_access(user):
        return Household.objects.none()
    return Household.objects.filter(raa=user.organisation)


def get_subject_applicant_for(user, pk):
    """An applicant (an adopter) whose data the user may export. Missing and not-yours: 404."""
    from permanence.adopters.models import Applicant

    return get_or_404(
        Applicant.objects.filter(household__in=subject_households_for(user)).select_related(
            "household", "household__raa"
        ),
        "person",
        pk=pk,
    )
