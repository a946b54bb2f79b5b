"""Reads across reviews: which reviews a summary uses and their scores by domain number."""

from __future__ import annotations

from datetime import date

from permanence.blueprint import rules
from permanence.blueprint.models import BlueprintReview, BlueprintVersion


def review_keys(version: BlueprintVersion) -> list[rules.ReviewKey]:
    return [rules.ReviewKey(id=r.pk, raa=r.raa_key, reviewed_on=r.reviewed_on)
            for r in BlueprintReview.objects.filter(version=version)]


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
