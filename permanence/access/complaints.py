"""Complaints and service user feedback: who sees and records them.

- Complaints are seen by the RAA's managers (team managers, head of service) and its complaints officer, their
  own RAA's only; the complaints officer and team managers record them.
- Feedback summaries: the RAA's managers and its quality lead. Feedback is entered (from paper or the phone) by
  any of the RAA's own staff.
- Everyone else, and another RAA's records: the same 404 (get_or_404).
"""

from __future__ import annotations

from permanence.access.common import active, get_or_404
from permanence.organisations.models import Organisation, Role

MANAGERS = frozenset({Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE})
COMPLAINT_ROLES = MANAGERS | {Role.COMPLAINTS_OFFICER}
COMPLAINT_WRITE_ROLES = frozenset({Role.RAA_TEAM_MANAGER, Role.COMPLAINTS_OFFICER})
FEEDBACK_SUMMARY_ROLES = MANAGERS | {Role.RAA_QUALITY_LEAD}


def _raa(user):
    if not active(user):
        return None
    organisation = user.organisation
    return organisation if organisation.kind == Organisation.Kind.RAA else None


def complaints_raa_for(user):
    raa = _raa(user)
    return raa if raa is not None and user.role in COMPLAINT_ROLES else None


def can_see_complaints(user) -> bool:
    return complaints_raa_for(user) is not None


def can_record_complaints(user) -> bool:
    return complaints_raa_for(user) is not None and user.role in COMPLAINT_WRITE_ROLES


def complaints_visible_to(user):
    from permanence.complaints.models import Complaint

    raa = complaints_raa_for(user)
    if raa is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(raa=raa)


def get_complaint_for(user, pk):
    return get_or_404(complaints_visible_to(user), "complaint", pk=pk)


def can_see_feedback_summary(user) -> bool:
    raa = _raa(user)
    return raa is not None and user.role in FEEDBACK_SUMMARY_ROLES


def can_enter_feedback(user) -> bool:
    """Any of the RAA's own staff enters a response taken on paper or by phone."""
    return _raa(user) is not None


def feedback_raa_for(user):
    return _raa(user)


def _raa_id_of(record):
    """The RAA a child (through its LA), a household or a support case belongs to."""
    return record.la.raa_id if record._meta.model_name == "child" else record.raa_id


def _sees(user, record) -> bool:
    from permanence.access.children import sees_child
    from permanence.access.households import sees_household
    from permanence.access.support_cases import support_cases_visible_to

    name = record._meta.model_name
    if name == "child":
        return sees_child(user, record)
    if name == "household":
        return sees_household(user, record)
    if name == "supportcase":
        return support_cases_visible_to(user).filter(pk=record.pk).exists()
    return False


def can_record_complaint_about(user, record) -> bool:
    """Whether a child's, a household's or a support case's page offers "Record a complaint about this …": the
    user records complaints for the record's own RAA and sees the record (the complaint form reads it through
    get_child_for, get_household_for or get_support_case_for)."""
    raa = complaints_raa_for(user)
    return (can_record_complaints(user) and raa is not None and _raa_id_of(record) == raa.pk
            and _sees(user, record))


def can_export_complaints(user) -> bool:
    """May download the overdue list, the themes and the summary (XLSX, PDF): the RAA's managers (team managers,
    head of service) and its complaints officer, the people who see complaints. Every download is logged."""
    return complaints_raa_for(user) is not None
