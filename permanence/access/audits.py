"""Case-file audits: who runs audit rounds, audits files and reads the results.

- The RAA's head of service, team managers and quality lead: their own RAA's rounds, the children sampled from
  its member LAs, the audits and the results. They see a sampled child's file only through the audit (the
  quality lead does not otherwise see children's records); a blinded round hides the child's LA and group.
- A child's audit scores: everyone who can see the child (access.children), on the child's page.
- Everyone else (LAs, VAAs, other RAA roles, administrators): 404, as for a round that does not exist.
"""

from __future__ import annotations

from permanence.access.children import sees_child
from permanence.access.common import active, get_or_404
from permanence.organisations.models import Organisation, Role

AUDIT_ROUND_ROLES = frozenset({Role.RAA_HEAD_OF_SERVICE, Role.RAA_TEAM_MANAGER, Role.RAA_QUALITY_LEAD})


def audits_raa_for(user) -> Organisation | None:
    """The RAA whose case-file audits the user runs and reads, or None."""
    if not active(user) or user.role not in AUDIT_ROUND_ROLES:
        return None
    organisation = user.organisation
    return organisation if organisation.kind == Organisation.Kind.RAA else None


def can_see_audits(user) -> bool:
    return audits_raa_for(user) is not None


def audit_rounds_visible_to(user):
    from permanence.audits.models import AuditRound

    raa = audits_raa_for(user)
    if raa is None:
        return AuditRound.objects.none()
    return AuditRound.objects.filter(raa=raa).select_related("version", "raa")


def get_audit_round_for(user, pk):
    return get_or_404(audit_rounds_visible_to(user), "audit round", pk=pk)


def sample_entries_visible_to(user):
    from permanence.audits.models import SampleEntry

    raa = audits_raa_for(user)
    if raa is None:
        return SampleEntry.objects.none()
    return SampleEntry.objects.filter(round__raa=raa, child__la__raa=raa).select_related(
        "round", "round__version", "child", "child__la")


def get_sample_entry_for(user, pk):
    return get_or_404(sample_entries_visible_to(user), "sampled case", pk=pk)


def case_audits_visible_to(user):
    from permanence.audits.models import CaseAudit

    raa = audits_raa_for(user)
    if raa is None:
        return CaseAudit.objects.none()
    return CaseAudit.objects.filter(entry__round__raa=raa, child__la__raa=raa).select_related(
        "entry", "entry__round", "version", "child", "la")


def get_case_audit_for(user, pk):
    return get_or_404(case_audits_visible_to(user), "case-file audit", pk=pk)


def child_audits_for(user, child):
    """The audits of a child the user can see (for the child's page); none otherwise."""
    from permanence.audits.models import CaseAudit

    if not sees_child(user, child):
        return CaseAudit.objects.none()
    return CaseAudit.objects.filter(child=child).select_related("entry__round", "version").prefetch_related(
        "scores__criterion__section")
