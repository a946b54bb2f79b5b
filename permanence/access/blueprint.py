"""Blueprint reviews of the adoption support service: who records and reads them.

- The RAA's head of service, team managers and quality lead record and read their own RAA's reviews.
- The comparison with other RAAs shows the others only as aggregates (mean, mode, n per domain): never another
  RAA's name, review or commentary.
- Everyone else (LAs, VAAs, other RAA roles, administrators): 404, as for a review that does not exist.
"""

from __future__ import annotations

from permanence.access.common import active, get_or_404
from permanence.organisations.models import Organisation, Role

BLUEPRINT_ROLES = frozenset({Role.RAA_HEAD_OF_SERVICE, Role.RAA_TEAM_MANAGER, Role.RAA_QUALITY_LEAD})


def blueprint_raa_for(user) -> Organisation | None:
    """The RAA whose blueprint reviews the user records and reads, or None."""
    if not active(user) or user.role not in BLUEPRINT_ROLES:
        return None
    organisation = user.organisation
    return organisation if organisation.kind == Organisation.Kind.RAA else None


def can_see_blueprint(user) -> bool:
    return blueprint_raa_for(user) is not None


def can_record_blueprint_review(user) -> bool:
    return blueprint_raa_for(user) is not None


def blueprint_reviews_visible_to(user):
    from permanence.blueprint.models import BlueprintReview

    raa = blueprint_raa_for(user)
    if raa is None:
        return BlueprintReview.objects.none()
    return BlueprintReview.objects.filter(raa=raa).select_related("version", "raa")


def get_blueprint_review_for(user, pk):
    return get_or_404(blueprint_reviews_visible_to(user), "blueprint review", pk=pk)


def can_export_blueprint(user) -> bool:
    """May download the results (PDF, XLSX): the RAA's managers (head of service, team managers) and its quality
    lead, the same people who read them. Every download is logged (exports.log_export)."""
    return blueprint_raa_for(user) is not None
