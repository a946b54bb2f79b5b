"""Records and data protection: the retention schedule, disposal and subject access.

- The records due for disposal and the disposal itself: the RAA's head of service (who acts as its data
  protection lead: there is no separate role) and its system administrator, for the RAA's own records only (its
  member LAs' children, its households and enquiries).
- A subject access export of a person's record: the same roles and the RAA's team managers, for the RAA's own
  records – an adopter (an applicant of its households), a child of its member LAs, an adopted adult's request
  made to it, a birth relative offered support for one of its children. The export holds records (support,
  contact) an LA's staff do not see, so it is the RAA's to make.
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
    """May produce subject access exports (of the RAA's own records: subject_records_for)."""
    return (
        active(user) and user.role in SUBJECT_ACCESS_ROLES and user.organisation.kind == Organisation.Kind.RAA
    )


def subject_records_for(user, slug: str):
    """The people of one kind ("adopters", "children", "adopted-adults", "birth-relatives") whose data this user
    may export: the rows the export starts from (an applicant, a child, a request, an offer)."""
    from permanence.adopted_adults.models import AdultRequest
    from permanence.adopters.models import Applicant
    from permanence.children.models import Child
    from permanence.contact.models import BirthRelativeOffer

    rows = {
        "adopters": lambda raa: Applicant.objects.filter(household__raa=raa).select_related(
            "household", "household__raa"),
        "children": lambda raa: Child.objects.filter(la__raa=raa).select_related("la", "la__raa"),
        "adopted-adults": lambda raa: AdultRequest.objects.filter(raa=raa).select_related("raa"),
        "birth-relatives": lambda raa: BirthRelativeOffer.objects.filter(child__la__raa=raa).select_related(
            "child", "child__la", "child__la__raa"),
    }
    if slug not in rows:
        not_found("person")
    raa = user.organisation if can_export_subject_access(user) else None
    return rows[slug](raa) if raa is not None else rows[slug](None).none()


def get_subject_for(user, slug: str, pk):
    """A person whose data the user may export. Missing and not-yours: 404."""
    return get_or_404(subject_records_for(user, slug), "person", pk=pk)



def can_export_subject_access_of(user, slug: str, record) -> bool:
    """May export this person's data (for the link on their record's page)."""
    return can_export_subject_access(user) and subject_records_for(user, slug).filter(pk=record.pk).exists()
