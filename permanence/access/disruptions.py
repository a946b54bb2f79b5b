"""Disruption learning reviews: who sees and records them.

- The RAA's managers (team managers, head of service) and its quality lead see and record the learning reviews
  of their own RAA's children (the child's LA is one of the RAA's); nobody else sees them.
- The child's page says "A learning review was held on …" to whoever may see the child (access.get_child_for):
  a date, not the review.
- Missing and not-yours: the same 404 (get_or_404).
"""

from __future__ import annotations

from permanence.access.common import active, get_or_404
from permanence.organisations.models import Organisation, Role

REVIEW_ROLES = frozenset({Role.RAA_TEAM_MANAGER, Role.RAA_HEAD_OF_SERVICE, Role.RAA_QUALITY_LEAD})


def review_raa_for(user) -> Organisation | None:
    if not active(user) or user.role not in REVIEW_ROLES:
        return None
    return user.organisation if user.organisation.kind == Organisation.Kind.RAA else None


def can_record_learning_reviews(user) -> bool:
    return review_raa_for(user) is not None


def learning_reviews_visible_to(user):
    from permanence.disruptions.models import LearningReview

    raa = review_raa_for(user)
    return LearningReview.objects.filter(raa=raa) if raa else LearningReview.objects.none()


def get_learning_review_for(user, pk):
    return get_or_404(learning_reviews_visible_to(user).select_related("child", "child__la", "chair", "factor_list"),
                      "learning review", pk=pk)


def get_recommendation_for(user, review, pk):
    """One recommendation of a review the user sees (get_learning_review_for first)."""
    visible = get_or_404(learning_reviews_visible_to(user), "learning review", pk=review.pk)
    return get_or_404(visible.recommendations.all(), "recommendation", pk=pk)


def reviewable_children_for(user):
    """The children whose disruptions the user may review: those of the LAs of the user's RAA."""
    from permanence.children.models import Child

    raa = review_raa_for(user)
    return Child.objects.filter(la__raa=raa) if raa else Child.objects.none()


def get_reviewable_child_for(user, pk):
    return get_or_404(reviewable_children_for(user).select_related("la", "la__raa"), "child", pk=pk)


def can_export_learning_reviews(user) -> bool:
    """May download the themes across reviews (PDF, XLSX): the RAA's managers and its quality lead. Logged."""
    return review_raa_for(user) is not None
