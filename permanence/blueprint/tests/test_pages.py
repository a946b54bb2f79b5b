"""The pages through the test client: record a review (with its errors), read it, and the results."""

import re
from datetime import date

import pytest
from django.urls import reverse

from permanence.blueprint import services
from permanence.blueprint.models import BlueprintReview
from permanence.core.models import AuditEvent
from permanence.organisations.models import Role

from .helpers import make_review


@pytest.fixture
def lead(client, region):
    client.force_login(region.staff[("NR", Role.RAA_QUALITY_LEAD)])
    return region


def _cell(page, row_id, column):
    row = re.search(rf'<tr class="govuk-table__row" id="{row_id}">(.*?)</tr>', page, re.S).group(1)
    return [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)][column]


def test_record_a_review(client, lead):
    data = {"reviewed_on_day": "3", "reviewed_on_month": "2", "reviewed_on_year": "2025", "reviewer": "Sam Reviewer",
            "score_1": "2", "commentary_1": "A clear vision", "evidence_1": "Service plan 2025", "score_2": ""}
    response = client.post(reverse("blueprint:review-add"), data)
    review = BlueprintReview.objects.get()
    assert response.status_code == 302 and response.url == reverse("blueprint:review", args=[review.pk])
    assert (review.raa, review.reviewed_on, review.reviewer, review.version.version) == (
        lead.raa, date(2025, 2, 3), "Sam Reviewer", 1)
    scores = {s.domain.number: s for s in review.scores.all()}
    assert len(scores) == 17 and scores[1].score == 2 and scores[2].score is None
    assert scores[1].evidence == "Service plan 2025"
    assert AuditEvent.objects.filter(action="blueprint_review.add", object_id=str(review.pk)).exists()
    page = client.get(response.url).content.decode()
    assert "A clear vision" in page and "Not scored" in page


def test_errors_say_what_to_do(client, lead):
    response = client.post(reverse("blueprint:review-add"), {"score_1": "7"})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Enter the date of the review" in page and "Enter who carried out the review" in page
    assert "Score domain 1 0, 1, 2 or 3, or choose Not scored" in page
    assert not BlueprintReview.objects.exists()
    future = client.post(reverse("blueprint:review-add"), {"reviewed_on_day": "1", "reviewed_on_month": "1",
                                                         "reviewed_on_year": "2999", "reviewer": "A"})
    assert "must be today or in the past" in future.content.decode()


def test_an_empty_list_says_so(client, lead):
    assert "has not recorded a blueprint review yet" in client.get(reverse("blueprint:reviews")).content.decode()


def test_results_show_ties_unscored_n_and_the_comparison(client, lead):
    # Others: South 1, comparison X 2 on domain 1 (a tie: "1 and 2", mean 1.50); nobody scores domain 3.
    make_review(lead.other_raa, date(2025, 5, 1), {1: 1, 2: 0})
    make_review(None, date(2025, 5, 2), {1: 2, 2: 0}, comparison_name="Comparison RAA X")
    make_review(lead.raa, date(2024, 5, 1), {1: 0, 2: 1})   # North's last review
    make_review(lead.raa, date(2025, 5, 3), {1: 3, 2: 1})   # North's latest
    page = client.get(reverse("blueprint:results")).content.decode()
    # All three RAAs' latest: domain 1 scores 1, 2, 3 → mean 2.00, mode "1, 2 and 3", n 3.
    assert [_cell(page, "domain-1", i) for i in range(3)] == ["2.00", "1, 2 and 3", "3"]
    assert [_cell(page, "domain-3", i) for i in range(3)] == ["Not scored", "Not scored", "0"]
    # North against the others (South and X only) and its own last review.
    assert [_cell(page, "against-1", i) for i in range(6)] == ["3", "1.50", "1 and 2", "2", "0", "Up 3"]
    assert [_cell(page, "against-2", i) for i in range(6)] == ["1", "0.00", "0", "2", "1", "No change"]
    assert "South RAA" not in page and "Comparison RAA X" not in page
    # A date range before North's latest: its 2024 review is the one compared, with no earlier review.
    early = client.get(reverse("blueprint:results"), {"end_day": "31", "end_month": "12", "end_year": "2024"}
                       ).content.decode()
    assert _cell(early, "domain-1", 2) == "1" and "it has no earlier review" in early
    bad = client.get(reverse("blueprint:results"), {"start_day": "1", "start_month": "1", "start_year": "2025",
                                                    "end_day": "1", "end_month": "1", "end_year": "2024"}).content.decode()
    assert "The end date must be the same as or after the start date" in bad


def test_a_review_keeps_its_version_when_a_new_one_is_added(client, lead):
    review = make_review(lead.raa, date(2025, 5, 3), {1: 3})
    services.add_version(actor=None, version=2, title="Next", valid_from=date(2026, 1, 1), source="",
                         domains=[("Only one", "")])
    page = client.get(reverse("blueprint:review", args=[review.pk])).content.decode()
    assert "Version 1" in page and page.count('scope="row"') == 17
