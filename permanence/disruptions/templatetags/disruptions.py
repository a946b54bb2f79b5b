"""The child's page: "A learning review was held on …" (to whoever sees the child) and, for the RAA's managers and
quality lead, the links to open a review of a disruption or of a breakdown after the adoption order."""

from django import template

from permanence import access

register = template.Library()


@register.inclusion_tag("disruptions/_child_section.html", takes_context=True)
def learning_reviews_section(context, child):
    from permanence.disruptions import selectors
    from permanence.disruptions.models import LearningReview

    user = context["request"].user
    held = list(LearningReview.objects.filter(child=child).order_by("review_date").values_list("review_date",
                                                                                               flat=True))
    can_open = access.can_record_learning_reviews(user) and access.review_raa_for(user).pk == child.la.raa_id
    waiting = list(selectors.unreviewed_disruptions([child])) if can_open else []
    adopted = can_open and selectors.adoption_order_of(child) is not None
    return {"child": child, "held": held, "can_open": can_open, "waiting": waiting, "adopted": adopted}
