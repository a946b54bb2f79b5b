"""Rows for the learning reviews' tests: a disrupted child and an adopted child in an RAA, and a review."""

from datetime import date as D

from permanence.children.models import JourneyEvent
from permanence.disruptions import services
from permanence.disruptions.models import Factor
from permanence.organisations.models import Role

TO_PLACED = [("entered_care", D(2023, 1, 10)), ("identified", D(2023, 2, 1)), ("permanence_plan", D(2023, 5, 2)),
             ("should_be_placed", D(2023, 7, 3)), ("placement_order", D(2023, 9, 4)),
             ("match_decision", D(2023, 11, 1)), ("placed_for_adoption", D(2023, 12, 1))]
DISRUPTED = [*TO_PLACED, ("disruption", D(2024, 2, 1), {"reason": "The adopters separated.",
                                                        "cause": "adopters_circumstances"})]
ADOPTED = [*TO_PLACED, ("adoption_order", D(2024, 6, 3))]


def factor(code, version=1):
    return Factor.objects.get(factor_list__version=version, code=code)


def disrupted_child(region, la, **values):
    child = region.child(la, events=DISRUPTED, **values)
    return child, JourneyEvent.objects.get(child=child, kind="disruption")


def review_of(region, la, raa, *, review_date=D(2024, 3, 1), codes=("matching",), child=None):
    if child is None:
        child, event = disrupted_child(region, la)
    else:
        event = JourneyEvent.objects.get(child=child, kind="disruption")
    return services.open_review(actor=None, child=child, disruption_event=event, review_date=review_date,
                                chair=region.staff[(raa.code, Role.RAA_TEAM_MANAGER)],
                                factors=[factor(c) for c in codes], findings="Learned.", check_role=False)


def access_rows(region, la, raa):
    """(review, recommendation) of one RAA, for the access package test."""
    review = review_of(region, la, raa)
    rec = services.add_recommendation(actor=None, review=review, text="Train", due_date=D(2024, 5, 1),
                                      owner=region.staff[(raa.code, Role.RAA_QUALITY_LEAD)], check_role=False)
    return review, rec, review.child
