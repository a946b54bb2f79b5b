"""A learning review opened as a draft: its details, contributing factors and recommendations are changed, each
change audited with what it was; marked final, it is read-only with a clear message (its recommendations are
still marked done)."""

from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from permanence.core.models import AuditEvent
from permanence.disruptions import services
from permanence.disruptions.tests.helpers import factor, review_of
from permanence.organisations.models import Role
from permanence.testing import current_version


def _date(prefix, d):
    return {f"{prefix}_day": d.day, f"{prefix}_month": d.month, f"{prefix}_year": d.year}


@pytest.fixture
def draft(region, today):
    review = review_of(region, region.la, region.raa, codes=("matching",))
    rec = services.add_recommendation(actor=None, review=review, text="Train", due_date=D(2024, 5, 1),
                                      owner=region.staff[("NR", Role.RAA_QUALITY_LEAD)], check_role=False)
    return review, rec


def test_a_draft_is_changed_and_audited_then_final_and_read_only(client, region, draft):
    review, rec = draft
    lead = region.staff[("NR", Role.RAA_QUALITY_LEAD)]
    chair = region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)]
    client.force_login(lead)
    assert review.status == "draft"
    page = client.get(reverse("disruptions:review", args=[review.pk])).content.decode()
    assert 'id="draft-note"' in page and reverse("disruptions:review-edit", args=[review.pk]) in page
    edit = reverse("disruptions:review-edit", args=[review.pk])
    form = client.get(edit).content.decode()
    assert "Learned." in form and "Date the placement broke down" not in form  # before the order: date kept
    early = client.post(edit, {**current_version(client, edit), **_date("review_date", D(2024, 1, 5)), "chair": chair.pk})
    assert "The review date must be on or after the date of the disruption" in early.content.decode()
    answer = client.post(edit, {**current_version(client, edit), **_date("review_date", D(2024, 3, 8)), "chair": chair.pk, "findings": "Rewritten.",
                                "factors": [factor("preparation").pk, factor("delay").pk]})
    assert answer.status_code == 302
    review.refresh_from_db()
    assert (review.review_date, review.chair, review.findings) == (D(2024, 3, 8), chair, "Rewritten.")
    assert sorted(f.code for f in review.factors.all()) == ["delay", "preparation"]
    change = AuditEvent.objects.get(action="learning_review.change", object_id=str(review.pk))
    assert change.before["factors"] == ["matching"] and change.after["factors"] == ["delay", "preparation"]
    assert (change.before["findings"], change.after["findings"]) == ("Learned.", "Rewritten.")

    rec_url = reverse("disruptions:recommendation-edit", args=[review.pk, rec.pk])
    assert "Enter the recommendation" in client.post(rec_url, {**current_version(client, rec_url), "text": "",
                                                               "owner": lead.pk}).content.decode()
    client.post(rec_url, {**current_version(client, rec_url), "text": "Train the panel", "owner": chair.pk,
                          **_date("due_date", D(2024, 7, 1))})
    rec.refresh_from_db()
    assert (rec.text, rec.owner, rec.due_date) == ("Train the panel", chair, D(2024, 7, 1))
    rec_change = AuditEvent.objects.get(action="learning_review.recommendation.change", object_id=str(rec.pk))
    assert (rec_change.before["text"], rec_change.after["text"]) == ("Train", "Train the panel")

    client.post(reverse("disruptions:review-final", args=[review.pk]))
    review.refresh_from_db()
    assert review.is_final and review.finalised_by == lead
    page = client.get(reverse("disruptions:review", args=[review.pk])).content.decode()
    assert "This learning review is final" in page and edit not in page and rec_url not in page
    assert "Add a recommendation" not in page
    refused = client.get(edit, follow=True).content.decode()
    assert "This learning review is final: it can no longer be changed." in refused
    client.post(edit, {**current_version(client, edit), **_date("review_date", D(2024, 3, 9)), "chair": lead.pk})
    client.post(rec_url, {**current_version(client, rec_url), "text": "Again", "owner": lead.pk})
    client.post(reverse("disruptions:recommendation-add", args=[review.pk]), {"text": "New", "owner": lead.pk})
    review.refresh_from_db()
    rec.refresh_from_db()
    assert review.review_date == D(2024, 3, 8) and rec.text == "Train the panel" and review.recommendations.count() == 1
    # A final review's recommendations are still carried out.
    client.post(reverse("disruptions:recommendation-done", args=[review.pk, rec.pk]))
    rec.refresh_from_db()
    assert rec.status == "done"
    with pytest.raises(ValidationError, match="final"):
        services.update_review(actor=None, review=review, review_date=D(2024, 3, 8), chair=lead, check_role=False)


def test_factors_must_come_from_the_reviews_own_list(region, draft):
    review, _rec = draft
    from permanence.disruptions.models import Factor

    v2 = services.add_factor_list(actor=None, version=2, valid_from=D(2024, 1, 1), factors=[("new", "New one")])
    with pytest.raises(ValidationError, match="the list the review was opened with"):
        services.update_review(actor=None, review=review, review_date=D(2024, 3, 1), check_role=False,
                               chair=region.staff[("NR", Role.RAA_TEAM_MANAGER)],
                               factors=[Factor.objects.get(factor_list=v2, code="new")])


def test_a_breakdown_after_the_order_keeps_its_date_and_description_changeable(client, region, today):
    from permanence.disruptions.tests.helpers import ADOPTED

    child = region.child(region.la, events=ADOPTED)
    head = region.staff[("NR", Role.RAA_HEAD_OF_SERVICE)]
    review = services.open_review(actor=None, child=child, review_date=D(2024, 6, 10), chair=head,
                                  disruption_date=D(2024, 6, 5), description="Respite asked for.", check_role=False)
    client.force_login(head)
    edit = reverse("disruptions:review-edit", args=[review.pk])
    before_order = client.post(edit, {**current_version(client, edit), **_date("review_date", D(2024, 6, 10)), "chair": head.pk,
                                      **_date("disruption_date", D(2024, 5, 1)), "description": "x"})
    assert "The breakdown date must be on or after the adoption order" in before_order.content.decode()
    client.post(edit, {**current_version(client, edit), **_date("review_date", D(2024, 6, 10)), "chair": head.pk,
                       **_date("disruption_date", D(2024, 6, 6)), "description": "The family asked for respite."})
    review.refresh_from_db()
    assert (review.disruption_date, review.description) == (D(2024, 6, 6), "The family asked for respite.")
