"""A disruption learning review for the demo: Adoption West's quality lead (quality.aw) reviewed a demo child's
disruption, with three recommendations (one overdue, one open, one done). Synthetic only.

If no Adoption West demo child has a disruption, one placed child's placement is recorded as disrupted through
the children's service first.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from permanence.children import rules as child_rules
from permanence.children import services as child_services
from permanence.children.models import Child, JourneyEvent
from permanence.disruptions import services
from permanence.disruptions.models import LearningReview, Recommendation
from permanence.organisations.models import Role, Staff

QUALITY_LEAD = "quality.aw"
D = dt.timedelta


def demo_reviews():
    from permanence.demo.load import demo_children

    return LearningReview.objects.filter(child__in=demo_children())


def delete_demo_reviews() -> int:
    """Before the demo children are deleted (--reset): their reviews go too (the audit trail stays)."""
    reviews = list(demo_reviews().values_list("pk", flat=True))
    Recommendation.objects.filter(review__in=reviews).delete()
    LearningReview.factors.through.objects.filter(learningreview_id__in=reviews).delete()
    return LearningReview.objects.filter(pk__in=reviews).delete()[0]


def _a_disruption(raa, today: dt.date) -> JourneyEvent | None:
    from permanence.demo.load import demo_children

    children = demo_children().filter(la__raa=raa)
    event = (JourneyEvent.objects.filter(child__in=children, kind=child_rules.Kind.DISRUPTION, superseded=False,
                                         date__lte=today - D(days=60)).order_by("-date", "id").first())
    if event is not None:
        return event
    for child in children.filter(stage=child_rules.Stage.PLACED).order_by("la__code", "la_child_id")[:5]:
        last = child.events.filter(superseded=False).order_by("-date").first()
        on = max(today - D(days=90), last.date + D(days=1)) if last else today - D(days=90)
        try:
            child_services.record_event(child=child, kind=child_rules.Kind.DISRUPTION, date=on, actor=None,
                                        check_role=False, details={"cause": "child_needs", "reason":
                                                                   "The adopters could not meet the child's needs."})
        except ValidationError:  # the journey refused it: try the next child
            continue
        return JourneyEvent.objects.filter(child=child, kind=child_rules.Kind.DISRUPTION).latest("date")
    return None


@transaction.atomic
def load_demo(*, today: dt.date) -> int:
    """One review with its recommendations; returns how many reviews (0 if quality.aw or a disruption is missing)."""
    lead = Staff.objects.filter(username=QUALITY_LEAD, is_active=True).select_related("organisation").first()
    if lead is None:
        return 0
    event = _a_disruption(lead.organisation, today)
    if event is None:
        return 0
    child = Child.objects.select_related("la", "la__raa").get(pk=event.child_id)
    manager = Staff.objects.filter(organisation=lead.organisation, role=Role.RAA_TEAM_MANAGER,
                                   is_active=True).order_by("username").first() or lead
    from permanence.disruptions.models import Factor

    review_date = max(event.date, min(today - D(days=30), event.date + D(days=28)))
    factor_list = services.selectors.list_in_force(review_date)
    factors = list(Factor.objects.filter(factor_list=factor_list,
                                         code__in=["needs_underestimated", "support_not_provided"]))
    review = services.open_review(
        actor=lead, child=child, disruption_event=event, review_date=review_date, chair=lead, factors=factors,
        findings="The child's trauma-related needs were known to the foster carer but not fully shared with the "
                 "adopters before introductions. Therapeutic support was requested but had not started when the "
                 "placement ended.")
    done = services.add_recommendation(actor=lead, review=review, owner=manager, due_date=review_date + D(days=14),
                                       text="Share the foster carer's day-to-day account with adopters before "
                                            "matching panel.")
    services.mark_done(actor=lead, recommendation=done, on=review_date + D(days=10))
    services.add_recommendation(actor=lead, review=review, owner=manager, due_date=today - D(days=7),
                                text="Check that a support plan is agreed before every placement.")  # overdue
    services.add_recommendation(actor=lead, review=review, owner=lead, due_date=today + D(days=45),
                                text="Add therapeutic support waiting times to the quarterly board report.")
    return 1
