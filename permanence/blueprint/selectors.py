"""Reads across reviews: which reviews a summary uses and their scores by domain number."""

from __future__ import annotations

from datetime import date

from permanence.blueprint import rules
from permanence.blueprint.models import BlueprintReview, BlueprintVersion


def review_keys(version: BlueprintVersion) -> list[rules.ReviewKey]:
    """The final reviews against the version (a draft is not counted until it is marked final)."""
    return [rules.ReviewKey(id=r.pk, raa=r.raa_key, reviewed_on=r.reviewed_on)
            for r in BlueprintReview.objects.filter(version=version, status=BlueprintReview.Status.FINAL)]


def scores_of(review_ids) -> dict[int, dict[int, int | None]]:
    """{review id: {domain number: score or None}}."""
    out: dict[int, dict[int, int | None]] = {i: {} for i in review_ids}
    rows = BlueprintReview.objects.filter(pk__in=list(review_ids)).values_list("pk", "scores__domain__number",
                                                                               "scores__score")
    for pk, number, score in rows:
        if number is not None:
            out[pk][number] = score
    return out


def chosen_reviews(version: BlueprintVersion, *, start: date | None, end: date | None,
                   latest_only: bool = True) -> list[rules.ReviewKey]:
    return rules.chosen(review_keys(version), start=start, end=end, latest_only=latest_only)


def reviews_of_other_versions(version: BlueprintVersion, *, start: date | None, end: date | None) -> int:
    """How many reviews in the dates were scored against another version (left out: versions are never mixed)."""
    rows = BlueprintReview.objects.exclude(version=version).filter(status=BlueprintReview.Status.FINAL)
    if start:
        rows = rows.filter(reviewed_on__gte=start)
    if end:
        rows = rows.filter(reviewed_on__lte=end)
    return rows.count()


def earlier_review_elsewhere(review: BlueprintReview) -> BlueprintReview | None:
    """The same RAA's latest review before this one that was scored against another version, if any."""
    rows = BlueprintReview.objects.filter(raa=review.raa_id, comparison_name=review.comparison_name,
                                          status=BlueprintReview.Status.FINAL).exclude(version=review.version_id)
    earlier = [r for r in rows.select_related("version")
               if (r.reviewed_on, r.pk) < (review.reviewed_on, review.pk)]
    return max(earlier, key=lambda r: (r.reviewed_on, r.pk)) if earlier else None
