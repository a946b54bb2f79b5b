"""Browser test of the quality tools (issue 13) on the demo region: the quality lead and the complaints officer land
on the Quality home; a team manager walks every quality page – blueprint reviews and results, learning reviews,
recommendations and themes, complaints and feedback. axe-core checks each page at WCAG 2.2 AA, and each reflows
at 320 px. Screenshots go to test-artifacts/ (gitignored)."""

import os
import shutil

import pytest
from django.core.management import call_command

from permanence.blueprint.models import BlueprintReview
from permanence.complaints.models import Complaint, FeedbackSurvey
from permanence.disruptions.models import LearningReview
from permanence.organisations.models import Staff
from tests import test_browser
from tests.test_browser import CHROMIUM, sign_in
from tests.test_browser_family_finding import assert_accessible, assert_reflows

browser_page = test_browser.browser_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"Chromium not found at {CHROMIUM}"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_quality_page_is_accessible_and_reflows(live_server, browser_page):
    call_command("demo", "--children", "60", stdout=open(os.devnull, "w"))  # noqa: SIM115
    base, page = live_server.url, browser_page
    raa = Staff.objects.get(username="quality.aw").organisation
    for username in ("quality.aw", "complaints.aw"):
        page.context.clear_cookies()
        sign_in(page, base, username)
        page.get_by_role("heading", name="Quality", level=1).wait_for()
    page.context.clear_cookies()
    manager = Staff.objects.get(username="tm.aw")
    sign_in(page, base, manager.username)
    review = BlueprintReview.objects.filter(raa=raa).order_by("-pk").first()
    learning = LearningReview.objects.order_by("pk").first()
    complaint = Complaint.objects.filter(raa=raa).order_by("pk").first()
    survey = FeedbackSurvey.objects.filter(point="approval").order_by("-version").first()
    from datetime import date

    from permanence.blueprint import services as blueprint_services

    draft = blueprint_services.record_review(actor=None, raa=raa, reviewed_on=date(2026, 1, 5), reviewer="Draft",
                                             scores={1: {"score": 2}}, final=False, check_role=False)
    pages = {
        "Quality home": "/quality/",
        "Blueprint reviews": "/blueprint/",
        "A blueprint review": f"/blueprint/{review.pk}/",
        "Blueprint record form": "/blueprint/record/",
        "Blueprint results": "/blueprint/results/",
        "A draft blueprint review": f"/blueprint/{draft.pk}/",
        "Change a draft blueprint review": f"/blueprint/{draft.pk}/change/",
        "Learning reviews": "/learning-reviews/",
        "A learning review": f"/learning-reviews/{learning.pk}/",
        "Change a learning review": f"/learning-reviews/{learning.pk}/change/",
        "Open recommendations": "/learning-reviews/recommendations/",
        "Learning review themes": "/learning-reviews/themes/",
        "Complaints": "/quality/complaints/",
        "A complaint": f"/quality/complaints/{complaint.pk}/",
        "Record a complaint": "/quality/complaints/add/",
        "Record a complaint about a child": f"/quality/complaints/add/?child={learning.child_id}",
        "Feedback summaries": "/quality/feedback/",
        "Enter feedback": f"/quality/feedback/{survey.pk}/add/",
    }
    for what, path in pages.items():
        response = page.goto(f"{base}{path}")
        assert response.status == 200, (what, response.status)
        assert_accessible(page, what)
        assert_reflows(page, what)
