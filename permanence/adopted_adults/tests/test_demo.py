"""The demo's and the national set's adopted adults' requests: every step reached, synthetic, reloadable."""

from collections import Counter
from datetime import date

from permanence.adopted_adults.models import AdultRequest, AdultRequestEvent
from permanence.demo import adopted_adults as demo

TODAY = date(2025, 9, 1)


def test_the_demo_has_requests_at_every_step_and_reloads(region):
    written = demo.load_demo(seed=2026, today=TODAY, per_raa={"NR": 60, "SR": 10})
    assert written["requests"] == 70 == AdultRequest.objects.count()
    stages = Counter(AdultRequest.objects.values_list("stage", flat=True))
    assert set(stages) == {"received", "waiting", "in_progress", "closed", "withdrawn"}
    kinds = set(AdultRequestEvent.objects.values_list("kind", flat=True))
    assert kinds == {"received", "triaged", "records_requested", "records_received", "first_interview",
                     "counselling_session", "relative_traced", "relative_approached", "relative_response", "closed",
                     "withdrawn"}
    assert AdultRequest.objects.filter(priority="very_elderly").exists()
    assert AdultRequest.objects.filter(chase_due__lt=TODAY, stage__in=["waiting", "in_progress"]).exists()
    assert not AdultRequest.objects.exclude(email__endswith="@example.invalid").exists()
    assert demo.delete_demo_requests() == 70 and not AdultRequestEvent.objects.exists()


def test_the_national_top_up_fills_every_raa_without_requests(region):
    demo.load_demo(seed=1, today=TODAY, per_raa={"NR": 3})
    written = demo.top_up_national(seed=1, today=TODAY, per_raa=5)
    assert written["requests"] == 5  # South only: North has its own
    assert demo.top_up_national(seed=1, today=TODAY, per_raa=5)["requests"] == 0
