"""A blueprint review saved as a draft is changed (scores, commentary, evidence), each change audited with what it
was; drafts are not counted in the results; marked final, it is read-only with a clear message."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from permanence.blueprint import services
from permanence.blueprint.models import BlueprintReview
from permanence.core.models import AuditEvent
from permanence.organisations.models import Role
from permanence.testing import current_version

from .helpers import make_review

FORM = {"reviewed_on_day": "3", "reviewed_on_month": "2", "reviewed_on_year": "2025", "reviewer": "Sam Reviewer"}


@pytest.fixture
def lead(client, region):
    client.force_login(region.staff[("NR", Role.RAA_QUALITY_LEAD)])
    return region


def test_a_draft_is_changed_audited_then_final_and_read_only(client, lead):
    make_review(lead.other_raa, date(2025, 1, 5), {1: 1})
    client.post(reverse("blueprint:review-add"), {**FORM, "score_1": "2", "commentary_1": "First go",
                                                  "action": "draft"})
    review = BlueprintReview.objects.get(raa=lead.raa)
    assert review.status == "draft" and review.finalised_at is None
    results = client.get(reverse("blueprint:results")).content.decode()
    assert "has no review among the reviews chosen" in results  # a draft is not counted
    page = client.get(reverse("blueprint:review", args=[review.pk])).content.decode()
    assert 'id="draft-note"' in page and reverse("blueprint:review-edit", args=[review.pk]) in page

    form = client.get(reverse("blueprint:review-edit", args=[review.pk])).content.decode()
    assert "First go" in form and 'value="2" checked' in form
    bad = client.post(reverse("blueprint:review-edit", args=[review.pk]), {**current_version(client, reverse("blueprint:review-edit", args=[review.pk])), **FORM, "reviewer": ""})
    assert "Enter who carried out the review" in bad.content.decode()
    answer = client.post(reverse("blueprint:review-edit", args=[review.pk]), {**current_version(client, reverse("blueprint:review-edit", args=[review.pk])),
        **FORM, "score_1": "3", "commentary_1": "Second look", "evidence_1": "Plan", "score_2": "0"})
    assert answer.status_code == 302
    scores = {s.domain.number: s for s in review.scores.all()}
    assert (scores[1].score, scores[1].commentary, scores[1].evidence, scores[2].score) == (3, "Second look", "Plan", 0)
    change = AuditEvent.objects.get(action="blueprint_review.change", object_id=str(review.pk))
    assert change.before["scores"] == {"1": {"score": 2, "commentary": "First go", "evidence": ""},
                                       "2": {"score": None, "commentary": "", "evidence": ""}}
    assert change.after["scores"]["1"] == {"score": 3, "commentary": "Second look", "evidence": "Plan"}
    assert set(change.after["scores"]) == {"1", "2"}  # only what changed

    client.post(reverse("blueprint:review-final", args=[review.pk]))
    review.refresh_from_db()
    assert review.is_final and review.finalised_by == lead.staff[("NR", Role.RAA_QUALITY_LEAD)]
    assert AuditEvent.objects.filter(action="blueprint_review.final", object_id=str(review.pk)).exists()
    results = client.get(reverse("blueprint:results")).content.decode()
    assert "has no review among the reviews chosen" not in results
    refused = client.get(reverse("blueprint:review-edit", args=[review.pk]), follow=True).content.decode()
    assert "This review is final: it can no longer be changed." in refused and 'id="final-note"' in refused
    client.post(reverse("blueprint:review-edit", args=[review.pk]), {**current_version(client, reverse("blueprint:review-edit", args=[review.pk])), **FORM, "score_1": "0"})
    assert review.scores.get(domain__number=1).score == 3
    with pytest.raises(ValidationError, match="This review is final"):
        services.update_review(actor=None, review=review, reviewed_on=date(2025, 2, 3), reviewer="X", scores={},
                               check_role=False)


def test_saving_as_final_straight_away(client, lead):
    client.post(reverse("blueprint:review-add"), {**FORM, "score_1": "1", "action": "final"})
    review = BlueprintReview.objects.get()
    assert review.is_final and review.finalised_at is not None
    page = client.get(reverse("blueprint:review", args=[review.pk])).content.decode()
    assert 'id="final-note"' in page and reverse("blueprint:review-edit", args=[review.pk]) not in page
