"""Rows for the learning reviews' pages (access decides whose)."""

from __future__ import annotations

from django.db.models import F

from permanence.children import rules as child_rules
from permanence.children.models import JourneyEvent
from permanence.disruptions import rules
from permanence.disruptions.models import FactorList, LearningReview, Recommendation


def disruptions_of(child):
    """The child's recorded disruptions before the order (journey events, corrections applied), newest first."""
    return JourneyEvent.objects.filter(child=child, kind=child_rules.Kind.DISRUPTION, superseded=False).order_by(
        "-date", "-id")


def adoption_order_of(child):
    event = JourneyEvent.objects.filter(child=child, kind=child_rules.Kind.ADOPTION_ORDER, superseded=False).order_by(
        "-date").first()
    return event.date if event else None


def list_in_force(on):
    versions = {v.version: v for v in FactorList.objects.all()}
    chosen = rules.current_list([rules.ListVersion(v.version, v.valid_from) for v in versions.values()], on)
    return versions[chosen.version] if chosen else None


def unreviewed_disruptions(children):
    """Disruptions of these children that no review was opened from, newest first."""
    reviewed = LearningReview.objects.filter(disruption_event__isnull=False).values("disruption_event_id")
    return (JourneyEvent.objects.filter(child__in=children, kind=child_rules.Kind.DISRUPTION, superseded=False)
            .exclude(pk__in=reviewed).select_related("child", "child__la").order_by("-date", "-id"))


def recommendations_due(reviews):
    """Open recommendations of these reviews, due date ascending and those with no due date last (every DB)."""
    return (Recommendation.objects.filter(review__in=reviews, status=Recommendation.Status.OPEN)
            .select_related("review", "review__child", "owner")
            .order_by(F("due_date").asc(nulls_last=True), "id"))


def review_facts(reviews):
    rows = reviews.select_related("child__la").prefetch_related("factors")
    return [rules.ReviewFact(r.child.la.name, r.review_date, tuple(f.label for f in r.factors.all())) for r in rows]


def recommendation_facts(reviews):
    return [rules.RecommendationFact(s, d) for s, d in
            Recommendation.objects.filter(review__in=reviews).values_list("status", "due_date")]


def reviewed_disruption_dates(child) -> set:
    """The dates of the child's disruptions before the order that a learning review has been held on (what the
    child's page stops prompting for)."""
    return set(LearningReview.objects.filter(child=child, when=LearningReview.When.BEFORE_ORDER)
               .values_list("disruption_date", flat=True))
