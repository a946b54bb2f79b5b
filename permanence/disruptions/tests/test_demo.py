"""The demo shows a learning review with recommendations (one overdue) in Adoption West, and --reset removes it."""

import io
from datetime import date

from django.core.management import call_command

from permanence.disruptions import rules
from permanence.disruptions.models import LearningReview

TODAY = date(2026, 11, 26)


def test_the_demo_has_a_review_with_one_overdue_recommendation(db):
    call_command("demo", children=120, today=TODAY.isoformat(), stdout=io.StringIO())
    review = LearningReview.objects.select_related("raa", "chair").get()
    assert review.raa.name == "Adoption West" and review.chair.username == "quality.aw"
    recs = list(review.recommendations.all())
    assert sum(rules.is_overdue(r.status, r.due_date, TODAY) for r in recs) == 1
    assert sorted(r.status for r in recs) == ["done", "open", "open"]
    call_command("demo", children=120, today=TODAY.isoformat(), reset=True, stdout=io.StringIO())
    assert LearningReview.objects.count() == 1
