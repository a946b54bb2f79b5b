"""Opening a review from a disruption, the factor list's versions, the recommendations due."""

from datetime import date as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from permanence.core.models import AuditEvent
from permanence.disruptions import selectors, services
from permanence.disruptions.models import LearningReview
from permanence.disruptions.tests.helpers import ADOPTED, disrupted_child, factor, review_of
from permanence.organisations.models import Role


def test_a_review_opened_from_a_disruption_keeps_its_date_and_is_audited(region):
    child, event = disrupted_child(region, region.la)
    quality = region.staff[("NR", Role.RAA_QUALITY_LEAD)]
    review = services.open_review(actor=quality, child=child, disruption_event=event, review_date=D(2024, 3, 1),
                                  chair=quality, factors=[factor("matching"), factor("support_not_provided")])
    assert (review.when, review.disruption_date, review.raa) == (LearningReview.When.BEFORE_ORDER, D(2024, 2, 1),
                                                                 region.raa)
    assert sorted(f.code for f in review.factors.all()) == ["matching", "support_not_provided"]
    assert AuditEvent.objects.filter(action="learning_review.open", object_id=str(review.pk)).exists()
    assert list(selectors.unreviewed_disruptions([child])) == []


def test_another_raa_and_other_roles_may_not_open_one(region):
    child, event = disrupted_child(region, region.la)
    for user in (region.staff[("SR", Role.RAA_QUALITY_LEAD)], region.staff[("NR", Role.RAA_FAMILY_FINDER)]):
        with pytest.raises(PermissionDenied):
            services.open_review(actor=user, child=child, disruption_event=event, review_date=D(2024, 3, 1),
                                 chair=region.staff[("NR", Role.RAA_TEAM_MANAGER)])


def test_a_review_before_the_disruption_or_with_a_chair_of_another_raa_is_refused(region):
    child, event = disrupted_child(region, region.la)
    with pytest.raises(ValidationError) as err:
        services.open_review(actor=None, child=child, disruption_event=event, review_date=D(2024, 1, 31),
                             chair=region.staff[("SR", Role.RAA_TEAM_MANAGER)], check_role=False)
    assert set(err.value.message_dict) == {"review_date", "chair"}


def test_a_breakdown_after_the_order_needs_an_adopted_child_a_date_and_a_description(region):
    adopted = region.child(region.la, events=ADOPTED)
    chair = region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)]
    with pytest.raises(ValidationError) as err:
        services.open_review(actor=None, child=adopted, disruption_date=D(2024, 5, 1), review_date=D(2024, 7, 1),
                             chair=chair, check_role=False)
    assert set(err.value.message_dict) == {"disruption_date", "description"}  # before the order, no description
    review = services.open_review(actor=None, child=adopted, disruption_date=D(2025, 1, 6), review_date=D(2025, 2, 3),
                                  description="The family asked for the child to be accommodated.", chair=chair,
                                  check_role=False)
    assert review.when == LearningReview.When.AFTER_ORDER and review.disruption_event is None
    not_adopted = region.child(region.la)
    with pytest.raises(ValidationError) as err:
        services.open_review(actor=None, child=not_adopted, disruption_date=D(2025, 1, 6), description="x",
                             review_date=D(2025, 2, 3), chair=chair, check_role=False)
    assert "disruption" in err.value.message_dict


def test_a_new_list_version_is_data_and_old_reviews_keep_their_factors(region):
    old = review_of(region, region.la, region.raa, review_date=D(2024, 3, 1), codes=("matching",))
    services.add_factor_list(actor=None, version=2, valid_from=D(2024, 4, 1),
                             factors=[("matching_process", "The matching process"), ("new", "A new factor")])
    assert selectors.list_in_force(D(2024, 3, 31)).version == 1
    assert selectors.list_in_force(D(2024, 4, 1)).version == 2
    child, event = disrupted_child(region, region.la)
    with pytest.raises(ValidationError) as err:  # version 1's factors are not offered after 1 April
        services.open_review(actor=None, child=child, disruption_event=event, review_date=D(2024, 4, 2),
                             chair=region.staff[("NR", Role.RAA_TEAM_MANAGER)], factors=[factor("matching")],
                             check_role=False)
    assert "factors" in err.value.message_dict
    new = services.open_review(actor=None, child=child, disruption_event=event, review_date=D(2024, 4, 2),
                               chair=region.staff[("NR", Role.RAA_TEAM_MANAGER)], factors=[factor("new", 2)],
                               check_role=False)
    old.refresh_from_db()
    assert (old.factor_list.version, [f.label for f in old.factors.all()]) == (
        1, ["Matching: the match did not fit the child's needs or the adopters' capacity"])
    assert (new.factor_list.version, [f.code for f in new.factors.all()]) == (2, ["new"])
    with pytest.raises(ValidationError):
        services.add_factor_list(actor=None, version=2, valid_from=D(2025, 1, 1), factors=[("x", "X")])


def test_recommendations_due_ascending_with_no_due_date_last(region):
    review = review_of(region, region.la, region.raa)
    owner = region.staff[("NR", Role.RAA_TEAM_MANAGER)]

    def add(text, due):
        return services.add_recommendation(actor=None, review=review, text=text, owner=owner, due_date=due,
                                           check_role=False)

    add("No date", None)
    late = add("Late", D(2024, 6, 1))
    add("Soon", D(2024, 7, 1))
    first = add("First", D(2024, 5, 1))
    services.mark_done(actor=None, recommendation=first, on=D(2024, 5, 2), check_role=False)
    rows = selectors.recommendations_due(LearningReview.objects.all())
    assert [r.text for r in rows] == ["Late", "Soon", "No date"]  # done ones are not due
    with pytest.raises(ValidationError):
        services.mark_done(actor=None, recommendation=first, on=D(2024, 5, 3), check_role=False)
    with pytest.raises(ValidationError):  # the owner is one of the RAA's staff
        services.add_recommendation(actor=None, review=review, text="x", due_date=None, check_role=False,
                                    owner=region.staff[("SR", Role.RAA_TEAM_MANAGER)])
    assert late.status == "open"
