"""Browser test of the case-file audits (issue 13) on the demo region: the quality lead goes from the Quality home
to this quarter's (blinded) round, audits a demo child's file – the form pre-filled from the journey – and sees the
audit counted in the results. axe-core checks each page at WCAG 2.2 AA, and each reflows at 320 px."""

import os
import re
import shutil

import pytest
from django.core.management import call_command

from permanence.audits.models import AuditRound, CaseAudit
from tests import test_browser
from tests.test_browser import CHROMIUM, sign_in
from tests.test_browser_family_finding import assert_accessible, assert_reflows

browser_page = test_browser.browser_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"Chromium not found at {CHROMIUM}"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_quality_lead_audits_a_demo_childs_file_and_sees_it_in_the_results(live_server, browser_page):
    call_command("demo", "--children", "120", stdout=open(os.devnull, "w"))  # noqa: SIM115
    base, page = live_server.url, browser_page
    current = AuditRound.objects.get(name="This quarter (demo)")
    before = CaseAudit.objects.filter(entry__round=current).count()
    waiting = current.entries.filter(audit__isnull=True).order_by("child_id").first()
    assert waiting is not None, "the demo leaves files of this quarter's round to audit"

    sign_in(page, base, "quality.aw")
    page.get_by_role("heading", name="Quality", level=1).wait_for()
    page.get_by_role("link", name="Case-file audits").click()
    page.get_by_role("heading", name="Case-file audits", level=1).wait_for()
    assert_accessible(page, "Audit rounds")
    assert_reflows(page, "Audit rounds")
    page.get_by_role("link", name="This quarter (demo)").click()
    page.get_by_role("heading", name="This quarter (demo)").wait_for()
    assert_accessible(page, "An audit round")
    assert_reflows(page, "An audit round")
    assert waiting.child.la.name not in page.content()  # blinded

    page.get_by_role("link", name=f"Audit the file of {waiting.child.reference}").click()
    page.get_by_role("heading", name=f"Audit the file of {waiting.child.reference}").wait_for()
    assert "Hidden: this round is blinded" in page.content()
    assert_accessible(page, "The audit form")
    assert_reflows(page, "The audit form")
    page.get_by_role("group", name=re.compile(r"^3\.i Accuracy of information")).get_by_label("4: Good").check()
    page.get_by_role("group", name=re.compile(r"^5\.iv Use of language")).get_by_label("3: OK").check()
    page.get_by_label("Notes about the score for 3.i (optional)", exact=True).fill("Names and dates checked against the court papers.")
    page.get_by_role("button", name="Record the audit").click()
    page.get_by_text("The audit has been recorded.").wait_for()
    assert_accessible(page, "An audit")
    assert_reflows(page, "An audit")
    audit = CaseAudit.objects.get(entry=waiting)
    scores = {(s.criterion.section.key, s.criterion.key): s.score for s in audit.scores.select_related("criterion__section")}
    assert scores[("cpr", "accuracy")] == 4 and scores[("case_recording", "use_of_language")] == 3

    page.goto(f"{base}/audits/results/")
    page.get_by_role("heading", name="Case-file audit results", level=1).wait_for()
    assert f"This quarter (demo): {before + 1} audit" in page.locator("#chosen").inner_text()
    assert_accessible(page, "Audit results")
    assert_reflows(page, "Audit results")
    page.goto(f"{base}/audits/rounds/start/")
    page.get_by_role("heading", name="Start an audit round", level=1).wait_for()
    assert_accessible(page, "Start an audit round")
    assert_reflows(page, "Start an audit round")
    page.get_by_role("button", name="Draw the sample").click()
    page.get_by_text("Enter a name for the round").first.wait_for()
    assert_accessible(page, "Start an audit round with errors")
